/**
 * checkedArray / checkedRecord: as strict as z.array / z.record on every new item, while an item validated once
 * (and so frozen) is not checked again.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkedArray, checkedRecord } from '../../src/store/checked-items.ts';
import { MemberFlashcardsSchema } from '../../src/store/repos/flashcards.ts';
import { GuildSessionIndex } from '../../src/store/repos/sessions.ts';
import { applyAnswer, emptyFlashcards } from '../../src/domain/flashcards.ts';

const Item = z.object({ n: z.number().int() });

describe('checkedArray', () => {
  const Items = checkedArray(Item, { max: 3 });

  it('accepts valid items and freezes them once checked', () => {
    const items = [{ n: 1 }, { n: 2 }];
    expect(Items.safeParse(items).success).toBe(true);
    expect(Object.isFrozen(items[0])).toBe(true);
  });

  it('refuses an invalid new item next to items checked before', () => {
    const old = { n: 1 };
    expect(Items.safeParse([old]).success).toBe(true);
    expect(Items.safeParse([old, { n: 1.5 }]).success).toBe(false);
    expect(Items.safeParse([old, null]).success).toBe(false);
  });

  it('refuses a frozen item it never validated', () => {
    expect(Items.safeParse([Object.freeze({ n: 'x' })]).success).toBe(false);
  });

  it('refuses more than max items and anything not an array', () => {
    expect(Items.safeParse([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]).success).toBe(false);
    expect(Items.safeParse({ 0: { n: 1 } }).success).toBe(false);
  });

  it('checks an item once: a second write of the same item does not validate it again', () => {
    let calls = 0;
    const Counted = checkedArray(z.custom<object>((v) => (calls++, typeof v === 'object')));
    const item = { a: 1 };
    Counted.parse([item]);
    Counted.parse([item, { b: 2 }]);
    expect(calls).toBe(2);
  });
});

describe('checkedRecord', () => {
  const Items = checkedRecord((k) => /^[a-z]+$/.test(k), Item);

  it('accepts valid keys and items, refuses a bad key, a bad item or an array', () => {
    expect(Items.safeParse({ a: { n: 1 }, b: { n: 2 } }).success).toBe(true);
    expect(Items.safeParse({ A1: { n: 1 } }).success).toBe(false);
    expect(Items.safeParse({ a: { n: 'x' } }).success).toBe(false);
    expect(Items.safeParse([{ n: 1 }]).success).toBe(false);
  });
});

describe('the records that use them', () => {
  it('a session index refuses an entry with a bad id, and more than 200 entries', () => {
    const entry = { id: 'abcd', startsAt: 1, open: true, seriesId: null, seriesIndex: null };
    expect(GuildSessionIndex.safeParse({ entries: [entry], series: [], settings: {} }).success).toBe(true);
    expect(GuildSessionIndex.safeParse({ entries: [entry, { ...entry, id: 'NOT OK' }], series: [], settings: {} }).success).toBe(false);
    const many = Array.from({ length: 201 }, (_, i) => ({ ...entry, id: `s${String(i).padStart(3, '0')}` }));
    // 200 of these entries are a valid index, so the 201st is refused for the count alone.
    expect(GuildSessionIndex.safeParse({ entries: many.slice(0, 200), series: [], settings: {} }).success).toBe(true);
    expect(GuildSessionIndex.safeParse({ entries: many, series: [], settings: {} }).success).toBe(false);
  });

  it('a flashcards record refuses a bad hour count and an empty term id', () => {
    const r = applyAnswer(emptyFlashcards(), 'attention-head', 0, true, Date.UTC(2026, 2, 4, 12), 'UTC');
    if (r.kind !== 'recorded') throw new Error('expected an answer to be recorded');
    expect(MemberFlashcardsSchema.safeParse(r.state).success).toBe(true);
    expect(MemberFlashcardsSchema.safeParse({ ...r.state, hours: [{ hour: 1, fresh: -1, repeat: 0, repeatRight: 0 }] }).success).toBe(false);
    expect(MemberFlashcardsSchema.safeParse({ ...r.state, cards: { '': r.state.cards['attention-head'] } }).success).toBe(false);
  });
});
