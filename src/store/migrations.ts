/**
 * Versioned store migrations, run at start-up before the bot serves anything. (Records that could only be found
 * by a scan, the old per-guild progress done counts, migrate instead the first time their guild is touched: see
 * ProgressRepo.) Each migration has an id; the ids applied are kept in one record (`migrations:applied`), so a
 * finished migration never runs again, and one that was interrupted (a crash, a SIGKILL) runs again from the start
 * at the next start-up. Every migration must therefore be idempotent and order its writes so that stopping after
 * any of them loses nothing.
 *
 * Test hook: INDUCTION_MIGRATION_KILL_AFTER_WRITES=N makes this process SIGKILL itself after the Nth write.
 */
import type Keyv from 'keyv';
import { z } from 'zod';
import { Collection } from './collection.ts';
import type { Locks } from './locks.ts';
import type { ClaimsRepo } from './repos/claims.ts';
import type { MigrationStep } from './migration-step.ts';
import type { DepartedGuildsRepo } from './repos/departed-guilds.ts';

export interface Migration {
  id: string;
  /**
   * Runs the migration; returns how many records (guilds, say) it converted, and how many it could not (those are
   * logged and left as they were; the migration is then not recorded as applied, so the next start tries again).
   */
  run(step: MigrationStep, log?: Log): Promise<{ converted: number; failed?: number }>;
  /** Called when the migration is known to be complete (now or in an earlier run). */
  complete?(): void;
}

const Applied = z.object({ ids: z.array(z.string()) });

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A step counter that kills the process after `killAfter` writes (the SIGKILL tests), or does nothing. */
export function killSwitch(killAfter = Number(process.env.INDUCTION_MIGRATION_KILL_AFTER_WRITES ?? 0)): MigrationStep {
  let writes = 0;
  return async () => {
    writes += 1;
    if (killAfter > 0 && writes >= killAfter) process.kill(process.pid, 'SIGKILL');
  };
}

/**
 * Runs the migrations not applied yet. With `partial` (a shard process converting only its own guilds) nothing is
 * recorded as applied and completion is not signalled: other shards' guilds may still be in an older layout.
 */
export async function runMigrations(
  keyv: Keyv,
  locks: Locks,
  migrations: readonly Migration[],
  log?: Log,
  step: MigrationStep = killSwitch(),
  options: { partial?: boolean } = {},
): Promise<string[]> {
  const record = new Collection(keyv, locks, { name: 'migrations', schema: Applied, version: 1 });
  const done = new Set((await record.get('applied'))?.ids ?? []);
  const ran: string[] = [];
  for (const migration of migrations) {
    if (!done.has(migration.id)) {
      const started = Date.now();
      const { converted, failed = 0 } = await migration.run(step, log);
      if (options.partial || failed > 0) {
        log?.info({ migration: migration.id, converted, failed, ms: Date.now() - started }, failed > 0 ? 'store migration incomplete: retried at the next start' : 'store migration applied to this shard');
        ran.push(migration.id);
        continue;
      }
      await record.update(['applied'], (current) => ({ ids: [...new Set([...(current?.ids ?? []), migration.id])] }));
      log?.info({ migration: migration.id, converted, ms: Date.now() - started }, 'store migration applied');
      ran.push(migration.id);
    }
    migration.complete?.();
  }
  return ran;
}

/**
 * claims-v2: from one record per guild (`claims:<guild>` + `claims-archive:<guild>:<n>`) to the bounded layout of
 * src/store/repos/claims-records.ts. Finds the old records with the store's key iterator.
 */
export function claimsLayoutV2(keyv: Keyv, claims: ClaimsRepo, owns: (guildId: string) => boolean = () => true): Migration {
  return {
    id: 'claims-v2',
    async run(step, log) {
      if (!keyv.iterator) throw new Error('the store cannot list its keys, so old claims records cannot be found');
      const guilds: string[] = [];
      for await (const [key] of keyv.iterator(keyv.namespace)) {
        const match = /^claims:([^:]+)$/.exec(String(key));
        if (match && owns(match[1]!)) guilds.push(match[1]!);
      }
      let converted = 0;
      let failed = 0;
      for (const guildId of guilds) {
        try {
          if (await claims.migrateGuild(guildId, step)) converted++;
        } catch (error) {
          // One damaged guild must not keep the bot from serving the others; its claims answer "unavailable".
          failed++;
          log?.error({ guildId, err: error }, 'could not convert this server\'s claims; left in the old layout');
        }
      }
      return { converted, failed };
    },
    complete() {
      claims.legacyPossible = false;
    },
  };
}

/**
 * departed-guilds-v2: from the single `departed-guilds:all` record every shard wrote to one record per guild
 * (src/store/repos/departed-guilds.ts). One read when there is nothing to do. Not per guild: any shard may run it,
 * and two running at once write the same records.
 */
export function departedGuildsV2(departed: DepartedGuildsRepo): Migration {
  return {
    id: 'departed-guilds-v2',
    async run(step) {
      return { converted: await departed.migrate(step) };
    },
  };
}

export interface MigratedRepos {
  claims: ClaimsRepo;
  departedGuilds: DepartedGuildsRepo;
}

/** Every migration, in order; `owns` limits per-guild conversions to some guilds (a shard's). */
export function storeMigrations(keyv: Keyv, repos: MigratedRepos, owns?: (guildId: string) => boolean): Migration[] {
  return [claimsLayoutV2(keyv, repos.claims, owns), departedGuildsV2(repos.departedGuilds)];
}

/**
 * The guilds a shard process owns, from the SHARDS and SHARD_COUNT a discord.js ShardingManager gives it (a guild's
 * shard is (id >> 22) % count); undefined outside a shard process.
 */
export function shardOwnership(env: NodeJS.ProcessEnv = process.env): ((guildId: string) => boolean) | undefined {
  if (env.SHARDS === undefined) return undefined;
  const shards = new Set(String(env.SHARDS).split(/[^\d]+/).filter(Boolean).map(Number));
  const count = BigInt(Number(env.SHARD_COUNT ?? 1) || 1);
  return (guildId) => /^\d+$/.test(guildId) && shards.has(Number((BigInt(guildId) >> 22n) % count));
}

/** The start-up run: every migration; in a shard process, its own guilds' conversions only. */
export async function migrateAtStart(keyv: Keyv, locks: Locks, repos: MigratedRepos, log?: Log): Promise<string[]> {
  const owns = shardOwnership();
  return runMigrations(keyv, locks, storeMigrations(keyv, repos, owns), log, killSwitch(), { partial: owns !== undefined });
}
