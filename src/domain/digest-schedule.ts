/**
 * When a weekly digest is due, decided purely from the schedule, the run ledger and "now", so every case
 * (daylight-saving switches, downtime across the fire time, a crash mid-post, restarts) is testable on an
 * injectable clock. Wall-clock and time-zone arithmetic is croner's.
 */
import { Cron } from 'croner';
import type { DigestRun, Schedule } from './study-group-entities.ts';

const WEEK = 7 * 24 * 3_600_000;
/** Posted more than this after the fire time counts as late (and says so). */
export const LATE_AFTER_MS = 10 * 60_000;
/** A "posting" claim older than this is assumed to belong to a process that died. */
export const STUCK_AFTER_MS = 2 * 60_000;
const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 3_600_000, 6 * 3_600_000];

export const backoffAfter = (attempts: number) => BACKOFF_MS[Math.min(Math.max(attempts - 1, 0), BACKOFF_MS.length - 1)]!;

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Paused Cron objects are pure calculators; building one costs more than using it, so they are reused. */
const crons = new Map<string, Cron>();

function cronFor(schedule: Pick<Schedule, 'weekday' | 'hour' | 'timezone'>): Cron {
  const key = `${schedule.weekday}:${schedule.hour}:${schedule.timezone}`;
  let cron = crons.get(key);
  if (!cron) {
    // croner counts Sunday as 0; our weekdays are ISO (Monday 1 … Sunday 7).
    cron = new Cron(`0 0 ${schedule.hour} * * ${schedule.weekday % 7}`, { timezone: schedule.timezone, paused: true });
    if (crons.size >= 1_000) crons.clear();
    crons.set(key, cron);
  }
  return cron;
}

/** The most recent fire time at or before `now`. */
export function previousFire(schedule: Schedule, now: number): number | null {
  const cron = cronFor(schedule);
  // previousRuns looks strictly before the reference, so step one second past now to include a fire at "now".
  const [last] = cron.previousRuns(1, new Date(now + 1_000));
  return last ? last.getTime() : null;
}

export function nextFire(schedule: Pick<Schedule, 'weekday' | 'hour' | 'timezone'>, now: number): number | null {
  const cron = cronFor(schedule);
  const next = cron.nextRun(new Date(now));
  return next ? next.getTime() : null;
}

/** The fire before `fireAt`: the start of the week the digest covers (167, 168 or 169 hours across DST). */
export function weekStart(schedule: Schedule, fireAt: number): number {
  const cron = cronFor(schedule);
  const [previous] = cron.previousRuns(1, new Date(fireAt));
  return previous ? previous.getTime() : fireAt - WEEK;
}

/** The local calendar date of a fire time: the ledger key, one per group per week. */
export function periodOf(timezone: string, fireAt: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(fireAt);
}

export type DigestDecision =
  | { action: 'none'; reason: string }
  | { action: 'post'; period: string; fireAt: number; windowStart: number; late: boolean; resume: DigestRun | null };

/**
 * Whether to post now. Only the most recent fire time is ever considered, so a digest missed while the bot was
 * down is posted once (late) if it is still that week, and older missed weeks are never posted at all.
 */
export function decideDigest(schedule: Schedule | null, runs: readonly DigestRun[], now: number): DigestDecision {
  if (!schedule) return { action: 'none', reason: 'no schedule' };
  const fireAt = previousFire(schedule, now);
  if (fireAt === null || fireAt < schedule.since) return { action: 'none', reason: 'not due yet' };
  const period = periodOf(schedule.timezone, fireAt);
  const run = runs.find((r) => r.period === period) ?? null;
  if (run?.state === 'posted') return { action: 'none', reason: 'already posted' };
  if (run?.state === 'failed' && run.nextAttemptAt !== null && run.nextAttemptAt > now) return { action: 'none', reason: 'waiting to retry' };
  if (run?.state === 'posting' && now - run.claimedAt < STUCK_AFTER_MS) return { action: 'none', reason: 'being posted' };
  return { action: 'post', period, fireAt, windowStart: weekStart(schedule, fireAt), late: now - fireAt > LATE_AFTER_MS, resume: run };
}
