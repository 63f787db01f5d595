/**
 * Study plans, decided purely from the plan, the group's calendar, a member's progress and "now".
 *
 * Calendar. A plan starts on a local date in the group's time zone, and its weeks begin at local midnight on the
 * group's week-start weekday (the digest weekday, or Monday without a digest). Week 1 is the week that contains
 * the start date: a plan started on a Thursday has its first week begin the Monday before, so the weeks line up
 * with the digests.
 *
 * Standing. A required item counts once the member has marked it done or knowingly skipped it (as for
 * prerequisites). A member is expected to have cleared the required items of every week that has ended. Late
 * joiners are measured from when they joined: from the first plan week that starts after they joined (a partial
 * week is free), they are expected to clear the plan's weeks from the beginning at the same pace, one week per
 * week. So someone who joins during week 4 owes nothing until week 5 ends, and then owes week 1. Anyone who was
 * already in the group when the plan was adopted (or restarted), or joined before it started, is measured from
 * the plan start. Groups that cover everyone use a member's first tracked activity as their join date. "Ahead" means on track and already into a later week
 * than the one they are working on; "complete" means every required item of the plan is cleared.
 */
import type { Plan } from '../registry/plans.ts';
import type { MemberProgress } from './progress-entities.ts';
import { localFields } from './when.ts';

export const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;

export interface PlanCalendar {
  /** IANA time zone of the group. */
  timezone: string;
  /** ISO weekday the weeks begin on: 1 = Monday … 7 = Sunday. */
  weekStartDay: number;
  /** Local start date, YYYY-MM-DD. */
  startDate: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date "YYYY-MM-DD", or null when it is not a real date. */
export function civilDay(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

export const civilDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** ISO weekday of a civil day number (1970-01-01 was a Thursday). */
export const isoWeekday = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1;

/** The local wall-clock time of an instant, as if it were UTC (ms). */
function wallClock(ms: number, timezone: string): number {
  const f = localFields(timezone, ms);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

/** The civil day number of an instant in a time zone. */
export const localDay = (ms: number, timezone: string) => Math.floor(wallClock(ms, timezone) / DAY_MS);

/** The instant of local midnight starting a civil day (or the first instant after it, across a DST gap). */
export function zonedMidnight(day: number, timezone: string): number {
  const target = day * DAY_MS;
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, timezone) - guess;
    const next = target - offset;
    if (next === guess) break;
    guess = next;
  }
  // In a spring-forward gap at midnight the local day starts later than its nominal midnight.
  while (localDay(guess, timezone) < day) guess += 3_600_000;
  return guess;
}

/** The civil day week 1 begins on: the week-start weekday on or before the start date. */
export function firstWeekDay(calendar: PlanCalendar): number {
  const start = civilDay(calendar.startDate);
  if (start === null) throw new Error(`bad plan start date ${calendar.startDate}`);
  return start - ((isoWeekday(start) - calendar.weekStartDay + 7) % 7);
}

/**
 * A plan laid out on the calendar: the instant each week starts (index 0 … weekCount, the last being the end of
 * the plan), so week lookups for thousands of members need no time-zone arithmetic.
 */
export class PlanTimeline {
  readonly weekCount: number;
  readonly #starts: number[];

  constructor(
    readonly plan: Plan,
    readonly calendar: PlanCalendar,
  ) {
    this.weekCount = plan.weeks.length;
    const first = firstWeekDay(calendar);
    this.#starts = Array.from({ length: this.weekCount + 1 }, (_, i) => zonedMidnight(first + i * WEEK_DAYS, calendar.timezone));
  }

  /** When week `index` (0-based) starts; indices outside the plan extrapolate by whole weeks. */
  weekStart(index: number): number {
    if (index < 0) return this.#starts[0]! + index * WEEK_DAYS * DAY_MS;
    if (index > this.weekCount) return this.#starts[this.weekCount]! + (index - this.weekCount) * WEEK_DAYS * DAY_MS;
    return this.#starts[index]!;
  }

  /** The 0-based week containing an instant: negative before the plan, weekCount or more after it. */
  weekAt(ms: number): number {
    const starts = this.#starts;
    if (ms < starts[0]!) return -Math.ceil((starts[0]! - ms) / (WEEK_DAYS * DAY_MS));
    if (ms >= starts[this.weekCount]!) return this.weekCount + Math.floor((ms - starts[this.weekCount]!) / (WEEK_DAYS * DAY_MS));
    let lo = 0;
    let hi = this.weekCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The first week that starts at or after an instant (a partial week is not counted). */
  firstFullWeekFrom(ms: number): number {
    const week = this.weekAt(ms);
    return this.weekStart(week) === ms ? week : week + 1;
  }
}

export type StandingKind = 'on-track' | 'behind' | 'ahead' | 'complete';

export interface Standing {
  kind: StandingKind;
  /** Required items of the weeks already due that are not cleared. */
  behind: number;
  /** How many of the plan's weeks the member is expected to have cleared. */
  expectedWeeks: number;
  /** True when the member is measured from their join date rather than the plan start. */
  lateJoiner: boolean;
  clearedRequired: number;
  totalRequired: number;
  /** The first required item, in plan order, not yet cleared. */
  next: string | null;
  /** Required items not cleared, per week of the plan. */
  unclearedByWeek: number[];
}

export const clearedIn = (progress: MemberProgress | undefined, resourceId: string) => {
  const status = progress?.entries[resourceId]?.status;
  return status === 'done' || status === 'skipped';
};

/** When a member first tracked anything in the server: the join date for groups that cover everyone. */
export function firstActivity(progress: MemberProgress | undefined): number | null {
  if (!progress) return null;
  let first = Number.POSITIVE_INFINITY;
  for (const id in progress.entries) {
    const e = progress.entries[id]!;
    if (e.updatedAt < first) first = e.updatedAt;
    if (e.startedAt !== null && e.startedAt < first) first = e.startedAt;
    if (e.completedAt !== null && e.completedAt < first) first = e.completedAt;
  }
  return first === Number.POSITIVE_INFINITY ? null : first;
}

/**
 * The first tracked activity if it came after `after`, else null: the late-joiner date of an everyone-group
 * member. Stops at the first earlier timestamp, so members active before the plan was adopted cost one entry.
 */
export function firstActivityAfter(progress: MemberProgress | undefined, after: number): number | null {
  if (!progress) return null;
  let first = Number.POSITIVE_INFINITY;
  for (const id in progress.entries) {
    const e = progress.entries[id]!;
    const t = Math.min(e.updatedAt, e.startedAt ?? Number.POSITIVE_INFINITY, e.completedAt ?? Number.POSITIVE_INFINITY);
    if (t <= after) return null;
    if (t < first) first = t;
  }
  return first === Number.POSITIVE_INFINITY ? null : first;
}

/** A join date that makes someone a late joiner: only joining after the plan was adopted counts. */
export const lateJoinDate = (joined: number | null | undefined, adoptedAt: number): number | null => (joined != null && joined > adoptedAt ? joined : null);

/** The weeks a late joiner owes at week `current`, or null when `joined` does not make them a late joiner. */
export function lateExpectedWeeks(timeline: PlanTimeline, current: number, joined: number | null): number | null {
  if (joined === null || joined <= timeline.weekStart(0)) return null;
  const from = Math.max(0, timeline.firstFullWeekFrom(joined));
  return Math.min(Math.max(current - from, 0), timeline.weekCount);
}

/**
 * Where a member stands at `now`. `joinedAt` is asked for only when the member is behind when measured from the
 * plan start, because a later start can only lower what they owe; that keeps a 10,000-member digest cheap.
 */
export function memberStanding(timeline: PlanTimeline, progress: MemberProgress | undefined, now: number, joinedAt: () => number | null): Standing {
  const weeks = timeline.plan.weeks;
  const count = timeline.weekCount;
  const current = timeline.weekAt(now);
  // One pass over the plan: uncleared items per week, the first uncleared item, the last week with a cleared one.
  const entries = progress?.entries;
  const unclearedByWeek = new Array<number>(count);
  let cleared = 0;
  let total = 0;
  let next: string | null = null;
  let lastClearedWeek = -1;
  for (let w = 0; w < count; w++) {
    const required = weeks[w]!.required;
    let open = 0;
    for (let i = 0; i < required.length; i++) {
      const status = entries?.[required[i]!]?.status;
      if (status === 'done' || status === 'skipped') {
        cleared++;
        lastClearedWeek = w;
      } else {
        open++;
        next ??= required[i]!;
      }
    }
    total += required.length;
    unclearedByWeek[w] = open;
  }
  const behindWithin = (due: number) => {
    let behind = 0;
    for (let w = 0; w < due; w++) behind += unclearedByWeek[w]!;
    return behind;
  };
  let expectedWeeks = Math.min(Math.max(current, 0), count);
  let behind = behindWithin(expectedWeeks);
  let lateJoiner = false;
  if (behind > 0) {
    const late = lateExpectedWeeks(timeline, current, joinedAt());
    if (late !== null) {
      expectedWeeks = late;
      lateJoiner = true;
      behind = behindWithin(expectedWeeks);
    }
  }
  const kind: StandingKind = cleared === total ? 'complete' : behind > 0 ? 'behind' : lastClearedWeek > expectedWeeks ? 'ahead' : 'on-track';
  return { kind, behind, expectedWeeks, lateJoiner, clearedRequired: cleared, totalRequired: total, next, unclearedByWeek };
}

/** The required items of one week the member has not cleared, in plan order. */
export function unfinishedRequired(plan: Plan, weekIndex: number, progress: MemberProgress | undefined): string[] {
  return (plan.weeks[weekIndex]?.required ?? []).filter((id) => !clearedIn(progress, id));
}

/**
 * What a member should read for the plan, in order: overdue required items first (their catch-up), then the
 * current week's. At most `max` ids.
 */
export function planFocus(timeline: PlanTimeline, progress: MemberProgress | undefined, now: number, standing: Standing, max = 5): string[] {
  const current = Math.min(Math.max(timeline.weekAt(now), 0), timeline.weekCount - 1);
  const upTo = Math.max(current, Math.min(standing.expectedWeeks, timeline.weekCount - 1));
  const out: string[] = [];
  for (let w = 0; w <= upTo && out.length < max; w++) for (const id of timeline.plan.weeks[w]!.required) if (!clearedIn(progress, id) && out.length < max) out.push(id);
  return out;
}

/** A start date a group may use: a real date within a year of today (in the group's time zone). */
export function checkStartDate(value: string, today: number): { ok: true; day: number } | { ok: false; reason: string } {
  const day = civilDay(value.trim());
  if (day === null) return { ok: false, reason: `"${value.slice(0, 20)}" is not a date: use YYYY-MM-DD, for example ${civilDate(today)}.` };
  if (Math.abs(day - today) > 366) return { ok: false, reason: `${civilDate(day)} is more than a year from today (${civilDate(today)}): pick a start date within a year.` };
  return { ok: true, day };
}
