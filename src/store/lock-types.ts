/** The lock interfaces, apart from their implementations (./locks.ts, ./keyed-mutex.ts), so neither imports the other's module for them. */
export interface Locks {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Resolves when all queued work in this process has settled. */
  idle(): Promise<void>;
}

/** A lease that at most one process holds at a time. */
export interface LeaseStore {
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}
