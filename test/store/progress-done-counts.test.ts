/**
 * Done counts are one small record per (guild, resource): a mark crossing "done" rewrites only that record, and the
 * old all-resources record per guild migrates on first touch, idempotently, on every backend.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { ProgressRepo } from '../../src/store/repos/progress.ts';
import { storeBackends } from '../harness/store-backends.ts';

const backends = storeBackends('done');

describe.each(backends)('progress done counts on $name', ({ url }) => {
  const open = async () => {
    const store = await openStore(url, { namespace: `t${randomUUID().slice(0, 8)}`, busyTimeoutMs: 2_000 });
    return { store, repo: new ProgressRepo(store.keyv, store.locks) };
  };

  it('counts per resource, in records that do not grow with the guild', async () => {
    const { store, repo } = await open();
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => repo.mark('g', `u${i}`, 'r1', 'done', { now: 1 })));
      await repo.mark('g', 'u0', 'r2', 'done', { now: 2 });
      await repo.mark('g', 'u1', 'r1', 'reading', { now: 3 });
      expect([await repo.doneCount('g', 'r1'), await repo.doneCount('g', 'r2')]).toEqual([29, 1]);
      expect(await store.keyv.get('progress-done-count:g:r1')).toEqual({ v: 1, data: { count: 29 } });
      expect(await store.keyv.get('progress-done:g')).toBeUndefined();
      expect(await repo.forgetMember('g', 'u0')).toBe(2);
      expect([await repo.doneCount('g', 'r1'), await repo.doneCount('g', 'r2')]).toEqual([28, 0]);
      expect(await store.keyv.get('progress-done-count:g:r2')).toBeUndefined();
      await repo.purgeGuild('g');
      expect(await store.keyv.get('progress-done-count:g:r1')).toBeUndefined();
      expect(await repo.doneCount('g', 'r1')).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('migrates the old per-guild counts record on first touch, idempotently, also after an interrupted run', async () => {
    const { store, repo } = await open();
    try {
      await store.keyv.set('progress-done:g', { v: 1, data: { counts: { r1: 5, r2: 2, r3: 0 } } });
      // An interrupted earlier run already wrote one count.
      await store.keyv.set('progress-done-count:g:r1', { v: 1, data: { count: 5 } });
      await Promise.all([repo.doneCount('g', 'r1'), repo.mark('g', 'u1', 'r2', 'done', { now: 1 }), repo.mark('g', 'u2', 'r1', 'done', { now: 1 })]);
      expect([await repo.doneCount('g', 'r1'), await repo.doneCount('g', 'r2'), await repo.doneCount('g', 'r3')]).toEqual([6, 3, 0]);
      expect(await store.keyv.get('progress-done:g')).toBeUndefined();
      // A second process (fresh repository) finds nothing to migrate and reads the same counts.
      const other = new ProgressRepo(store.keyv, store.locks);
      expect(await other.doneCount('g', 'r1')).toBe(6);
    } finally {
      await store.close();
    }
  });
});
