/**
 * Collections of items (an array, or a record of items by key) validated item by item, once.
 *
 * An array of items each validated against `schema`, where an item already validated and frozen is not checked
 * again. A change keeps the items it did not touch as the same frozen objects it read, so writing a record
 * validates (and the store freezes) only what changed. As strict as z.array(schema) on every new object.
 *
 * A new item is frozen once valid (the store freezes what it writes anyway), so an item written to two records in
 * one action is checked once, and the codec can keep its text for the next write (see ./codec.ts).
 */
import { z } from 'zod';
import { deepFreeze } from './codec.ts';

/** Whether an item is valid: checked against `schema` the first time, then known by identity (it is frozen). */
function checkedOnce(schema: z.ZodType<object>): (value: unknown) => boolean {
  const checked = new WeakSet<object>();
  return (value) => {
    if (typeof value !== 'object' || value === null) return false;
    if (checked.has(value)) return true;
    if (!schema.safeParse(value).success) return false;
    checked.add(deepFreeze(value));
    return true;
  };
}

export function checkedArray<S extends z.ZodType<object>>(schema: S, options: { max?: number; message?: string } = {}) {
  const valid = checkedOnce(schema);
  const max = options.max ?? Infinity;
  // One check for the whole array rather than a zod node per item: on a record of 500 items that is most of the
  // cost of validating a write.
  return z.custom<z.infer<S>[]>((value) => Array.isArray(value) && value.length <= max && value.every(valid), { message: options.message ?? 'invalid record item' });
}

/**
 * A record of items by key, checked like checkedArray: each key against `key`, each item against `schema` unless
 * it was validated and frozen before. As strict as z.record(key, schema) on every new item.
 */
export function checkedRecord<S extends z.ZodType<object>>(key: (k: string) => boolean, schema: S, options: { message?: string } = {}) {
  const valid = checkedOnce(schema);
  return z.custom<Record<string, z.infer<S>>>(
    (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      for (const k of Object.keys(value)) if (!key(k) || !valid((value as Record<string, unknown>)[k])) return false;
      return true;
    },
    { message: options.message ?? 'invalid record item' },
  );
}
