/** The migrations runner: each migration once, recorded only when complete; a shard converts only its own guilds. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMigrations, shardOwnership, storeMigrations, type Migration } from '../../src/store/migrations.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { DepartedGuildsRepo } from '../../src/store/repos/departed-guilds.ts';
import { expectedFixture, legacyFixture } from '../store/claims-fixture.ts';
import { openStore } from '../../src/store/open-store.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const store = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'induction-migrations-'));
  dirs.push(dir);
  return openStore(`sqlite://${join(dir, 's.sqlite')}`);
};

describe('runMigrations', () => {
  it('runs each migration once, and again after a run that failed part-way', async () => {
    const s = await store();
    let runs = 0;
    let fail = true;
    const completed: string[] = [];
    const m: Migration = {
      id: 'm1',
      run: async () => {
        runs++;
        if (fail) throw new Error('killed');
        return { converted: 1 };
      },
      complete: () => completed.push('m1'),
    };
    await expect(runMigrations(s.keyv, s.locks, [m])).rejects.toThrow('killed');
    expect(completed).toEqual([]);
    fail = false;
    expect(await runMigrations(s.keyv, s.locks, [m])).toEqual(['m1']);
    expect(await runMigrations(s.keyv, s.locks, [m])).toEqual([]);
    expect(runs).toBe(2);
    expect(completed).toEqual(['m1', 'm1']);
    await s.close();
  });

  it('records nothing for a partial (per-shard) run', async () => {
    const s = await store();
    const m: Migration = { id: 'm2', run: async () => ({ converted: 0 }) };
    expect(await runMigrations(s.keyv, s.locks, [m], undefined, async () => undefined, { partial: true })).toEqual(['m2']);
    expect(await runMigrations(s.keyv, s.locks, [m])).toEqual(['m2']);
    expect(await runMigrations(s.keyv, s.locks, [m])).toEqual([]);
    await s.close();
  });
});

describe('claims-v2 with one damaged server', () => {
  it('converts the others, leaves the damaged record, logs it, and tries again at the next start', async () => {
    const s = await store();
    for (const [key, value] of legacyFixture('100000000000000001')) await s.keyv.set(key, value);
    await s.keyv.set('claims:100000000000000002', { v: 1, data: { claims: [{ id: 'c1' }], history: [] } });
    const errors: object[] = [];
    const log = { info: () => undefined, error: (o: object) => errors.push(o) };
    const claims = new ClaimsRepo(s.keyv, s.locks);
    const repos = { claims, departedGuilds: new DepartedGuildsRepo(s.keyv, s.locks) };
    expect(await runMigrations(s.keyv, s.locks, storeMigrations(s.keyv, repos), log)).toEqual(['claims-v2', 'departed-guilds-v2']);
    expect(errors).toHaveLength(1);
    expect(claims.legacyPossible).toBe(true);
    expect(await claims.guild('100000000000000001')).toEqual(expectedFixture());
    expect(await s.keyv.get('claims:100000000000000002')).toBeDefined();
    // Not recorded: the next start runs it again (and finds only the damaged one); the departed guilds' one is done.
    expect(await runMigrations(s.keyv, s.locks, storeMigrations(s.keyv, repos), log)).toEqual(['claims-v2']);
    expect(errors).toHaveLength(2);
    await s.close();
  });
});

describe('departed-guilds-v2', () => {
  it('moves the single departed-guilds record to one record per guild at start-up, then never reads it again', async () => {
    const s = await store();
    await s.keyv.set('departed-guilds:all', { v: 1, data: { guilds: { '100000000000000001': 1_000, '100000000000000002': 86_400_000 * 3 } } });
    const repos = { claims: new ClaimsRepo(s.keyv, s.locks), departedGuilds: new DepartedGuildsRepo(s.keyv, s.locks) };
    expect(await runMigrations(s.keyv, s.locks, storeMigrations(s.keyv, repos))).toEqual(['claims-v2', 'departed-guilds-v2']);
    expect(await s.keyv.get('departed-guilds:all')).toBeUndefined();
    expect(await repos.departedGuilds.leftAt('100000000000000001')).toBe(1_000);
    expect(await repos.departedGuilds.leftAt('100000000000000002')).toBe(86_400_000 * 3);
    // Recorded as applied: a record written back by an old release is not picked up again, by design of the runner.
    await s.keyv.set('departed-guilds:all', { v: 1, data: { guilds: { '100000000000000003': 5 } } });
    expect(await runMigrations(s.keyv, s.locks, storeMigrations(s.keyv, repos))).toEqual([]);
    expect(await repos.departedGuilds.leftAt('100000000000000003')).toBeUndefined();
    await s.close();
  });
});

describe('shardOwnership', () => {
  it('gives a guild to the shard (id >> 22) % count', () => {
    expect(shardOwnership({})).toBeUndefined();
    const guild = String((5n << 22n) + 123n); // shard 5 % 4 = 1
    expect(shardOwnership({ SHARDS: '1', SHARD_COUNT: '4' })!(guild)).toBe(true);
    expect(shardOwnership({ SHARDS: '0', SHARD_COUNT: '4' })!(guild)).toBe(false);
    expect(shardOwnership({ SHARDS: '0,1', SHARD_COUNT: '4' })!(guild)).toBe(true);
  });
});
