/**
 * Several records written in one store call: Keyv's setMany, which is one statement on SQLite (see open-store.ts)
 * and on Postgres (INSERT … UNNEST), and one MULTI/EXEC on Redis. Each is atomic on its backend, and a claim that
 * writes three records waits for one round trip instead of three. Only for records whose writes need no order
 * between them; the caller holds their locks (as for Collection#putLocked).
 */
import type Keyv from 'keyv';
import type { PreparedWrite } from './collection.ts';
import { CorruptRecordError, StoreUnavailableError } from './errors.ts';

export async function writeBatch(keyv: Keyv, writes: readonly PreparedWrite[]): Promise<void> {
  // The last write to a key wins (Postgres refuses one statement that updates a row twice).
  const byKey = new Map<string, PreparedWrite>();
  for (const w of writes) {
    byKey.delete(w.key);
    byKey.set(w.key, w);
  }
  const batch = [...byKey.values()];
  if (batch.length === 0) return;
  let results: unknown;
  try {
    results =
      batch.length === 1
        ? [await keyv.set(batch[0]!.key, batch[0]!.value)]
        : await keyv.setMany(batch.map((w) => ({ key: w.key, value: w.value })));
  } catch (error) {
    if (error instanceof CorruptRecordError || error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`store operation failed: ${(error as Error).message}`, { cause: error });
  }
  // Keyv reports a failed set as false (Postgres' setMany reports nothing, and throws on failure).
  if (Array.isArray(results) && results.some((ok) => ok === false)) {
    throw new StoreUnavailableError(`write of ${batch.map((w) => w.key).join(', ')} was not acknowledged`);
  }
  for (const w of batch) w.written();
}
