/**
 * Study groups (cohorts) and their weekly digest schedule and ledger: one record per guild, so creating, joining
 * and claiming a digest run are each one locked read-modify-write.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export const Schedule = z.object({
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  hour: z.number().int().min(0).max(23),
  timezone: z.string().min(1).max(64),
  /** When the schedule was set: fire times before it are never "missed". */
  since: z.number().int(),
});
export type Schedule = z.infer<typeof Schedule>;

export const DigestRun = z.object({
  /** The local calendar date of the fire time, e.g. "2026-03-09": one run per group per week. */
  period: z.string(),
  fireAt: z.number().int(),
  state: z.enum(['posting', 'posted', 'failed']),
  claimedAt: z.number().int(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number().int().nullable(),
  /** Parts confirmed posted, so a resumed run continues where it stopped. */
  partsPosted: z.number().int().nonnegative(),
  messageIds: z.array(z.string()),
  late: z.boolean(),
  lastError: z.string().max(500).nullable(),
  /** A post Discord refused for permissions: the channel, and the permission flags (decimal) missing then. */
  blocked: z.object({ channelId: z.string(), missing: z.array(z.string().regex(/^\d+$/)).max(64) }).nullable().optional(),
  postedAt: z.number().int().nullable(),
});
export type DigestRun = z.infer<typeof DigestRun>;

export const StudyGroup = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/),
  name: z.string().min(1).max(50),
  channelId: z.string(),
  roleId: z.string().nullable(),
  /** When true the group covers every member who tracks progress in the server (the default group). */
  everyone: z.boolean(),
  members: z.array(z.string()),
  createdAt: z.number().int(),
  createdBy: z.string(),
  schedule: Schedule.nullable(),
  runs: z.array(DigestRun),
});
export type StudyGroup = z.infer<typeof StudyGroup>;

export const GuildGroups = z.object({ groups: z.array(StudyGroup) });
export type GuildGroups = z.infer<typeof GuildGroups>;

export const MAX_GROUPS = 25;
const RUNS_KEPT = 12;

export function groupIdFor(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return slug || 'group';
}

export class StudyGroupsRepo {
  readonly collection: Collection<GuildGroups>;
  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'studygroups', schema: GuildGroups, version: 1, cache });
  }

  async list(guildId: string): Promise<StudyGroup[]> {
    return (await this.collection.get(guildId))?.groups ?? [];
  }

  /** Applies a change to the guild's groups under the guild lock and returns whatever the change returns. */
  async mutate<R>(guildId: string, change: (groups: StudyGroup[]) => R): Promise<R> {
    let result!: R;
    await this.collection.update([guildId], (current) => {
      const groups = structuredClone(current?.groups ?? []);
      result = change(groups);
      return { groups };
    });
    return result;
  }

  /** /privacy delete: leaves every group and anonymises groups the member created. Returns the groups left. */
  async forgetMember(guildId: string, userId: string): Promise<string[]> {
    return this.mutate(guildId, (groups) => {
      const left: string[] = [];
      for (const group of groups) {
        if (group.members.includes(userId)) {
          group.members = group.members.filter((m) => m !== userId);
          left.push(group.name);
        }
        if (group.createdBy === userId) group.createdBy = '0';
      }
      return left;
    });
  }

  /** Records a digest run's new state, keeping only the most recent runs. */
  async recordRun(guildId: string, groupId: string, run: DigestRun): Promise<void> {
    await this.mutate(guildId, (groups) => {
      const group = groups.find((g) => g.id === groupId);
      if (!group) return;
      group.runs = [run, ...group.runs.filter((r) => r.period !== run.period)].sort((a, b) => b.fireAt - a.fireAt).slice(0, RUNS_KEPT);
    });
  }
}
