/**
 * Reading progress: one record per (guild, member), plus a per-guild index of members and one small completion
 * count per (guild, resource), so server-wide figures never need a scan and a mark crossing "done" writes one
 * tiny record whatever the number of members or resources. Progress is per guild: servers never see each other's
 * data.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export { PROGRESS_STATUSES, ProgressStatus, NOTE_MAX, ProgressEntry, MemberProgress } from '../../domain/progress-entities.ts';
import { ProgressStatus, NOTE_MAX, MemberProgress, type ProgressEntry } from '../../domain/progress-entities.ts';

/** Who in a guild has any progress: rewritten only when a member marks something for the first time. */
export const GuildMembers = z.object({ members: z.array(z.string()) });
/** How many members finished one resource (`progress-done-count:<guild>:<resource>`). */
export const DoneCount = z.object({ count: z.number().int().nonnegative() });
/** The layout before per-resource counts: one record of every resource's count per guild, migrated on first
 *  touch of the guild (it cannot be found without a scan at start-up). */
export const GuildDoneCounts = z.object({ counts: z.record(z.string(), z.number().int().nonnegative()) });

export interface GuildProgressIndex {
  members: readonly string[];
}

/** Applies a status change to an entry, keeping the first start and the completion time honest. */
export function applyStatus(
  previous: ProgressEntry | undefined,
  status: ProgressStatus,
  note: string | null | undefined,
  now: number,
): ProgressEntry {
  const started = status === 'reading' || status === 'done' ? (previous?.startedAt ?? now) : (previous?.startedAt ?? null);
  const completedAt = status === 'done' ? (previous?.status === 'done' ? (previous.completedAt ?? now) : now) : null;
  return {
    status,
    note: note === undefined ? (previous?.note ?? null) : note,
    startedAt: started,
    completedAt,
    updatedAt: now,
  };
}

export class ProgressRepo {
  readonly members: Collection<MemberProgress>;
  readonly memberIndex: Collection<z.infer<typeof GuildMembers>>;
  readonly doneCounts: Collection<z.infer<typeof DoneCount>>;
  readonly legacyDoneCounts: Collection<z.infer<typeof GuildDoneCounts>>;
  /** Guilds whose old done-count record this process has seen migrated (or absent). */
  readonly #migrated = new Set<string>();

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.members = new Collection(keyv, locks, { name: 'progress', schema: MemberProgress, version: 1, cache });
    this.memberIndex = new Collection(keyv, locks, { name: 'progress-members', schema: GuildMembers, version: 1, cache });
    this.doneCounts = new Collection(keyv, locks, { name: 'progress-done-count', schema: DoneCount, version: 1, cache });
    this.legacyDoneCounts = new Collection(keyv, locks, { name: 'progress-done', schema: GuildDoneCounts, version: 1, cache });
  }

  /**
   * Moves the guild's old all-resources count record into per-resource records, under the old record's lock.
   * Idempotent and safe to interrupt: the counts are written (overwritten) first and the old record deleted last,
   * and no count changes before the old record is gone, so a rerun after a crash writes the same values again.
   * Lock order is always old record, then a count; marks take it before the member's record.
   */
  async migrateDoneCounts(guildId: string): Promise<void> {
    if (this.#migrated.has(guildId)) return;
    await this.legacyDoneCounts.update([guildId], async (old) => {
      for (const [resourceId, count] of Object.entries(old?.counts ?? {})) {
        await this.doneCounts.update([guildId, resourceId], () => (count > 0 ? { count } : undefined));
      }
      return undefined;
    });
    this.#migrated.add(guildId);
  }

  async #addDone(guildId: string, resourceId: string, delta: number): Promise<void> {
    await this.doneCounts.update([guildId, resourceId], (current) => {
      const count = Math.max(0, (current?.count ?? 0) + delta);
      return count > 0 ? { count } : undefined;
    });
  }

  async get(guildId: string, userId: string): Promise<MemberProgress> {
    return (await this.members.get(guildId, userId)) ?? { entries: {} };
  }

  async guildIndex(guildId: string): Promise<GuildProgressIndex> {
    const members = await this.memberIndex.get(guildId);
    return { members: members?.members ?? [] };
  }

  /** Sets one resource's status for a member and returns the new entry. */
  async mark(
    guildId: string,
    userId: string,
    resourceId: string,
    status: ProgressStatus,
    options: { note?: string | null; now: number },
  ): Promise<{ entry: ProgressEntry; previous: ProgressEntry | undefined }> {
    await this.migrateDoneCounts(guildId);
    let previous: ProgressEntry | undefined;
    let isNewMember = false;
    const record = await this.members.update([guildId, userId], (current) => {
      isNewMember = current === undefined;
      previous = current?.entries[resourceId];
      const entries = { ...(current?.entries ?? {}) };
      entries[resourceId] = applyStatus(previous, status, options.note, options.now);
      return { entries };
    });
    const wasDone = previous?.status === 'done';
    const isDone = status === 'done';
    // Lock order is always member record, then the guild's records, so the locks can never deadlock.
    if (isNewMember) {
      await this.memberIndex.update([guildId], (current) =>
        current?.members.includes(userId) ? current : { members: [...(current?.members ?? []), userId] },
      );
    }
    if (wasDone !== isDone) await this.#addDone(guildId, resourceId, isDone ? 1 : -1);
    return { entry: record.entries[resourceId]!, previous };
  }

  /** /privacy delete: removes the member's record and their share of the guild's counts. Returns entries removed. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    await this.migrateDoneCounts(guildId);
    let removed: MemberProgress | undefined;
    await this.members.update([guildId, userId], (current) => {
      removed = current;
      return undefined;
    });
    await this.memberIndex.update([guildId], (current) => (current ? { members: current.members.filter((m) => m !== userId) } : current));
    const finished = Object.entries(removed?.entries ?? {}).filter(([, entry]) => entry.status === 'done');
    for (const [resourceId] of finished) await this.#addDone(guildId, resourceId, -1);
    return Object.keys(removed?.entries ?? {}).length;
  }

  /**
   * Deletes every member record, the index and the counts of a guild (after the bot left it). A count exists only
   * while some member has the resource done (a count reaching 0 is deleted), so the members' records name them all.
   */
  async purgeGuild(guildId: string): Promise<void> {
    const { members } = await this.guildIndex(guildId);
    const resources = new Set<string>();
    const BATCH = 500;
    for (let i = 0; i < members.length; i += BATCH) {
      const records = await this.members.getMany(members.slice(i, i + BATCH).map((userId) => [guildId, userId]));
      for (const record of records) for (const resourceId of Object.keys(record?.entries ?? {})) resources.add(resourceId);
    }
    // Counts first, members next, the index last: a purge interrupted anywhere is finished by the next one.
    for (const resourceId of resources) await this.doneCounts.delete(guildId, resourceId);
    await this.legacyDoneCounts.delete(guildId);
    for (const userId of members) await this.members.delete(guildId, userId);
    await this.memberIndex.delete(guildId);
  }

  /** How many members of the guild have finished a resource. */
  async doneCount(guildId: string, resourceId: string): Promise<number> {
    await this.migrateDoneCounts(guildId);
    return (await this.doneCounts.get(guildId, resourceId))?.count ?? 0;
  }
}
