import { describe, expect, it } from 'vitest';
import Keyv from 'keyv';
import { z } from 'zod';
import { createJsonCodec, deepFreeze, stringifyReusing } from '../../src/store/codec.ts';
import { Collection } from '../../src/store/collection.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';

const sample = () => ({
  claims: Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, userId: String(1e17 + i), note: i % 3 ? null : 'a "quoted" note\n✓', at: i * 1.5, pinned: i % 2 === 0, skip: undefined, tags: ['x', undefined, { deep: [i, -0, Number.NaN] }] })),
  seq: 40,
  empty: [],
  nested: { a: { b: [[1, 2], []] } },
  when: new Date(0),
  gone: undefined,
});

describe('stringifyReusing', () => {
  it('writes exactly what JSON.stringify writes, on fresh and on frozen values, cold and warm', () => {
    const texts = new WeakMap<object, string>();
    const fresh = sample();
    expect(stringifyReusing(fresh, texts)).toBe(JSON.stringify(fresh));
    const frozen = deepFreeze(sample());
    expect(stringifyReusing(frozen, texts)).toBe(JSON.stringify(frozen));
    expect(stringifyReusing(frozen, texts)).toBe(JSON.stringify(frozen));
    for (const v of [null, 1, 'x', true, [undefined], [() => 1], { f: () => 1 }]) expect(stringifyReusing(v, texts)).toBe(JSON.stringify(v) ?? 'null');
  });

  it('reuses the text of a frozen item, and never of one that can still change', () => {
    const texts = new WeakMap<object, string>();
    const item = deepFreeze({ id: 'c1', n: 1 });
    stringifyReusing([item], texts);
    expect(texts.get(item)).toBe('{"id":"c1","n":1}');
    // A frozen item holding something mutable is not remembered: its text could go stale.
    const inner = { n: 1 };
    const shallow = Object.freeze({ id: 'c2', inner });
    stringifyReusing([shallow], texts);
    expect(texts.has(shallow)).toBe(false);
    inner.n = 2;
    expect(stringifyReusing([shallow], texts)).toBe('[{"id":"c2","inner":{"n":2}}]');
    const open = { id: 'c3' };
    stringifyReusing([open], texts);
    expect(texts.has(open)).toBe(false);
  });

  it('reuses the text of a frozen property value too (a record of items by key), and never of a mutable one', () => {
    const texts = new WeakMap<object, string>();
    const card = deepFreeze({ due: 1, stability: 3.260200000000001, lastReview: null });
    const record = { cards: { 'attention-head': card, 'induction-head': { due: 2 } }, streak: { length: 1 } };
    expect(stringifyReusing(record, texts)).toBe(JSON.stringify(record));
    expect(texts.get(card)).toBe(JSON.stringify(card));
    expect(texts.has(record.cards['induction-head'])).toBe(false);
    const inner = { n: 1 };
    const shallow = Object.freeze({ inner });
    stringifyReusing({ a: shallow }, texts);
    expect(texts.has(shallow)).toBe(false);
    inner.n = 2;
    expect(stringifyReusing({ a: shallow }, texts)).toBe('{"a":{"inner":{"n":2}}}');
    // The root itself is never remembered: it is the record being written.
    const root = deepFreeze({ x: 1 });
    stringifyReusing(root, texts);
    expect(texts.has(root)).toBe(false);
  });

  it('a changed record re-encodes only its new items: the codec keeps the rest by identity', () => {
    const codec = createJsonCodec({ minCachedLength: 1 });
    const claims = Array.from({ length: 3 }, (_, i) => ({ id: `c${i}` }));
    const first = { value: { v: 1, data: { claims } } };
    const text = codec.serialize(first); // freezes what it wrote
    expect(Object.isFrozen(claims[0])).toBe(true);
    const next = { value: { v: 1, data: { claims: [...claims.slice(1), { id: 'c9' }] } } };
    expect(codec.serialize(next)).toBe(JSON.stringify(next));
    expect(codec.deserialize(text)).toEqual(first);
  });
});

describe('createJsonCodec decoding memo', () => {
  it('returns the same frozen value for the same text, and never one decoded from a different text', () => {
    const codec = createJsonCodec({ minCachedLength: 10 });
    // Same length, same start, middle and end: only the characters in between differ (the fingerprint collides).
    const make = (c: string) => JSON.stringify({ a: 'x'.repeat(200) + c + 'y'.repeat(200), b: 'z'.repeat(100) + c + 'w'.repeat(300) });
    const one = make('1');
    const two = make('2');
    expect(one.length).toBe(two.length);
    const v1 = codec.deserialize<{ a: string }>(one)!;
    expect(codec.deserialize(one)).toBe(v1);
    expect(Object.isFrozen(v1)).toBe(true);
    const v2 = codec.deserialize<{ a: string }>(two)!;
    expect(v2.a).toContain('2');
    expect(codec.deserialize<{ a: string }>(one)!.a).toContain('1');
    // What was just written reads back decoded, without parsing again.
    const data = { value: { list: Array.from({ length: 5 }, (_, i) => ({ i })) } };
    const text = codec.serialize(data);
    expect(codec.deserialize(text)).toBe(data);
  });
});

describe('Collection writeValidatedInput', () => {
  const Item = z.object({ id: z.string(), n: z.number() });
  const Doc = z.object({ items: z.array(Item) });
  const collection = (writeValidatedInput: boolean) => {
    const keyv = new Keyv();
    const written: unknown[] = [];
    const set = keyv.set.bind(keyv);
    keyv.set = ((key: string, value: { data: unknown }) => (written.push(value.data), set(key, value))) as typeof keyv.set;
    return { written, c: new Collection(keyv, new KeyedMutex(), { name: 'doc', schema: Doc, version: 1, writeValidatedInput }) };
  };

  it('writes the value given (so frozen items keep their encoded text), and still refuses an invalid one', async () => {
    const { written, c } = collection(true);
    const doc = { items: [deepFreeze({ id: 'a', n: 1 })] };
    await c.put(['g'], doc);
    expect(written[0]).toBe(doc);
    await expect(c.put(['g'], { items: [{ id: 'b', n: 'x' }] } as never)).rejects.toThrow();
    expect(written).toHaveLength(1);
  });

  it('writes the parsed copy by default', async () => {
    const { written, c } = collection(false);
    const doc = { items: [{ id: 'a', n: 1 }] };
    await c.put(['g'], doc);
    expect(written[0]).not.toBe(doc);
    expect(written[0]).toEqual(doc);
  });
});
