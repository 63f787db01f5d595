/**
 * The same repository behaviour on every backend: SQLite always, and real Redis and PostgreSQL when REDIS_URL or
 * POSTGRES_URL is set (.ci/run sets both for the local servers).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/store/collection.ts';
import { CorruptRecordError } from '../../src/store/errors.ts';
import { openStore, type OpenedStore } from '../../src/store/open-store.ts';
import { ProgressRepo } from '../../src/store/repos/progress.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { storeBackends } from '../harness/store-backends.ts';

const backends = storeBackends('backends');

const Counter = z.object({ n: z.number().int() });

describe.each(backends)('$name store', ({ url }) => {
  // Each run gets its own namespace, so parallel runs on one server never see each other's keys.
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const open = () => openStore(url, { namespace, busyTimeoutMs: 2_000 });
  const counters = (store: OpenedStore) => new Collection(store.keyv, store.locks, { name: 'counter', schema: Counter, version: 1 });

  it('keeps all 100 concurrent updates of one key', async () => {
    const store = await open();
    try {
      const c = counters(store);
      await Promise.all(Array.from({ length: 100 }, () => c.update(['k'], (cur) => ({ n: (cur?.n ?? 0) + 1 }))));
      expect(await c.get('k')).toEqual({ n: 100 });
    } finally {
      await store.close();
    }
  });

  it('keeps data across a restart and reads many records at once', async () => {
    const first = await open();
    const repo = new ProgressRepo(first.keyv, first.locks);
    await repo.mark('g1', 'u1', 'r1', 'done', { now: 1 });
    await repo.mark('g1', 'u2', 'r1', 'reading', { now: 2 });
    await first.close();
    const second = await open();
    try {
      const again = new ProgressRepo(second.keyv, second.locks);
      expect((await again.get('g1', 'u1')).entries.r1?.status).toBe('done');
      expect(await again.doneCount('g1', 'r1')).toBe(1);
      const many = await again.members.getMany([['g1', 'u1'], ['g1', 'nobody'], ['g1', 'u2']]);
      expect(many.map((m) => m?.entries.r1?.status)).toEqual(['done', undefined, 'reading']);
    } finally {
      await second.close();
    }
  });

  it('reports a corrupt record instead of treating it as missing', async () => {
    const store = await open();
    try {
      await store.keyv.set('counter:bad', { v: 1, data: { n: 'x' } });
      await expect(counters(store).get('bad')).rejects.toBeInstanceOf(CorruptRecordError);
    } finally {
      await store.close();
    }
  });

});

// SQLite is owned by one process; only the shared backends need the lease that makes several processes safe.
describe.each(backends.filter((b) => b.shared))('$name store across processes', ({ name, url }) => {
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const open = () => openStore(url, { namespace, busyTimeoutMs: 2_000 });
  const counters = (store: OpenedStore) => new Collection(store.keyv, store.locks, { name: 'counter', schema: Counter, version: 1 });

  it('serialises updates from two processes with a lease in the store', async () => {
    // Two stores, each with its own in-process lock, stand in for two processes handling the same guild.
    const a = await open();
    const b = await open();
    try {
      const ca = counters(a);
      const cb = counters(b);
      const bump = (c: Collection<{ n: number }>) => c.update(['shared'], (cur) => ({ n: (cur?.n ?? 0) + 1 }));
      await Promise.all(Array.from({ length: 60 }, (_, i) => bump(i % 2 ? ca : cb)));
      expect(await ca.get('shared')).toEqual({ n: 60 });
      // Control: with only in-process locks, the same race loses updates, which is why the lease exists.
      const la = new Collection(a.keyv, new KeyedMutex(), { name: 'counter', schema: Counter, version: 1 });
      const lb = new Collection(b.keyv, new KeyedMutex(), { name: 'counter', schema: Counter, version: 1 });
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? la : lb).update(['racy'], (cur) => ({ n: (cur?.n ?? 0) + 1 }))));
      expect((await la.get('racy'))!.n).toBeLessThan(60);
    } finally {
      await a.close();
      if (name !== 'postgres') await b.close(); // @keyv/postgres shares one pool per URL: closing one closes both
    }
  });
});
