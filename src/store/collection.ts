/**
 * A typed, versioned set of records in the key-value store. Values are wrapped as { v, data } and validated on
 * every read: a record that fails validation raises CorruptRecordError instead of reading as empty, so the next
 * write can never silently replace real data. Every read-modify-write goes through `update`, under a per-key lock.
 */
import type Keyv from 'keyv';
import type { z } from 'zod';
import { deepFreeze } from './codec.ts';
import { CorruptRecordError, StoreUnavailableError } from './errors.ts';
import type { RecordCache } from './record-cache.ts';
import type { Locks } from './locks.ts';

interface Envelope {
  v: number;
  data: unknown;
}

/** One record's validated write, for a WriteBatch (./write-batch.ts). */
export interface PreparedWrite {
  key: string;
  value: unknown;
  /** The validated record as it will read back from this process's cache once written. */
  data: unknown;
  /** Called once the batch is stored: updates what this process caches for the record. */
  written: () => void;
}

export interface CollectionOptions<T> {
  /** Key prefix, for example "progress". Must not contain ':' so prefixes never overlap. */
  name: string;
  schema: z.ZodType<T>;
  version: number;
  /** Upgrades an older envelope's data to the current version. */
  migrate?: (data: unknown, fromVersion: number) => unknown;
  /** Write-through cache, only for a store this process alone writes (see RecordCache). */
  cache?: RecordCache | undefined;
  /**
   * Write the value given, once it validates, instead of the schema's parsed copy. Only for a schema with no
   * defaults or transforms (its parsed copy equals its input, less unknown keys). Parts of a record that were read
   * from the store are frozen, and the codec reuses their encoded text by identity (see ./codec.ts), so a large
   * record that changed one item is encoded in a fraction of the time; the parsed copy would be all new objects.
   */
  writeValidatedInput?: boolean;
}

export class Collection<T> {
  /** Validated values by the decoded object they came from: the codec returns the same frozen object for the
   *  same stored text, so an unchanged record is validated once, not on every read. */
  readonly #validated = new WeakMap<object, T>();

  constructor(
    private readonly keyv: Keyv,
    private readonly locks: Locks,
    private readonly options: CollectionOptions<T>,
  ) {
    if (!/^[a-z][a-z0-9-]*$/.test(options.name)) throw new Error(`bad collection name ${options.name}`);
  }

  key(...parts: string[]): string {
    for (const part of parts) {
      if (part.length === 0 || part.includes(':')) throw new Error(`bad key part "${part}" in ${this.options.name}`);
    }
    return [this.options.name, ...parts].join(':');
  }

  async get(...parts: string[]): Promise<T | undefined> {
    return this.read(this.key(...parts));
  }

  async getMany(partsList: string[][]): Promise<(T | undefined)[]> {
    if (partsList.length === 0) return [];
    const keys = partsList.map((parts) => this.key(...parts));
    const cache = this.options.cache;
    const results: (T | undefined)[] = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((key, i) => {
      const hit = cache?.get(key);
      if (hit) results[i] = hit.value as T | undefined;
      else missing.push(i);
    });
    if (missing.length > 0) {
      const raws = await this.call(() => this.keyv.getMany<Envelope>(missing.map((i) => keys[i]!)));
      raws.forEach((raw, j) => {
        const i = missing[j]!;
        results[i] = this.decode(keys[i]!, raw);
        cache?.set(keys[i]!, results[i]);
      });
    }
    return results;
  }

  /**
   * Reads, transforms and writes one record atomically with respect to this process.
   * Returning undefined from `change` deletes the record.
   */
  async update<R extends T | undefined>(parts: string[], change: (current: T | undefined) => R | Promise<R>): Promise<R> {
    const key = this.key(...parts);
    return this.locks.run(key, async () => {
      const current = await this.read(key);
      const next = await change(current);
      if (next === undefined) {
        if (current !== undefined) {
          await this.call(() => this.keyv.delete(key));
          this.options.cache?.set(key, undefined);
        }
      } else {
        await this.write(key, next);
      }
      return next;
    });
  }

  /** Writes a record without reading it first (a key the caller has just made up), under its lock. */
  async put(parts: string[], value: T): Promise<void> {
    const key = this.key(...parts);
    await this.locks.run(key, () => this.write(key, value));
  }

  /**
   * Writes (or, with undefined, deletes) one record WITHOUT taking its lock: only for a caller that already holds
   * it through `locks.run(collection.key(...))`, to make several writes under one lock.
   */
  async putLocked(parts: string[], value: T | undefined): Promise<void> {
    const key = this.key(...parts);
    if (value !== undefined) return this.write(key, value);
    await this.call(() => this.keyv.delete(key));
    this.options.cache?.set(key, undefined);
  }

  async delete(...parts: string[]): Promise<boolean> {
    const key = this.key(...parts);
    return this.locks.run(key, async () => {
      const deleted = await this.call(() => this.keyv.delete(key));
      this.options.cache?.set(key, undefined);
      return deleted;
    });
  }

  private async read(key: string): Promise<T | undefined> {
    const hit = this.options.cache?.get(key);
    if (hit) return hit.value as T | undefined;
    const raw = await this.call(() => this.keyv.get<Envelope>(key));
    const value = this.decode(key, raw);
    this.options.cache?.set(key, value);
    return value;
  }

  private decode(key: string, raw: Envelope | undefined): T | undefined {
    if (raw === undefined || raw === null) return undefined;
    if (typeof raw !== 'object' || typeof raw.v !== 'number') throw new CorruptRecordError(key, 'missing version envelope');
    let data = raw.data;
    const current = raw.v === this.options.version && typeof data === 'object' && data !== null;
    if (current) {
      const cached = this.#validated.get(data as object);
      if (cached !== undefined) return cached;
    }
    if (raw.v > this.options.version) {
      throw new CorruptRecordError(key, `written by a newer version (v${raw.v} > v${this.options.version})`);
    }
    if (raw.v < this.options.version) {
      if (!this.options.migrate) throw new CorruptRecordError(key, `no migration from v${raw.v}`);
      data = this.options.migrate(data, raw.v);
    }
    const parsed = this.options.schema.safeParse(data);
    if (!parsed.success) throw new CorruptRecordError(key, parsed.error.issues[0]?.message ?? 'invalid');
    // Frozen, because the same value may be handed to later readers: changes must build new objects.
    const value = deepFreeze(parsed.data);
    if (current && Object.isFrozen(data)) this.#validated.set(data as object, value);
    return value;
  }

  /**
   * A write validated and ready to go into a WriteBatch with writes to other records (the caller holds every
   * record's lock, as for putLocked). Nothing is written until the batch commits.
   */
  prepare(parts: string[], value: T): PreparedWrite {
    const key = this.key(...parts);
    const parsed = this.#validate(value);
    return { key, value: { v: this.options.version, data: parsed }, data: parsed, written: () => this.#written(key, parsed) };
  }

  private async write(key: string, value: T): Promise<void> {
    const parsed = this.#validate(value);
    const envelope: Envelope = { v: this.options.version, data: parsed };
    const ok = await this.call(() => this.keyv.set(key, envelope));
    if (ok === false) throw new StoreUnavailableError(`write of ${key} was not acknowledged`);
    this.#written(key, parsed);
  }

  /** Validates before writing, so a bug can never persist a record that later reads as corrupt. */
  #validate(value: T): T {
    const parsed = this.options.schema.parse(value);
    return this.options.writeValidatedInput ? value : parsed;
  }

  #written(key: string, parsed: T): void {
    // A large value is frozen by the codec as it is written; it is already valid, so reads of it need no check.
    if (typeof parsed === 'object' && parsed !== null && Object.isFrozen(parsed)) this.#validated.set(parsed, parsed);
    this.options.cache?.set(key, deepFreeze(parsed));
  }

  private async call<R>(operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof CorruptRecordError || error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(`store operation failed: ${(error as Error).message}`, { cause: error });
    }
  }
}
