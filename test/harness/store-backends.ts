/**
 * The backends a store test runs on: SQLite always (a file in a fresh temporary folder, removed after the file's
 * tests), Redis and PostgreSQL when REDIS_URL / POSTGRES_URL are set (`.ci/run` sets both). `shared` is true where
 * other processes and other test files share the server, so a test there must keep to its own namespace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export type StoreBackend = { name: 'sqlite' | 'redis' | 'postgres'; url: string; shared: boolean };

/** Call at a test file's top level: it registers the clean-up of the SQLite folder with `afterAll`. */
export function storeBackends(prefix: string): StoreBackend[] {
  const dir = mkdtempSync(join(tmpdir(), `induction-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return [
    { name: 'sqlite', url: `sqlite://${join(dir, 'store.sqlite')}`, shared: false },
    ...(process.env.REDIS_URL ? [{ name: 'redis' as const, url: process.env.REDIS_URL, shared: true }] : []),
    ...(process.env.POSTGRES_URL ? [{ name: 'postgres' as const, url: process.env.POSTGRES_URL, shared: true }] : []),
  ];
}
