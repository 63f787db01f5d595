/**
 * Locks around read-modify-writes. In one process a KeyedMutex is enough, and a guild lives on exactly one shard.
 * When several processes may handle the same guild without shard affinity (for example HTTP interactions behind
 * a load balancer on Redis or Postgres), a lease in the store itself is taken as well: Redis SET NX PX, or an
 * atomic upsert on a Postgres lease row.
 */
import { randomUUID } from 'node:crypto';
import { StoreUnavailableError } from './errors.ts';
import { KeyedMutex } from './keyed-mutex.ts';

export type { LeaseStore, Locks } from './lock-types.ts';
import type { LeaseStore, Locks } from './lock-types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LeasedLocks implements Locks {
  readonly #local = new KeyedMutex();

  constructor(
    private readonly leases: LeaseStore,
    private readonly options: { ttlMs?: number; waitMs?: number } = {},
  ) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    // Serialise locally first, so this process never competes with itself for the lease.
    return this.#local.run(key, async () => {
      const token = randomUUID();
      const ttl = this.options.ttlMs ?? 10_000;
      const deadline = Date.now() + (this.options.waitMs ?? 5_000);
      let delay = 2;
      const acquire = async () => {
        try {
          return await this.leases.acquire(key, token, ttl);
        } catch (error) {
          throw new StoreUnavailableError(`could not take the lock on ${key}: ${(error as Error).message}`, { cause: error });
        }
      };
      while (!(await acquire())) {
        if (Date.now() > deadline) throw new StoreUnavailableError(`timed out waiting for the lock on ${key}`);
        await sleep(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 50);
      }
      try {
        return await work();
      } finally {
        await this.leases.release(key, token).catch(() => undefined);
      }
    });
  }

  idle(): Promise<void> {
    return this.#local.idle();
  }
}

interface RedisLike {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export function redisLeases(client: () => Promise<RedisLike>, prefix: string): LeaseStore {
  return {
    async acquire(key, token, ttlMs) {
      return (await (await client()).set(`${prefix}lock:${key}`, token, { NX: true, PX: ttlMs })) === 'OK';
    },
    async release(key, token) {
      await (await client()).eval(RELEASE_SCRIPT, { keys: [`${prefix}lock:${key}`], arguments: [token] });
    },
  };
}

type Query = (sql: string, values?: unknown[]) => Promise<{ token?: string }[]>;

export async function postgresLeases(query: Query, table = 'induction_locks'): Promise<LeaseStore> {
  await query(`CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, token TEXT NOT NULL, expires_at BIGINT NOT NULL)`);
  return {
    async acquire(key, token, ttlMs) {
      const now = Date.now();
      // One statement: take the row if it is free or its lease has expired, atomically.
      const rows = await query(
        `INSERT INTO ${table} (key, token, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
         WHERE ${table}.expires_at < $4
         RETURNING token`,
        [key, token, now + ttlMs, now],
      );
      return rows[0]?.token === token;
    },
    async release(key, token) {
      await query(`DELETE FROM ${table} WHERE key = $1 AND token = $2`, [key, token]);
    },
  };
}
