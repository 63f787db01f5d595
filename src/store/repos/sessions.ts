/**
 * Reading sessions, weekly series and per-group session settings.
 *
 * Each session is its own record (`session:<guild>:<id>`), so scheduling one, an RSVP and claiming a reminder each
 * lock, read and write one small record, however many sessions the server keeps. The guild record
 * (`sessions:<guild>`, v2) holds a bounded index of the kept sessions (id, start, whether the jobs still need it,
 * series slot), the series and the settings; it changes only when a session is added, moves, or is done with.
 *
 * Migration from v1 (one record holding every session): the v1 data is read as a v2 index whose sessions travel
 * inline as `legacy`; the first access of that guild writes each legacy session to its own record (an idempotent
 * overwrite with the same data, since nothing else can know those records yet) and then drops `legacy` from the
 * index, under the guild's lock. A crash in between repeats the same writes on the next access.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import { writeBatch } from '../write-batch.ts';
import { checkedArray } from '../checked-items.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import { DEFAULT_SESSION_SETTINGS, GroupSessionSettings, Series, Session, SessionId, SESSIONS_KEPT, type GroupSessionSettings as Settings } from '../../domain/sessions.ts';

export const SessionEntry = z.object({
  id: SessionId,
  startsAt: z.number().int(),
  /** False once the scheduler has nothing left to do for it (cancelled, or held and shown as held). */
  open: z.boolean(),
  seriesId: z.string().nullable(),
  seriesIndex: z.number().int().nonnegative().nullable(),
});
export type SessionEntry = z.infer<typeof SessionEntry>;

export const GuildSessionIndex = z.object({
  /** Checked item by item, once: entries read or written before are frozen and are not checked again. */
  entries: checkedArray(SessionEntry, { max: SESSIONS_KEPT, message: 'invalid session index entry' }),
  series: z.array(Series),
  settings: z.record(z.string(), GroupSessionSettings),
  /** v1 sessions not yet moved to their own records (see the migration note above). */
  legacy: z.array(Session).optional(),
});
export type GuildSessionIndex = z.infer<typeof GuildSessionIndex>;

/** What readers of a whole guild get: its kept sessions (newest first), series and settings. */
export interface GuildSessions {
  sessions: Session[];
  series: Series[];
  settings: Record<string, Settings>;
}

/** The part of the guild record a guild-level change may edit. Entries are read-only to it. */
export interface GuildRecord {
  readonly entries: readonly SessionEntry[];
  series: Series[];
  settings: Record<string, Settings>;
}

const empty = (): GuildSessionIndex => ({ entries: [], series: [], settings: {} });

/** Whether the scheduler still has work for a session. */
export const isOpen = (s: Session) => s.status === 'scheduled' && (s.heldMarkedAt === null || s.reminders.some((r) => r.state === 'pending' || r.state === 'posting'));

export const entryOf = (s: Session): SessionEntry => ({ id: s.id, startsAt: s.startsAt, open: isOpen(s), seriesId: s.seriesId, seriesIndex: s.seriesIndex });

const sameEntry = (a: SessionEntry, b: SessionEntry) => a.startsAt === b.startsAt && a.open === b.open && a.seriesId === b.seriesId && a.seriesIndex === b.seriesIndex;

/** v1 → v2: the sessions ride along as `legacy` until the first access moves them to their own records. */
function migrate(data: unknown, from: number): unknown {
  if (from !== 1 || typeof data !== 'object' || data === null) return data;
  const v1 = data as { sessions?: unknown; series?: unknown; settings?: unknown };
  const sessions = Array.isArray(v1.sessions) ? [...(v1.sessions as Session[])].sort((a, b) => b.startsAt - a.startsAt).slice(0, SESSIONS_KEPT) : v1.sessions;
  let entries: unknown = [];
  try {
    entries = Array.isArray(sessions) ? sessions.map((s) => entryOf(s as Session)) : [];
  } catch {
    entries = []; // the legacy sessions fail validation below, with a clear message
  }
  return { entries, series: v1.series, settings: v1.settings, legacy: sessions };
}

export class SessionsRepo {
  /** The guild record: index, series and settings. */
  readonly collection: Collection<GuildSessionIndex>;
  /** One record per session. */
  readonly records: Collection<Session>;
  /** Guilds this process has seen with no legacy sessions left (nothing writes v1 any more, so this stays true). */
  readonly #migrated = new Set<string>();

  constructor(
    private readonly keyv: Keyv,
    private readonly locks: Locks,
    cache?: RecordCache,
  ) {
    this.collection = new Collection(keyv, locks, { name: 'sessions', schema: GuildSessionIndex, version: 2, migrate, cache, writeValidatedInput: true });
    this.records = new Collection(keyv, locks, { name: 'session', schema: Session, version: 1, cache, writeValidatedInput: true });
  }

  /** The guild's index, after moving any v1 sessions to their own records. */
  async index(guildId: string): Promise<GuildSessionIndex> {
    const current = await this.collection.get(guildId);
    if (!current) return empty();
    if (current.legacy === undefined) {
      this.#migrated.add(guildId);
      return current;
    }
    return this.migrateGuild(guildId);
  }

  /** Idempotent: writes each legacy session to its own record, then drops `legacy`. Safe to call at start-up. */
  async migrateGuild(guildId: string): Promise<GuildSessionIndex> {
    const next = await this.collection.update([guildId], async (current) => {
      if (!current) return undefined;
      if (current.legacy === undefined) return current;
      for (const s of current.legacy.slice(0, SESSIONS_KEPT)) await this.records.update([guildId, s.id], () => s);
      const { legacy: _legacy, ...rest } = current;
      return rest;
    });
    this.#migrated.add(guildId);
    return next ?? empty();
  }

  async #ready(guildId: string): Promise<void> {
    if (!this.#migrated.has(guildId)) await this.index(guildId);
  }

  async all(guildId: string): Promise<GuildSessions> {
    const index = await this.index(guildId);
    return { sessions: await this.#load(guildId, index.entries), series: index.series as Series[], settings: index.settings };
  }

  /** The sessions the scheduler still has work for. */
  async open(guildId: string): Promise<{ sessions: Session[]; series: Series[] }> {
    const index = await this.index(guildId);
    return { sessions: await this.#load(guildId, index.entries.filter((e) => e.open)), series: index.series as Series[] };
  }

  async #load(guildId: string, entries: readonly SessionEntry[]): Promise<Session[]> {
    const found = await this.records.getMany(entries.map((e) => [guildId, e.id]));
    return found.filter((s): s is Session => s !== undefined);
  }

  async get(guildId: string, sessionId: string): Promise<Session | undefined> {
    if (!SessionId.safeParse(sessionId).success) return undefined;
    await this.#ready(guildId);
    return this.records.get(guildId, sessionId);
  }

  /** Every group's session settings, from the guild index alone (no session record is read). */
  async allSettings(guildId: string): Promise<Readonly<Record<string, Settings>>> {
    return (await this.index(guildId)).settings;
  }

  async settings(guildId: string, groupId: string): Promise<Settings> {
    return (await this.index(guildId)).settings[groupId] ?? DEFAULT_SESSION_SETTINGS;
  }

  /**
   * Saves a new session: its record and its index entry, in one store call (one statement on SQLite and Postgres,
   * one MULTI on Redis; see ../write-batch.ts) under the index's lock, so a session is either fully saved or not
   * at all. Sessions that fall off the end of the bounded index are deleted afterwards; an entry whose record is
   * missing reads as no session, so a crash before those deletes leaves nothing visible.
   */
  async add(guildId: string, session: Session): Promise<void> {
    await this.#ready(guildId);
    const indexKey = this.collection.key(guildId);
    const dropped = await this.locks.run(indexKey, async () => {
      const base = (await this.collection.get(guildId)) ?? empty();
      const entries = [entryOf(session), ...base.entries.filter((e) => e.id !== session.id)].sort((a, b) => b.startsAt - a.startsAt);
      // A new id: no one else can know the record yet, so it needs no lock of its own.
      await writeBatch(this.keyv, [
        this.records.prepare([guildId, session.id], session),
        this.collection.prepare([guildId], { ...base, entries: entries.slice(0, SESSIONS_KEPT) }),
      ]);
      return entries.slice(SESSIONS_KEPT);
    });
    for (const e of dropped) await this.records.delete(guildId, e.id);
  }

  /** Applies a change to the guild's series and settings under its lock and returns what the change returns. */
  async mutate<R>(guildId: string, change: (record: GuildRecord) => R): Promise<R> {
    await this.#ready(guildId);
    let result!: R;
    await this.collection.update([guildId], (current) => {
      const base = current ?? empty();
      const record: GuildRecord = { entries: base.entries, series: structuredClone(base.series) as Series[], settings: structuredClone(base.settings) };
      result = change(record);
      return { ...base, series: record.series, settings: record.settings };
    });
    return result;
  }

  /** Changes one session under its own lock, if it exists; returns the new session (or null). */
  async update(guildId: string, sessionId: string, change: (session: Session) => Session | null): Promise<Session | null> {
    await this.#ready(guildId);
    let next: Session | null = null;
    await this.records.update([guildId, sessionId], (current) => {
      if (!current) return undefined;
      next = change(structuredClone(current) as Session);
      return next ?? current;
    });
    const saved = next as Session | null;
    if (!saved) return null;
    const entry = entryOf(saved);
    const index = await this.collection.get(guildId);
    const stored = index?.entries.find((e) => e.id === sessionId);
    if (stored && !sameEntry(stored, entry)) {
      await this.collection.update([guildId], (current) => {
        if (!current) return current;
        const entries = current.entries.map((e) => (e.id === sessionId ? entry : e)).sort((a, b) => b.startsAt - a.startsAt);
        return { ...current, entries };
      });
    }
    return structuredClone(saved);
  }

  /** What /privacy export shows: the sessions a member created or answered. */
  async forMember(guildId: string, userId: string) {
    const { sessions } = await this.all(guildId);
    return sessions
      .filter((s) => s.createdBy === userId || s.willRead.includes(userId) || s.cantMake.includes(userId) || s.readIt.includes(userId))
      .map((s) => ({
        sessionId: s.id,
        resourceId: s.resourceId,
        startsAt: new Date(s.startsAt).toISOString(),
        createdByYou: s.createdBy === userId,
        willRead: s.willRead.includes(userId),
        cantMake: s.cantMake.includes(userId),
        readIt: s.readIt.includes(userId),
      }));
  }

  /** /privacy delete: removes the member's answers and anonymises what they created. Returns sessions touched. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    const { sessions } = await this.all(guildId);
    let touched = 0;
    for (const found of sessions) {
      if (found.createdBy !== userId && !found.willRead.includes(userId) && !found.cantMake.includes(userId) && !found.readIt.includes(userId)) continue;
      await this.update(guildId, found.id, (s) => ({
        ...s,
        willRead: s.willRead.filter((id) => id !== userId),
        cantMake: s.cantMake.filter((id) => id !== userId),
        readIt: s.readIt.filter((id) => id !== userId),
        createdBy: s.createdBy === userId ? '0' : s.createdBy,
      }));
      touched++;
    }
    await this.mutate(guildId, (record) => {
      for (const series of record.series) if (series.createdBy === userId) series.createdBy = '0';
    });
    return touched;
  }

  /** Removes every session record and the guild record. */
  async purgeGuild(guildId: string): Promise<void> {
    const index = await this.index(guildId).catch(() => empty());
    for (const e of index.entries) await this.records.delete(guildId, e.id);
    await this.collection.delete(guildId);
    this.#migrated.delete(guildId);
  }
}
