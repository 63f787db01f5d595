/**
 * After an erasure (/privacy delete, the purge of a departed server) the deleted values must not survive in the
 * store's files either. On SQLite the store runs with `secure_delete=ON` (freed cells and pages are zeroed), and
 * here the write-ahead log, which still holds every old copy of each rewritten page, is checkpointed into the main
 * file and truncated to zero bytes. Redis and Postgres keep old values in their own files until the operator
 * compacts them (README, "Your data"): nothing this process can do safely from inside a request.
 */
import type Keyv from 'keyv';

interface SqliteLike {
  opts?: { dialect?: string };
  query(sql: string, ...params: unknown[]): Promise<unknown[]>;
}

function sqliteOf(keyv: Keyv): SqliteLike | undefined {
  const store = keyv.store as Partial<SqliteLike> | undefined;
  return store && store.opts?.dialect === 'sqlite' && typeof store.query === 'function' ? (store as SqliteLike) : undefined;
}

export interface Erasure {
  /** Makes what was just deleted unrecoverable from the store's files where the backend allows it. */
  compact(): Promise<void>;
}

export function erasureFor(keyv: Keyv): Erasure {
  return {
    async compact() {
      const db = sqliteOf(keyv);
      if (!db) return;
      // TRUNCATE copies every WAL frame into the main file (whose freed cells secure_delete zeroes) and empties the
      // WAL. Another process reading the same file can hold the checkpoint back; the next erasure retries it.
      await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
    },
  };
}
