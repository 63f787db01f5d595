/**
 * writeBatch on every backend (SQLite always; Redis and PostgreSQL when REDIS_URL / POSTGRES_URL are set): several
 * records in one store call, each readable afterwards through its collection, the last write to a key winning, and
 * on SQLite one statement for the whole batch.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Collection } from '../../src/store/collection.ts';
import { openStore } from '../../src/store/open-store.ts';
import { RecordCache } from '../../src/store/record-cache.ts';
import { writeBatch } from '../../src/store/write-batch.ts';
import { storeBackends } from '../harness/store-backends.ts';

const backends = storeBackends('write-batch');

const Note = z.object({ text: z.string().max(20) });

describe.each(backends)('writeBatch on $name', ({ name, url }) => {
  it('writes every record of the batch, last write to a key wins, and the next reads see them', async () => {
    const namespace = `t${randomUUID().slice(0, 8)}`;
    const store = await openStore(url, { namespace });
    try {
      const cache = store.exclusive ? new RecordCache() : undefined;
      const a = new Collection(store.keyv, store.locks, { name: 'batch-a', schema: Note, version: 1, cache });
      const b = new Collection(store.keyv, store.locks, { name: 'batch-b', schema: Note, version: 1, cache });
      await a.put(['1'], { text: 'old' });
      const adapter = (store.keyv as unknown as { opts: { store: { query?: (...args: unknown[]) => Promise<unknown> } } }).opts.store;
      let statements = 0;
      const query = adapter.query;
      if (name === 'sqlite' && query) {
        adapter.query = (...args: unknown[]) => {
          statements++;
          return query.apply(adapter, args);
        };
      }
      await writeBatch(store.keyv, [a.prepare(['1'], { text: 'first' }), b.prepare(['2'], { text: 'two' }), a.prepare(['1'], { text: 'new' }), a.prepare(['3'], { text: 'three' })]);
      if (name === 'sqlite') {
        expect(statements).toBe(1);
        adapter.query = query;
      }
      expect(await a.get('1')).toEqual({ text: 'new' });
      expect(await b.get('2')).toEqual({ text: 'two' });
      expect(await a.get('3')).toEqual({ text: 'three' });
      // Straight from the store too, not only from this process's cache.
      const fresh = new Collection(store.keyv, store.locks, { name: 'batch-a', schema: Note, version: 1 });
      expect(await fresh.get('1')).toEqual({ text: 'new' });
      // A value the schema refuses is refused before anything is written.
      expect(() => a.prepare(['1'], { text: 'x'.repeat(21) })).toThrow();
      expect(await fresh.get('1')).toEqual({ text: 'new' });
    } finally {
      await store.close();
    }
  });
});
