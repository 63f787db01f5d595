/**
 * Opens the Keyv store named by STORE_URL. keyv 5 silently falls back to an in-memory Map when it is handed a
 * URL string, so the adapter is always built here from the scheme, and the result is checked to be a real adapter.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { createJsonCodec } from './codec.ts';
import { StoreUnavailableError } from './errors.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { SqliteConnection } from './sqlite-connection.ts';
import { LeasedLocks, postgresLeases, redisLeases, type Locks } from './locks.ts';

export type StoreBackend = 'sqlite' | 'redis' | 'postgres';

export interface StoreOptions {
  /** How long SQLite waits for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Base folder for relative sqlite:// paths. */
  cwd?: string;
  /** Key namespace; tests use their own so they can share one Redis or Postgres. */
  namespace?: string;
  /** Several processes use this SQLite file (shard processes): no process may cache what it read. */
  sharedFile?: boolean;
}

export interface OpenedStore {
  readonly keyv: Keyv;
  readonly backend: StoreBackend;
  /** A description safe to log: never includes credentials. */
  readonly description: string;
  /** Per-key locks for read-modify-writes: in-process for SQLite, plus a lease in the store for shared backends. */
  readonly locks: Locks;
  /** Only this process writes the store (a SQLite file it owns), so decoded records may be cached. */
  readonly exclusive: boolean;
  close(): Promise<void>;
}

export const NAMESPACE = 'induction';

export function backendOf(url: string): StoreBackend {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (scheme === 'sqlite') return 'sqlite';
  if (scheme === 'redis' || scheme === 'rediss') return 'redis';
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  throw new Error(`unsupported STORE_URL scheme "${scheme}": use sqlite://, redis:// or postgres://`);
}

/** sqlite://state/x.sqlite is relative to cwd; sqlite:///abs/x.sqlite is absolute. */
export function sqlitePath(url: string, cwd = process.cwd()): string {
  const path = decodeURIComponent(url.replace(/^sqlite:\/\//i, ''));
  if (path === '' || path === ':memory:') throw new Error('STORE_URL must name a SQLite file, not an in-memory database');
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** Long enough for any normal write to finish, short enough to answer inside Discord's 3-second window. */
const BUSY_TIMEOUT_MS = 1_500;

async function sqliteAdapter(url: string, options: StoreOptions): Promise<KeyvStoreAdapter> {
  const file = sqlitePath(url, options.cwd);
  mkdirSync(dirname(file), { recursive: true });
  const adapter = new KeyvSqlite({
    uri: `sqlite://${file}`,
    busyTimeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS,
    // The default pages 10 rows at a time with OFFSET, which is quadratic on large tables.
    iterationLimit: 1_000,
  } as ConstructorParameters<typeof KeyvSqlite>[0]);
  // WAL lets readers proceed during a write and survives a killed process (the mode is kept in the file).
  await adapter.query('PRAGMA journal_mode=WAL');
  // The adapter's own connection prepares and finalizes every statement; ours keeps them (./sqlite-connection.ts).
  // The adapter has created its table by now, so its connection is closed and every later query runs on ours.
  await adapter.close();
  const connection = await SqliteConnection.open(file, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
  Object.assign(adapter, { query: connection.query, close: connection.close });
  // NORMAL sync is durable against crashes in WAL mode (these settings are per connection).
  await adapter.query('PRAGMA synchronous=NORMAL');
  // Deleted means gone from the file: freed cells and pages are overwritten with zeros, so a deleted member's data
  // cannot be read back from the file's bytes (the WAL is truncated after an erasure: src/store/erasure.ts).
  await adapter.query('PRAGMA secure_delete=ON');
  // Several records in one statement (Keyv's setMany uses it): one round trip to SQLite's thread instead of one per
  // record, and atomic. @keyv/sqlite 4 has no setMany of its own (Keyv would fall back to separate sets).
  const table = (adapter as unknown as { opts: { table: string } }).opts.table;
  Object.assign(adapter, {
    setMany: async (entries: { key: string; value: unknown }[]) => {
      if (entries.length === 0) return [];
      const rows = entries.map(() => '(?, ?)').join(', ');
      await adapter.query(
        `INSERT INTO ${table} (key, value) VALUES ${rows} ON CONFLICT(key) DO UPDATE SET value=excluded.value`,
        ...entries.flatMap((e) => [e.key, e.value]),
      );
      return entries.map(() => true);
    },
  });
  return adapter as unknown as KeyvStoreAdapter;
}

async function importAdapter(pkg: string): Promise<any> {
  try {
    return await import(pkg);
  } catch (error) {
    throw new Error(`STORE_URL needs the optional package ${pkg}: run npm install ${pkg}`, { cause: error });
  }
}

export async function openStore(url: string, options: StoreOptions = {}): Promise<OpenedStore> {
  const backend = backendOf(url);
  const namespace = options.namespace ?? NAMESPACE;
  let adapter: KeyvStoreAdapter;
  let locks: Locks;
  try {
    if (backend === 'sqlite') {
      adapter = await sqliteAdapter(url, options);
      // One process owns a SQLite file, so an in-process lock is enough.
      locks = new KeyedMutex();
    } else if (backend === 'redis') {
      const mod = await importAdapter('@keyv/redis');
      // Fail fast while Redis is unreachable instead of queueing commands until it returns: a member should get
      // "storage is temporarily unavailable" within Discord's 3 seconds, not a timed-out interaction.
      const client = mod.createClient({
        url,
        disableOfflineQueue: true,
        socket: { connectTimeout: 3_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 3_000) },
      });
      const redis = new mod.default(client, { throwOnConnectError: true, throwOnErrors: true, connectionTimeout: 3_000 });
      adapter = redis;
      await redis.getClient();
      locks = new LeasedLocks(redisLeases(() => redis.getClient(), `${namespace}:`));
    } else {
      const mod = await importAdapter('@keyv/postgres');
      const pg = new mod.default({ uri: url, table: 'induction_kv', max: 10, connectionTimeoutMillis: 5_000 });
      adapter = pg;
      await pg.query('SELECT 1');
      locks = new LeasedLocks(await postgresLeases((sql, values) => pg.query(sql, values)));
    }
  } catch (error) {
    throw new StoreUnavailableError(`could not open the ${backend} store at ${redact(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const codec = createJsonCodec();
  const keyv = new Keyv({
    store: adapter,
    namespace,
    throwOnErrors: true,
    useKeyPrefix: true,
    serialize: codec.serialize,
    deserialize: codec.deserialize as never,
  });
  if (keyv.store instanceof Map || keyv.store !== adapter) {
    // Never run on memory by accident: that would lose every member's data at the next restart.
    throw new StoreUnavailableError(`refusing to run on an in-memory store for ${redact(url)}`);
  }
  return {
    keyv,
    backend,
    description: `${backend} ${redact(url)}`,
    locks,
    exclusive: backend === 'sqlite' && !options.sharedFile,
    close: async () => {
      await keyv.disconnect();
    },
  };
}
