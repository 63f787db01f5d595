import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteConnection } from '../../src/store/sqlite-connection.ts';
import { openStore } from '../../src/store/open-store.ts';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'induction-sqlite-'));
  dirs.push(dir);
  return join(dir, 'store.sqlite');
};
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SqliteConnection', () => {
  it('prepares each statement once and reuses it', async () => {
    const prepare = vi.spyOn(sqlite3.Database.prototype, 'prepare');
    const connection = await SqliteConnection.open(tempFile(), 100);
    for (let i = 0; i < 5; i++) expect(await connection.query('SELECT ? AS n', i)).toEqual([{ n: i }]);
    // Parameters as one array, as @keyv/sqlite's iterator passes them.
    expect(await connection.query('SELECT ? AS n', [7])).toEqual([{ n: 7 }]);
    expect(prepare).toHaveBeenCalledTimes(1);
    // Concurrent first uses of one text keep a single statement and all answer.
    const rows = await Promise.all([1, 2, 3].map((n) => connection.query('SELECT ? * 2 AS n', n)));
    expect(rows).toEqual([[{ n: 2 }], [{ n: 4 }], [{ n: 6 }]]);
    await connection.close();
  });

  it("rejects bad SQL with SQLite's error and keeps working", async () => {
    const connection = await SqliteConnection.open(tempFile(), 100);
    await expect(connection.query('SELEKT 1')).rejects.toThrow(/syntax error/);
    await expect(connection.query('SELEKT 1')).rejects.toThrow(/syntax error/);
    expect(await connection.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await connection.close();
  });

  it('keeps at most 64 statements and still runs the evicted ones', async () => {
    const connection = await SqliteConnection.open(tempFile(), 100);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 80; i++) expect(await connection.query(`SELECT ${i} AS n`)).toEqual([{ n: i }]);
    }
    await connection.close();
  });

  it('is what the store runs on: records written through Keyv read back after reopening', async () => {
    const file = tempFile();
    const first = await openStore(`sqlite://${file}`);
    await first.keyv.setMany([
      { key: 'a', value: { v: 1 } },
      { key: 'b', value: { v: 2 } },
    ]);
    await first.keyv.set('c', { v: 3 });
    await first.close();
    const second = await openStore(`sqlite://${file}`);
    expect(await second.keyv.getMany(['a', 'b', 'c', 'd'])).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }, undefined]);
    const adapter = (second.keyv as unknown as { store: { query: (sql: string) => Promise<Record<string, unknown>[]> } }).store;
    // The per-connection settings hold on the connection that does the work.
    expect(await adapter.query('PRAGMA secure_delete')).toEqual([{ secure_delete: 1 }]);
    expect(await adapter.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]);
    expect(await adapter.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    await second.close();
  });
});
