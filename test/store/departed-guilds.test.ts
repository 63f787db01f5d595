/**
 * Departed guilds, one record each: the purge finds due guilds through day buckets without scanning, and the old
 * single `departed-guilds:all` record migrates idempotently, also after being interrupted.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { DepartedGuildsRepo, PURGE_AFTER_MS } from '../../src/store/repos/departed-guilds.ts';
import { storeBackends } from '../harness/store-backends.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 12);

const backends = storeBackends('departed');

describe.each(backends)('departed guilds on $name', ({ url }) => {
  const open = async () => {
    const store = await openStore(url, { namespace: `t${randomUUID().slice(0, 8)}`, busyTimeoutMs: 2_000 });
    return { store, repo: new DepartedGuildsRepo(store.keyv, store.locks) };
  };

  it('writes one record per guild and purges each 30 days after it left, unless it came back', async () => {
    const { store, repo } = await open();
    try {
      await Promise.all(['g1', 'g2', 'g3'].map((g) => repo.markLeft(g, T0)));
      await repo.markLeft('g4', T0 + 2 * DAY);
      await repo.markLeft('g1', T0 + DAY); // a second GUILD_DELETE keeps the first departure
      expect(await repo.leftAt('g1')).toBe(T0);
      expect(await store.keyv.get('departed-guilds:all')).toBeUndefined();
      expect((await store.keyv.get('departed-day:' + Math.floor(T0 / DAY)))?.data.guilds.sort()).toEqual(['g1', 'g2', 'g3']);
      await repo.markPresent('g2');
      expect(await repo.due(T0 + PURGE_AFTER_MS - 1)).toEqual([]);
      expect((await repo.due(T0 + PURGE_AFTER_MS)).sort()).toEqual(['g1', 'g3']);
      // Still due until forgotten (a failed purge is retried).
      expect((await repo.due(T0 + PURGE_AFTER_MS + 1)).sort()).toEqual(['g1', 'g3']);
      await repo.forget('g1');
      await repo.forget('g3');
      expect(await repo.due(T0 + PURGE_AFTER_MS + 1)).toEqual([]);
      // The drained bucket is gone and the cursor moved past it.
      expect(await store.keyv.get('departed-day:' + Math.floor(T0 / DAY))).toBeUndefined();
      expect(await repo.due(T0 + 2 * DAY + PURGE_AFTER_MS)).toEqual(['g4']);
      // Left, came back, left again later: due 30 days after the second departure only.
      await repo.markLeft('g5', T0 + 3 * DAY);
      await repo.markPresent('g5');
      await repo.markLeft('g5', T0 + 10 * DAY);
      expect(await repo.due(T0 + 3 * DAY + PURGE_AFTER_MS)).toEqual(['g4']);
      expect((await repo.due(T0 + 10 * DAY + PURGE_AFTER_MS)).sort()).toEqual(['g4', 'g5']);
    } finally {
      await store.close();
    }
  });

  it('migrates the old single record at start, idempotently, also after an interrupted run', async () => {
    const { store, repo } = await open();
    try {
      const legacy = { v: 1, data: { guilds: { a1: T0, a2: T0 + DAY, a3: T0 - 5 * DAY } } };
      await store.keyv.set('departed-guilds:all', legacy);
      // An interrupted earlier run: a1 already written, the old record still there.
      await repo.markLeft('a1', T0);
      expect(await repo.migrate()).toBe(3);
      expect(await repo.migrate()).toBe(0);
      expect(await store.keyv.get('departed-guilds:all')).toBeUndefined();
      expect([await repo.leftAt('a1'), await repo.leftAt('a2'), await repo.leftAt('a3')]).toEqual([T0, T0 + DAY, T0 - 5 * DAY]);
      expect((await repo.due(T0 + DAY + PURGE_AFTER_MS)).sort()).toEqual(['a1', 'a2', 'a3']);
    } finally {
      await store.close();
    }
  });
});
