/**
 * A write-through cache of decoded records, for a store that only this process writes: a SQLite file, which one
 * process owns (the per-key locks rely on that too). Reads of a cached key skip the database; every write and
 * delete updates the cache after the store has acknowledged it. Shared stores (Redis, Postgres) never use it,
 * because another process may have changed a record since we last saw it.
 */
const ABSENT = Symbol('absent');

export class RecordCache {
  // Two generations instead of a strict LRU: a hit in the young map costs one lookup (no delete and re-insert);
  // a hit in the old one moves the entry up. When the young map is half the budget it becomes the old one, and
  // the previous old one is dropped. Dropping is always safe: every write goes through set().
  #young = new Map<string, unknown>();
  #old = new Map<string, unknown>();

  constructor(private readonly maxEntries = 5_000) {}

  /** `{ value }` when the key's current value is known (value undefined = known to be absent). */
  get(key: string): { value: unknown } | undefined {
    let entry = this.#young.get(key);
    if (entry === undefined) {
      entry = this.#old.get(key);
      if (entry === undefined) return undefined;
      this.#old.delete(key);
      this.#insert(key, entry);
    }
    return { value: entry === ABSENT ? undefined : entry };
  }

  set(key: string, value: unknown): void {
    this.#old.delete(key);
    this.#insert(key, value === undefined ? ABSENT : value);
  }

  forget(key: string): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  /** How many entries are held (at most maxEntries). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #insert(key: string, entry: unknown): void {
    this.#young.set(key, entry);
    if (this.#young.size >= Math.max(1, this.maxEntries >> 1)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }
}
