import type { Locks } from './lock-types.ts';

/**
 * Serialises async work per key. Keyv has no transactions, so every read-modify-write of one record runs
 * inside `run(key, …)`; work on different keys still runs concurrently. A guild lives on exactly one shard,
 * so per-process serialisation is enough for per-guild records.
 */
export class KeyedMutex implements Locks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    // The stored tail never rejects, so one failure does not poison the queue for the next caller.
    const tail = current.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Number of keys with queued or running work (for shutdown and tests). */
  get busyKeys(): number {
    return this.#tails.size;
  }

  /** Resolves when every queued piece of work has settled. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }
}
