/**
 * The departed-guilds migration (departed-guilds-v2) survives SIGKILL at any point, on every backend: a child
 * process moves the old single record to one record per guild and kills itself after its Nth step; the next start
 * finishes, and every guild's departure time and purge bucket are there.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { DepartedGuildsRepo, PURGE_AFTER_MS } from '../../src/store/repos/departed-guilds.ts';
import { storeBackends } from '../harness/store-backends.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);
const backends = storeBackends('departed-kill');
// Five guilds that left on three different days.
const LEFT: Record<string, number> = Object.fromEntries(
  [0, 0, 1, 2, 2].map((day, i) => [String(100000000000000001n + BigInt(i)), T0 + day * DAY + i * 60_000]),
);

const start = (url: string, namespace: string, killAfter?: number) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'test/store/migrate-child.ts', url, namespace], {
    cwd: ROOT,
    env: { ...process.env, INDUCTION_MIGRATION_KILL_AFTER_WRITES: killAfter === undefined ? '' : String(killAfter) },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe.each(backends)('departed guilds migration under SIGKILL on $name', ({ url }) => {
  // One step per guild written, then one for deleting the old record: kill after each of the six.
  it.each([1, 2, 3, 4, 5, 6])('loses nothing when killed after step %i, and the next start finishes', async (killAfter) => {
    const namespace = `t${randomUUID().slice(0, 8)}`;
    const seed = await openStore(url, { namespace });
    await seed.keyv.set('departed-guilds:all', { v: 1, data: { guilds: LEFT } });
    await seed.close();

    const killed = start(url, namespace, killAfter);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');

    const next = start(url, namespace);
    expect(next.status, next.stderr).toBe(0);
    // claims-v2 (nothing to convert) was recorded by the killed run; only this one runs again.
    expect(JSON.parse(next.stdout)).toEqual({ ran: ['departed-guilds-v2'] });

    const store = await openStore(url, { namespace });
    try {
      const repo = new DepartedGuildsRepo(store.keyv, store.locks);
      expect(await store.keyv.get('departed-guilds:all')).toBeUndefined();
      for (const [guildId, leftAt] of Object.entries(LEFT)) expect(await repo.leftAt(guildId)).toBe(leftAt);
      // The purge finds every one of them through its day bucket once their 30 days are over.
      expect((await repo.due(T0 + 3 * DAY + PURGE_AFTER_MS)).sort()).toEqual(Object.keys(LEFT).sort());
    } finally {
      await store.close();
    }
  });

  it('takes exactly six steps for five guilds, so the kill points above cover every one', () => {
    const namespace = `t${randomUUID().slice(0, 8)}`;
    return (async () => {
      const seed = await openStore(url, { namespace });
      await seed.keyv.set('departed-guilds:all', { v: 1, data: { guilds: LEFT } });
      await seed.close();
      const run = start(url, namespace, 7);
      expect(run.signal).toBeNull();
      expect(run.status, run.stderr).toBe(0);
    })();
  });
});
