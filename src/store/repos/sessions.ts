/**
 * Reading sessions, weekly series and per-group session settings: one record per guild, so scheduling, an RSVP,
 * claiming a reminder and creating a series occurrence are each one locked read-modify-write.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import { DEFAULT_SESSION_SETTINGS, GroupSessionSettings, Series, Session, SESSIONS_KEPT, type GroupSessionSettings as Settings } from '../../domain/sessions.ts';

export const GuildSessions = z.object({
  sessions: z.array(Session),
  series: z.array(Series),
  settings: z.record(z.string(), GroupSessionSettings),
});
export type GuildSessions = z.infer<typeof GuildSessions>;

const empty = (): GuildSessions => ({ sessions: [], series: [], settings: {} });

export class SessionsRepo {
  readonly collection: Collection<GuildSessions>;
  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'sessions', schema: GuildSessions, version: 1, cache });
  }

  async all(guildId: string): Promise<GuildSessions> {
    return (await this.collection.get(guildId)) ?? empty();
  }

  async get(guildId: string, sessionId: string): Promise<Session | undefined> {
    return (await this.all(guildId)).sessions.find((s) => s.id === sessionId);
  }

  async settings(guildId: string, groupId: string): Promise<Settings> {
    return (await this.all(guildId)).settings[groupId] ?? DEFAULT_SESSION_SETTINGS;
  }

  /** Applies a change to the guild's record under its lock and returns what the change returns. */
  async mutate<R>(guildId: string, change: (record: GuildSessions) => R): Promise<R> {
    let result!: R;
    await this.collection.update([guildId], (current) => {
      // A JSON round trip: the record is plain JSON, and this is cheaper than structuredClone for it.
      const record: GuildSessions = current ? JSON.parse(JSON.stringify(current)) : empty();
      result = change(record);
      // Keep the newest sessions; old held or cancelled ones fall off the end.
      record.sessions.sort((a, b) => b.startsAt - a.startsAt);
      if (record.sessions.length > SESSIONS_KEPT) record.sessions = record.sessions.slice(0, SESSIONS_KEPT);
      return record;
    });
    return result;
  }

  /** Changes one session, if it exists; returns the new session (or null). */
  async update(guildId: string, sessionId: string, change: (session: Session) => Session | null): Promise<Session | null> {
    return this.mutate(guildId, (record) => {
      const i = record.sessions.findIndex((s) => s.id === sessionId);
      if (i < 0) return null;
      const next = change(structuredClone(record.sessions[i]!));
      if (!next) return null;
      record.sessions[i] = next;
      return structuredClone(next);
    });
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
    return this.mutate(guildId, (record) => {
      let touched = 0;
      for (const s of record.sessions) {
        const before = JSON.stringify([s.willRead, s.cantMake, s.readIt, s.createdBy]);
        s.willRead = s.willRead.filter((id) => id !== userId);
        s.cantMake = s.cantMake.filter((id) => id !== userId);
        s.readIt = s.readIt.filter((id) => id !== userId);
        if (s.createdBy === userId) s.createdBy = '0';
        if (JSON.stringify([s.willRead, s.cantMake, s.readIt, s.createdBy]) !== before) touched++;
      }
      for (const series of record.series) if (series.createdBy === userId) series.createdBy = '0';
      return touched;
    });
  }
}
