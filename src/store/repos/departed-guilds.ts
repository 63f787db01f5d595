/**
 * Guilds the bot was removed from, and when. Their data is purged after a grace period unless the bot is added
 * back first, so an accidental kick loses nothing and a deliberate one leaves nothing behind.
 *
 * Layout: one record per departed guild (`departed-guild:<id>`), so shards leaving and joining different guilds
 * never write the same record; plus, for the purge, one small bucket per UTC day listing the guilds that left that
 * day (`departed-day:<day>`) and a cursor (`departed-cursor:purge`, the oldest day that may still hold a guild to
 * purge). The purge reads the buckets from the cursor to 30 days ago, usually one, and never scans the store.
 * A bucket entry can be stale (the guild came back, or left again later); the guild's own record decides.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { MigrationStep } from '../migration-step.ts';
import type { RecordCache } from '../record-cache.ts';

const Departed = z.object({ leftAt: z.number().int() });
const DayBucket = z.object({ guilds: z.array(z.string()) });
const Cursor = z.object({ day: z.number().int() });
/** The layout before one key per guild: a single record every shard wrote. Migrated by `migrate()`. */
const LegacyAll = z.object({ guilds: z.record(z.string(), z.number().int()) });

export const PURGE_AFTER_MS = 30 * 86_400_000;
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

export class DepartedGuildsRepo {
  readonly guilds: Collection<z.infer<typeof Departed>>;
  readonly days: Collection<z.infer<typeof DayBucket>>;
  readonly cursor: Collection<z.infer<typeof Cursor>>;
  readonly legacy: Collection<z.infer<typeof LegacyAll>>;

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.guilds = new Collection(keyv, locks, { name: 'departed-guild', schema: Departed, version: 1, cache });
    this.days = new Collection(keyv, locks, { name: 'departed-day', schema: DayBucket, version: 1, cache });
    this.cursor = new Collection(keyv, locks, { name: 'departed-cursor', schema: Cursor, version: 1, cache });
    this.legacy = new Collection(keyv, locks, { name: 'departed-guilds', schema: LegacyAll, version: 1, cache });
  }

  async markLeft(guildId: string, now: number): Promise<void> {
    let leftAt = now;
    let added = false;
    await this.guilds.update([guildId], (current) => {
      if (current) {
        leftAt = current.leftAt;
        return current;
      }
      added = true;
      return { leftAt: now };
    });
    // A crash between the two writes leaves a guild without its bucket entry; markLeft again (every GUILD_DELETE,
    // every HTTP-mode reconcile, the migration) adds it, as it always writes the bucket when the entry is missing.
    const day = dayOf(leftAt);
    const bucket = await this.days.get(String(day));
    if (added || !bucket?.guilds.includes(guildId)) {
      await this.days.update([String(day)], (current) =>
        current?.guilds.includes(guildId) ? current : { guilds: [...(current?.guilds ?? []), guildId] },
      );
    }
    const cursor = await this.cursor.get('purge');
    if (!cursor || cursor.day > day) {
      await this.cursor.update(['purge'], (current) => (current && current.day <= day ? current : { day }));
    }
  }

  /** The bot is (back) in the guild: cancel any pending purge. The day bucket's entry goes stale, harmlessly. */
  async markPresent(guildId: string): Promise<void> {
    if ((await this.guilds.get(guildId)) === undefined) return;
    await this.guilds.delete(guildId);
  }

  async leftAt(guildId: string): Promise<number | undefined> {
    return (await this.guilds.get(guildId))?.leftAt;
  }

  /**
   * Guilds whose grace period is over. Reads the day buckets from the cursor to 30 days ago; buckets with nothing
   * left to purge are deleted and the cursor moves past them, so the next call reads only what is new.
   */
  async due(now: number): Promise<string[]> {
    const cursor = await this.cursor.get('purge');
    if (!cursor) return [];
    const lastDay = dayOf(now - PURGE_AFTER_MS);
    const due: string[] = [];
    let firstPending: number | undefined;
    for (let day = cursor.day; day <= lastDay; day++) {
      const bucket = await this.days.get(String(day));
      if (!bucket) continue;
      const records = await this.guilds.getMany(bucket.guilds.map((id) => [id]));
      let pending = false;
      bucket.guilds.forEach((id, i) => {
        const leftAt = records[i]?.leftAt;
        // Stale entries: the guild is back (no record) or left again on another day (its own bucket has it).
        if (leftAt === undefined || dayOf(leftAt) !== day) return;
        pending = true;
        if (now - leftAt >= PURGE_AFTER_MS) due.push(id);
      });
      if (pending) firstPending ??= day;
      else if (firstPending === undefined) await this.days.delete(String(day));
    }
    const next = firstPending ?? lastDay + 1;
    if (next > cursor.day) await this.cursor.update(['purge'], (current) => (current && current.day < next ? { day: next } : current));
    return due;
  }

  async forget(guildId: string): Promise<void> {
    await this.markPresent(guildId);
  }

  /**
   * Moves the old single `departed-guilds:all` record into one record per guild: the start-up migration
   * `departed-guilds-v2` (src/store/migrations.ts). Idempotent: a guild whose own record exists keeps it, and the
   * old record is deleted only after every guild was written, so a process killed half-way loses nothing and the
   * next start finishes the job. `step` runs after each guild and after the delete.
   */
  async migrate(step: MigrationStep = async () => undefined): Promise<number> {
    const old = await this.legacy.get('all');
    if (!old) return 0;
    const entries = Object.entries(old.guilds);
    for (const [guildId, leftAt] of entries) {
      await this.markLeft(guildId, leftAt);
      await step();
    }
    await this.legacy.delete('all');
    await step();
    return entries.length;
  }
}
