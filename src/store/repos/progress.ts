/**
 * Reading progress: one record per (guild, member), plus a per-guild index of members and completion counts so
 * server-wide figures never need a scan. Progress is per guild: servers never see each other's data.
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
/** How many members finished each resource: small, so the frequent "done" changes stay cheap. */
export const GuildDoneCounts = z.object({ counts: z.record(z.string(), z.number().int().nonnegative()) });

export interface GuildProgressIndex {
  members: readonly string[];
  doneCounts: Readonly<Record<string, number>>;
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
  readonly doneCounts: Collection<z.infer<typeof GuildDoneCounts>>;

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.members = new Collection(keyv, locks, { name: 'progress', schema: MemberProgress, version: 1, cache });
    this.memberIndex = new Collection(keyv, locks, { name: 'progress-members', schema: GuildMembers, version: 1, cache });
    this.doneCounts = new Collection(keyv, locks, { name: 'progress-done', schema: GuildDoneCounts, version: 1, cache });
  }

  async get(guildId: string, userId: string): Promise<MemberProgress> {
    return (await this.members.get(guildId, userId)) ?? { entries: {} };
  }

  async guildIndex(guildId: string): Promise<GuildProgressIndex> {
    const [members, done] = await Promise.all([this.memberIndex.get(guildId), this.doneCounts.get(guildId)]);
    return { members: members?.members ?? [], doneCounts: done?.counts ?? {} };
  }

  /** Sets one resource's status for a member and returns the new entry. */
  async mark(
    guildId: string,
    userId: string,
    resourceId: string,
    status: ProgressStatus,
    options: { note?: string | null; now: number },
  ): Promise<{ entry: ProgressEntry; previous: ProgressEntry | undefined }> {
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
    if (wasDone !== isDone) {
      await this.doneCounts.update([guildId], (current) => ({
        counts: { ...current?.counts, [resourceId]: Math.max(0, (current?.counts[resourceId] ?? 0) + (isDone ? 1 : -1)) },
      }));
    }
    return { entry: record.entries[resourceId]!, previous };
  }

  /** /privacy delete: removes the member's record and their share of the guild's counts. Returns entries removed. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    let removed: MemberProgress | undefined;
    await this.members.update([guildId, userId], (current) => {
      removed = current;
      return undefined;
    });
    await this.memberIndex.update([guildId], (current) => (current ? { members: current.members.filter((m) => m !== userId) } : current));
    const finished = Object.entries(removed?.entries ?? {}).filter(([, entry]) => entry.status === 'done');
    if (finished.length > 0) {
      await this.doneCounts.update([guildId], (current) => {
        const counts = { ...current?.counts };
        for (const [resourceId] of finished) counts[resourceId] = Math.max(0, (counts[resourceId] ?? 0) - 1);
        return { counts };
      });
    }
    return Object.keys(removed?.entries ?? {}).length;
  }

  /** Deletes every member record and the index of a guild (after the bot left it). */
  async purgeGuild(guildId: string): Promise<void> {
    const { members } = await this.guildIndex(guildId);
    for (const userId of members) await this.members.delete(guildId, userId);
    await this.memberIndex.delete(guildId);
    await this.doneCounts.delete(guildId);
  }

  /** How many members of the guild have finished a resource. */
  async doneCount(guildId: string, resourceId: string): Promise<number> {
    return (await this.doneCounts.get(guildId))?.counts[resourceId] ?? 0;
  }
}
