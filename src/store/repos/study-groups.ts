/**
 * Study groups (cohorts) and their weekly digest schedule and ledger: one record per guild, so creating, joining
 * and claiming a digest run are each one locked read-modify-write.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export { Schedule, DigestRun, StudyGroup, GuildGroups } from '../../domain/study-group-entities.ts';
import { Schedule, DigestRun, StudyGroup, GuildGroups } from '../../domain/study-group-entities.ts';

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
