/**
 * Composes a study group's weekly digest from raw records: one pass over each member's progress and one pass
 * over the guild's claim history, so the cost grows linearly with members × events.
 */
import type { Registry } from '../registry/load.ts';
import type { Problem, Resource } from '../registry/schema.ts';
import type { MemberProgress } from './progress-entities.ts';
import { planTally, type DigestPlanInput, type DigestPlanSection } from './digest-plan.ts';
import type { FlashcardWeek } from './flashcard-digest.ts';

/** The claim fields the digest reads (the claims repository stores more). */
export interface DigestClaim {
  set: string;
  problemId: string;
  userId: string;
  intent: string;
  status: string;
  lastCheckinAt: number;
}
export interface DigestClaimEvent {
  at: number;
  set: string;
  problemId: string;
  userId: string;
  action: string;
  /** Who acted: a user id, or 'system' for the lifecycle sweep. */
  by: string;
  link: string | null;
}

export interface MemberWeek {
  userId: string;
  completed: Resource[];
  started: Resource[];
  claimed: { problem: Problem; intent: string }[];
  checkins: number;
  done: { problem: Problem; link: string | null }[];
}

export interface Totals {
  completed: number;
  started: number;
  /** Claims made (one problem claimed by two members is two claims)… */
  claimed: number;
  /** …on this many distinct problems. */
  claimedProblems: number;
  checkins: number;
  done: number;
}

export interface Digest {
  groupName: string;
  windowStart: number;
  windowEnd: number;
  late: boolean;
  members: MemberWeek[];
  stale: { problem: Problem; userId: string; lastCheckinAt: number }[];
  /** Claims the lifecycle released during the week for lack of check-ins (the release notice). */
  released: { problem: Problem; userId: string; at: number }[];
  totals: Totals;
  previous: Totals;
  /** Completions per day of the window (7 or so entries), for the chart. */
  completionsPerDay: number[];
  /** The same for the week before, day by day, for the chart's comparison. */
  previousCompletionsPerDay: number[];
  /** Whether there is a week before to compare with (false for a group's first digest). */
  compared: boolean;
  suggestion: Problem | null;
  /** The study-plan section, only when the group follows a plan. */
  plan?: DigestPlanSection;
  /** The group's glossary flashcard reviews and terms learned (src/flashcards/digest-section.ts fills it in). */
  flashcards?: FlashcardWeek;
}

export interface DigestInput {
  registry: Registry;
  groupName: string;
  /** The members the group covers. */
  memberIds: readonly string[];
  progress: ReadonlyMap<string, MemberProgress>;
  claims: readonly DigestClaim[];
  history: readonly DigestClaimEvent[];
  windowStart: number;
  windowEnd: number;
  late: boolean;
  /** The group's study plan, if it follows one. */
  plan?: DigestPlanInput;
  /** False for a group's first digest: there is no week before worth comparing with (default true). */
  compareWithPrevious?: boolean;
}

const DAY = 86_400_000;
const emptyTotals = (): Totals => ({ completed: 0, started: 0, claimed: 0, claimedProblems: 0, checkins: 0, done: 0 });

export function composeDigest(input: DigestInput): Digest {
  const { registry, windowStart: start, windowEnd: end } = input;
  const previousStart = start - (end - start);
  const inWindow = (t: number | null): t is number => t !== null && t >= start && t < end;
  const inPrevious = (t: number | null) => t !== null && t >= previousStart && t < start;
  const members = new Set(input.memberIds);
  const weeks = new Map<string, MemberWeek>();
  const week = (userId: string) => {
    let w = weeks.get(userId);
    if (!w) weeks.set(userId, (w = { userId, completed: [], started: [], claimed: [], checkins: 0, done: [] }));
    return w;
  };
  const totals = emptyTotals();
  const previous = emptyTotals();
  const days = Math.max(1, Math.round((end - start) / DAY));
  const completionsPerDay = new Array<number>(days).fill(0);
  const previousCompletionsPerDay = new Array<number>(days).fill(0);

  // The study-plan section (domain/digest-plan.ts) counts each member during this same pass.
  const plan = input.plan ? planTally(input.plan, registry, start, end) : null;
  for (const userId of input.memberIds) {
    const progress = input.progress.get(userId);
    if (!progress) {
      plan?.add(userId, progress, Number.POSITIVE_INFINITY);
      continue;
    }
    // The member's first activity of any kind, for the plan's late-joiner rule, found in this same pass.
    let firstActivity = Number.POSITIVE_INFINITY;
    for (const resourceId in progress.entries) {
      const entry = progress.entries[resourceId]!;
      if (plan) {
        const t = Math.min(entry.updatedAt, entry.startedAt ?? Number.POSITIVE_INFINITY, entry.completedAt ?? Number.POSITIVE_INFINITY);
        if (t < firstActivity) firstActivity = t;
      }
      const resource = registry.resourceById.get(resourceId);
      if (!resource) continue;
      if (inWindow(entry.completedAt)) {
        week(userId).completed.push(resource);
        totals.completed++;
        completionsPerDay[Math.min(days - 1, Math.floor((entry.completedAt - start) / DAY))]!++;
      } else if (inPrevious(entry.completedAt)) {
        previous.completed++;
        previousCompletionsPerDay[Math.min(days - 1, Math.floor((entry.completedAt! - previousStart) / DAY))]!++;
      }
      if (inWindow(entry.startedAt) && entry.status !== 'done') {
        week(userId).started.push(resource);
        totals.started++;
      } else if (inPrevious(entry.startedAt)) previous.started++;
    }
    plan?.add(userId, progress, firstActivity);
  }

  const problemOf = (set: string, id: string) => registry.problemByKey.get(`${set}:${id}`);
  const intentOf = new Map(input.claims.map((c) => [`${c.userId}:${c.set}:${c.problemId}`, c.intent]));
  const released: Digest['released'] = [];
  const claimedNow = new Set<string>();
  const claimedBefore = new Set<string>();
  for (const event of input.history) {
    if (!members.has(event.userId)) continue;
    const current = inWindow(event.at);
    if (!current) {
      if (inPrevious(event.at)) {
        if (event.action === 'claimed') {
          previous.claimed++;
          claimedBefore.add(`${event.set}:${event.problemId}`);
        }
        else if (event.action === 'checked-in') previous.checkins++;
        else if (event.action === 'done') previous.done++;
      }
      continue;
    }
    const problem = problemOf(event.set, event.problemId);
    if (!problem) continue;
    if (event.action === 'claimed') {
      week(event.userId).claimed.push({ problem, intent: intentOf.get(`${event.userId}:${event.set}:${event.problemId}`) ?? 'exploring' });
      totals.claimed++;
      claimedNow.add(`${event.set}:${event.problemId}`);
    } else if (event.action === 'checked-in') {
      week(event.userId).checkins++;
      totals.checkins++;
    } else if (event.action === 'done') {
      week(event.userId).done.push({ problem, link: event.link });
      totals.done++;
    } else if (event.action === 'released' && event.by === 'system') {
      released.push({ problem, userId: event.userId, at: event.at });
    }
  }

  totals.claimedProblems = claimedNow.size;
  previous.claimedProblems = claimedBefore.size;

  const stale = input.claims
    .filter((c) => c.status === 'stale' && members.has(c.userId))
    .map((c) => ({ problem: problemOf(c.set, c.problemId), userId: c.userId, lastCheckinAt: c.lastCheckinAt }))
    .filter((s): s is { problem: Problem; userId: string; lastCheckinAt: number } => s.problem !== undefined);

  return {
    groupName: input.groupName,
    windowStart: start,
    windowEnd: end,
    late: input.late,
    members: byActivity([...weeks.values()]),
    stale,
    released,
    totals,
    previous,
    completionsPerDay,
    previousCompletionsPerDay,
    compared: input.compareWithPrevious ?? true,
    suggestion: suggestProblem(registry, input.claims, end),
    ...(plan ? { plan: plan.finish() } : {}),
  };
}

/** Most active first (finished resources and problems), then by id for a stable order. */
function byActivity(weeks: MemberWeek[]): MemberWeek[] {
  const score = new Map(weeks.map((w) => [w, w.completed.length + w.done.length]));
  return weeks.sort((a, b) => score.get(b)! - score.get(a)! || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** An unclaimed, verified-easy problem to start on, rotating week by week. */
function suggestProblem(registry: Registry, claims: readonly DigestClaim[], weekEnd: number): Problem | null {
  const taken = new Set(claims.filter((c) => c.status === 'active' || c.status === 'stale').map((c) => `${c.set}:${c.problemId}`));
  const candidates = registry.problems.filter((p) => (p.difficulty === 'A' || p.difficulty === 'B') && p.summary !== null && !taken.has(`${p.set}:${p.id}`));
  if (candidates.length === 0) return null;
  return candidates[Math.floor(weekEnd / (7 * DAY)) % candidates.length]!;
}

export const isQuietWeek = (d: Digest) =>
  d.totals.completed + d.totals.started + d.totals.claimed + d.totals.checkins + d.totals.done + d.stale.length + d.released.length + (d.flashcards?.reviews ?? 0) === 0;
