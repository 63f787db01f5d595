/**
 * The study-plan section of a weekly digest: which plan week the digest covers, how many members finished its
 * required items, who is on track and who is behind, most behind first (measured at the digest's end, with the late-joiner rule of
 * domain/plans.ts), and the next week's items. A group without a plan has no section at all.
 */
import type { Registry } from '../registry/load.ts';
import type { Resource } from '../registry/schema.ts';
import type { MemberProgress } from './progress-entities.ts';
import { firstActivityAfter, lateExpectedWeeks, lateJoinDate, type PlanTimeline } from './plans.ts';

export interface DigestPlanInput {
  timeline: PlanTimeline;
  /** Join dates by member; groups that cover everyone use each member's first tracked activity instead. */
  joins: Readonly<Record<string, number>>;
  everyone: boolean;
  /** When the group adopted the plan: joining before that is not joining late. */
  adoptedAt: number;
}

export interface DigestPlanSection {
  planId: string;
  planTitle: string;
  /** 'upcoming' before week 1, 'running' during the plan, 'finished' after its last week. */
  phase: 'upcoming' | 'running' | 'finished';
  /** The week the digest covers (0-based; clamped into the plan). */
  weekIndex: number;
  weekCount: number;
  weekTitle: string;
  startsAt: number;
  required: Resource[];
  /** Members who cleared every required item of the covered week. */
  finishedWeek: number;
  members: number;
  /** On track, ahead or complete, in member order: the first NAMES_KEPT, and how many in all. */
  onTrack: string[];
  onTrackCount: number;
  /** Behind, most behind first: the first NAMES_KEPT, and how many in all. */
  behind: { userId: string; behind: number }[];
  behindCount: number;
  next: { index: number; title: string; required: Resource[] } | null;
  /** The plan's pace: the covered week's required items for every member, spread over the window's days. */
  expectedPerDay: number;
}

/** Names kept per list; the digest names at most 50 (render/digest-plan.ts). */
export const NAMES_KEPT = 100;

const resources = (registry: Registry, ids: readonly string[]) => ids.map((id) => registry.resourceById.get(id)).filter((r): r is Resource => r !== undefined);

export function composeDigestPlan(
  input: DigestPlanInput,
  registry: Registry,
  memberIds: readonly string[],
  progress: ReadonlyMap<string, MemberProgress>,
  windowStart: number,
  windowEnd: number,
): DigestPlanSection {
  const tally = planTally(input, registry, windowStart, windowEnd);
  for (const userId of memberIds) tally.add(userId, progress.get(userId));
  return tally.finish();
}

/**
 * The section built one member at a time, so composeDigest can feed it from its own pass over the members while
 * each member's record is at hand.
 */
export function planTally(input: DigestPlanInput, registry: Registry, windowStart: number, windowEnd: number): { add(userId: string, p: MemberProgress | undefined, firstActivity?: number): void; finish(): DigestPlanSection } {
  const { timeline } = input;
  const plan = timeline.plan;
  const covered = timeline.weekAt(Math.floor((windowStart + windowEnd) / 2));
  const phase = covered < 0 ? 'upcoming' : covered >= plan.weeks.length ? 'finished' : 'running';
  const weekIndex = Math.min(Math.max(covered, 0), plan.weeks.length - 1);
  const week = plan.weeks[weekIndex]!;
  // The same rule as memberStanding (domain/plans.ts), in one allocation-free pass per member, because a digest
  // may cover 10,000 members: uncleared items per week, then what is owed, measured at the digest's end.
  const count = plan.weeks.length;
  const ids = plan.weeks.flatMap((w) => w.required);
  const weekOf = Int32Array.from(plan.weeks.flatMap((w, i) => w.required.map(() => i)));
  const open = new Int32Array(count);
  const current = timeline.weekAt(windowEnd);
  const due = Math.min(Math.max(current, 0), count);
  const onTrack: string[] = [];
  const byBehind: string[][] = [];
  let finishedWeek = 0;
  let onTrackCount = 0;
  let behindCount = 0;
  let members = 0;
  /** `firstActivity`: the member's earliest activity time, when the caller's own pass already found it. */
  const add = (userId: string, p: MemberProgress | undefined, firstActivity?: number) => {
    members++;
    const entries = p?.entries;
    open.fill(0);
    let earliest = Number.POSITIVE_INFINITY;
    for (let k = 0; k < ids.length; k++) {
      const e = entries?.[ids[k]!];
      if (e !== undefined) {
        if (e.updatedAt < earliest) earliest = e.updatedAt;
        if (e.status === 'done' || e.status === 'skipped') continue;
      }
      open[weekOf[k]!]!++;
    }
    if (open[weekIndex] === 0) finishedWeek++;
    let behind = 0;
    for (let w = 0; w < due; w++) behind += open[w]!;
    if (behind > 0) {
      // A plan entry from before the adoption already shows an everyone-group member was here in time.
      const joined = input.everyone
        ? earliest <= input.adoptedAt
          ? null
          : firstActivity === undefined
            ? firstActivityAfter(p, input.adoptedAt)
            : firstActivity > input.adoptedAt && firstActivity !== Number.POSITIVE_INFINITY
              ? firstActivity
              : null
        : lateJoinDate(input.joins[userId], input.adoptedAt);
      const late = lateExpectedWeeks(timeline, current, joined);
      if (late !== null) {
        behind = 0;
        for (let w = 0; w < late; w++) behind += open[w]!;
      }
    }
    if (behind > 0) {
      behindCount++;
      // Only the most-behind NAMES_KEPT can be named: keep at most that many per count.
      const bucket = (byBehind[behind] ??= []);
      if (bucket.length < NAMES_KEPT) bucket.push(userId);
    } else if (onTrackCount++ < NAMES_KEPT) onTrack.push(userId);
  };
  const finish = (): DigestPlanSection => {
    const behind: DigestPlanSection['behind'] = [];
    for (let n = byBehind.length - 1; n > 0 && behind.length < NAMES_KEPT; n--) {
      for (const userId of byBehind[n] ?? []) if (behind.length < NAMES_KEPT) behind.push({ userId, behind: n });
    }
    const nextIndex = phase === 'upcoming' ? 0 : weekIndex + 1;
    const nextWeek = phase === 'upcoming' ? week : plan.weeks[nextIndex];
    const days = Math.max(1, Math.round((windowEnd - windowStart) / 86_400_000));
    return {
      planId: plan.id,
      planTitle: plan.title,
      phase,
      weekIndex,
      weekCount: plan.weeks.length,
      weekTitle: week.title,
      startsAt: timeline.weekStart(0),
      required: resources(registry, week.required),
      finishedWeek,
      members,
      onTrack,
      onTrackCount,
      behind,
      behindCount,
      next: nextWeek && phase !== 'finished' ? { index: nextIndex, title: nextWeek.title, required: resources(registry, nextWeek.required) } : null,
      expectedPerDay: phase === 'running' ? (members * week.required.length) / days : 0,
    };
  };
  return { add, finish };
}
