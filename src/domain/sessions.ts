/**
 * Reading sessions: the entities and every decision about them, pure and on an injectable clock. When a reminder
 * is due, late or superseded; when a weekly series creates its next occurrence; what a session's phase is; and how
 * a change made in Discord's own event UI is adopted rather than overwritten.
 */
import { z } from 'zod';
import { addLocalDays, resolveLocal, type LocalFields } from './when.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Reminders before the start, in minutes, unless a group sets its own. */
export const DEFAULT_REMINDERS_MIN = [24 * 60, 60] as const;
/** A reminder more than this late is skipped: a stale "tomorrow" is worse than none. */
export const REMINDER_GRACE_MS = 10 * MINUTE;
/** A "posting" claim older than this belongs to a process that died; it is resumed (with the same nonce). */
export const REMINDER_STUCK_MS = 2 * MINUTE;
/** Weekly series create each occurrence this long before it starts. */
export const SERIES_LEAD_MS = 7 * DAY;
/** Upcoming sessions are checked against their Discord event this often (and always before a reminder). */
export const SYNC_EVERY_MS = 15 * MINUTE;
export const DEFAULT_DURATION_MIN = 60;
export const SESSIONS_KEPT = 200;

export const Snowflake = z.string().regex(/^\d{1,20}$/);

export const SessionLocation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('voice'), channelId: Snowflake }),
  z.object({ kind: z.literal('stage'), channelId: Snowflake }),
  z.object({ kind: z.literal('external'), place: z.string().min(1).max(100) }),
]);
export type SessionLocation = z.infer<typeof SessionLocation>;

export const Reminder = z.object({
  offsetMin: z.number().int().positive().max(14 * 24 * 60),
  /** The start time this reminder was planned for: moving a session re-arms its reminders. */
  forStart: z.number().int(),
  state: z.enum(['pending', 'posting', 'posted', 'skipped']),
  claimedAt: z.number().int().nullable(),
  messageId: z.string().nullable(),
  /** Why it was skipped, for /session list. */
  reason: z.string().max(120).nullable(),
});
export type Reminder = z.infer<typeof Reminder>;

export const SessionId = z.string().regex(/^[a-z0-9]{4,12}$/);

export const Session = z.object({
  id: SessionId,
  groupId: z.string().min(1).max(32),
  resourceId: z.string().min(1).max(100),
  startsAt: z.number().int(),
  durationMin: z.number().int().min(5).max(24 * 60),
  timezone: z.string().min(1).max(64),
  location: SessionLocation,
  createdBy: z.string(),
  createdAt: z.number().int(),
  status: z.enum(['scheduled', 'cancelled']),
  cancelledAt: z.number().int().nullable(),
  /** Cancelled with /session cancel, or in Discord's own event UI (noticed by the sync). */
  cancelledVia: z.enum(['command', 'discord']).nullable(),
  /** Where the announcement is. */
  channelId: Snowflake,
  messageId: Snowflake.nullable(),
  threadId: Snowflake.nullable(),
  eventId: Snowflake.nullable(),
  /** Status lines shown with the session (a missing permission, a deleted thread). */
  notes: z.array(z.string().max(200)).max(10),
  willRead: z.array(z.string()),
  cantMake: z.array(z.string()),
  readIt: z.array(z.string()),
  reminders: z.array(Reminder),
  /** When the announcement was changed to show the session was held. */
  heldMarkedAt: z.number().int().nullable(),
  /** Last time the Discord event was read back. */
  syncedAt: z.number().int().nullable(),
  seriesId: z.string().nullable(),
  seriesIndex: z.number().int().nonnegative().nullable(),
  /** The group's role to ping in reminders, when the group opted in. */
  pingRoleId: Snowflake.nullable(),
});
export type Session = z.infer<typeof Session>;

export const Series = z.object({
  id: SessionId,
  groupId: z.string().min(1).max(32),
  /** Wall-clock date and time of occurrence 0 in `timezone`; occurrence k is k weeks later, same wall clock. */
  local: z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int(), hour: z.number().int(), minute: z.number().int() }),
  timezone: z.string().min(1).max(64),
  durationMin: z.number().int().min(5).max(24 * 60),
  location: SessionLocation,
  /** Where each occurrence's resource comes from: the group's current plan week, or the queue in order. */
  source: z.enum(['plan', 'queue']),
  /** Resources still to come, in order; each created occurrence takes the first. */
  queue: z.array(z.string()).max(100),
  /** Occurrences handled so far (created or skipped): the next one is this index. */
  next: z.number().int().nonnegative(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  /** A creation in progress (claimed under the lock before any request is sent). */
  claim: z.object({ index: z.number().int(), at: z.number().int() }).nullable(),
  /** Why the last occurrence could not be created (an empty queue, a missing permission). */
  lastNote: z.string().max(200).nullable(),
});
export type Series = z.infer<typeof Series>;

export const GroupSessionSettings = z.object({
  reminderOffsetsMin: z.array(z.number().int().positive().max(14 * 24 * 60)).max(3),
  /** Opt-in: reminders ping the group's role (and only that role). */
  pingRole: z.boolean(),
  /** The group's time zone for sessions; falls back to its digest's, then UTC. */
  timezone: z.string().min(1).max(64).nullable(),
});
export type GroupSessionSettings = z.infer<typeof GroupSessionSettings>;

export const DEFAULT_SESSION_SETTINGS: GroupSessionSettings = { reminderOffsetsMin: [...DEFAULT_REMINDERS_MIN], pingRole: false, timezone: null };

export type Phase = 'upcoming' | 'live' | 'held' | 'cancelled';

export const endOf = (s: Pick<Session, 'startsAt' | 'durationMin'>) => s.startsAt + s.durationMin * MINUTE;

export function phaseOf(session: Session, now: number): Phase {
  if (session.status === 'cancelled') return 'cancelled';
  if (now < session.startsAt) return 'upcoming';
  if (now < endOf(session)) return 'live';
  return 'held';
}

/** Fresh reminders for a start time, keeping any already posted or skipped for that same start. */
export function planReminders(offsets: readonly number[], startsAt: number, previous: readonly Reminder[] = []): Reminder[] {
  return [...new Set(offsets)]
    .sort((a, b) => b - a)
    .map((offsetMin) => previous.find((r) => r.offsetMin === offsetMin && r.forStart === startsAt) ?? { offsetMin, forStart: startsAt, state: 'pending', claimedAt: null, messageId: null, reason: null });
}

export const reminderDueAt = (session: Pick<Session, 'startsAt'>, r: Pick<Reminder, 'offsetMin'>) => session.startsAt - r.offsetMin * MINUTE;

export type ReminderDecision =
  | { action: 'wait' | 'none' }
  | { action: 'post'; resume: boolean }
  | { action: 'skip'; reason: string };

/**
 * What to do with one reminder now. A reminder is posted from its due time for REMINDER_GRACE_MS; after that,
 * or once the session has started, it is skipped. A claim left by a process that died is resumed (the enforced
 * nonce makes a repeat impossible) as long as the session has not started.
 */
export function decideReminder(session: Session, r: Reminder, now: number): ReminderDecision {
  if (r.state === 'posted' || r.state === 'skipped') return { action: 'none' };
  if (session.status === 'cancelled') return { action: 'skip', reason: 'session cancelled' };
  if (r.forStart !== session.startsAt) return { action: 'skip', reason: 'session moved' };
  if (now >= session.startsAt) return { action: 'skip', reason: 'the session had already started' };
  if (r.state === 'posting') return now - (r.claimedAt ?? 0) < REMINDER_STUCK_MS ? { action: 'none' } : { action: 'post', resume: true };
  const due = reminderDueAt(session, r);
  if (now < due) return { action: 'wait' };
  if (now - due > REMINDER_GRACE_MS) return { action: 'skip', reason: 'the bot was offline when it was due' };
  return { action: 'post', resume: false };
}

/** When the next reminder of any upcoming session is due (for the scheduler's wait), or null. */
export function nextReminderAt(sessions: readonly Session[], now: number): number | null {
  let next: number | null = null;
  for (const s of sessions) {
    if (s.status !== 'scheduled' || s.startsAt <= now) continue;
    for (const r of s.reminders) {
      if (r.state !== 'pending') continue;
      const due = reminderDueAt(s, r);
      if (due >= now && (next === null || due < next)) next = due;
    }
  }
  return next;
}

/** The start of occurrence `index` of a series: the same wall-clock time in its zone, `index` weeks on. */
export function occurrenceAt(series: Pick<Series, 'local' | 'timezone'>, index: number): number {
  return resolveLocal(series.timezone, addLocalDays(series.local as LocalFields, 7 * index));
}

export type SeriesDecision =
  | { action: 'none'; reason: string }
  | { action: 'create'; index: number; startsAt: number; skipped: number }
  /** Occurrences passed while the bot was down: move on to `index` without creating anything. */
  | { action: 'advance'; index: number; skipped: number };

/**
 * Whether a series should create an occurrence now: the first one not yet handled that starts within a week.
 * Occurrences whose start passed while the bot was down are skipped (counted in `skipped`), never created late.
 */
export function decideSeries(series: Series, now: number, stuckMs = REMINDER_STUCK_MS): SeriesDecision {
  if (!series.active) return { action: 'none', reason: 'stopped' };
  if (series.claim && now - series.claim.at < stuckMs) return { action: 'none', reason: 'being created' };
  let index = series.next;
  let skipped = 0;
  while (occurrenceAt(series, index) <= now && skipped < 520) {
    index++;
    skipped++;
  }
  const startsAt = occurrenceAt(series, index);
  if (startsAt - now > SERIES_LEAD_MS) return skipped ? { action: 'advance', index, skipped } : { action: 'none', reason: 'not within a week yet' };
  return { action: 'create', index, startsAt, skipped };
}

/** The resource the next occurrence uses from the queue (the remaining queue, consumed from the front). */
export function queuedResource(series: Series): string | null {
  return series.queue[0] ?? null;
}

/** The fields of a Discord scheduled event that the bot relies on. */
export interface EventSnapshot {
  status: number;
  startsAt: number;
  endsAt: number | null;
  name: string;
}

export type Reconcile =
  | { kind: 'same' }
  | { kind: 'cancelled' }
  | { kind: 'moved'; startsAt: number; durationMin: number | null };

/**
 * Compares a session with its Discord event. Discord's own UI wins: a deleted or cancelled event cancels the
 * session, and a new start time is adopted (and the reminders re-armed), so the bot never writes back stale data.
 */
export function reconcile(session: Session, event: EventSnapshot | null): Reconcile {
  if (session.status === 'cancelled') return { kind: 'same' };
  if (event === null || event.status === 4) return { kind: 'cancelled' };
  if (event.startsAt !== session.startsAt) {
    const durationMin = event.endsAt !== null && event.endsAt > event.startsAt ? Math.round((event.endsAt - event.startsAt) / MINUTE) : null;
    return { kind: 'moved', startsAt: event.startsAt, durationMin };
  }
  return { kind: 'same' };
}

/** "24h, 1h" / "90m" / "2d" → minutes, largest first. Null when it cannot be read. */
export function parseReminderOffsets(text: string): number[] | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'none' || trimmed === 'off') return [];
  const parts = trimmed.split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return null;
  const out: number[] = [];
  for (const part of parts) {
    const m = /^(\d{1,4})(m|min|h|d)?$/.exec(part);
    if (!m) return null;
    const n = Number(m[1]);
    const minutes = m[2] === 'd' ? n * 1440 : m[2] === 'm' || m[2] === 'min' ? n : n * 60;
    if (minutes < 5 || minutes > 14 * 1440) return null;
    out.push(minutes);
  }
  return [...new Set(out)].sort((a, b) => b - a);
}

export function describeOffset(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minutes`;
}

/** A short id for a session or series: lowercase letters and digits, from a random source. */
export function newSessionId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 6; i++) id += 'abcdefghijkmnpqrstuvwxyz23456789'[Math.floor(random() * 32)];
  return id;
}

/** Adds a member to one RSVP list and takes them off the others where the lists exclude each other. */
export function rsvp(session: Session, userId: string, choice: 'will-read' | 'cant-make' | 'read-it'): Session {
  const without = (list: string[]) => list.filter((id) => id !== userId);
  const add = (list: string[]) => (list.includes(userId) ? list : [...list, userId]);
  if (choice === 'will-read') return { ...session, willRead: add(session.willRead), cantMake: without(session.cantMake) };
  if (choice === 'cant-make') return { ...session, cantMake: add(session.cantMake), willRead: without(session.willRead) };
  return { ...session, readIt: add(session.readIt) };
}
