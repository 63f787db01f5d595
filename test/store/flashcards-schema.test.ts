/** The hand-written card check in the flashcards record schema refuses what the zod object schema refused. */
import { describe, expect, it } from 'vitest';
import { applyAnswer, emptyFlashcards } from '../../src/domain/flashcards.ts';
import { MemberFlashcardsSchema } from '../../src/store/repos/flashcards.ts';

const now = Date.UTC(2026, 2, 4, 12);
const recorded = applyAnswer(emptyFlashcards(), 'attention-head', 0, true, now, 'UTC');
if (recorded.kind !== 'recorded') throw new Error('expected an answer to be recorded');
const state = recorded.state;
const card = state.cards['attention-head']!;

describe('flashcards record schema', () => {
  it('accepts a real record and returns the same cards', () => {
    expect(MemberFlashcardsSchema.parse(state).cards).toEqual(state.cards);
  });

  it.each([
    ['a negative stability', { stability: -1 }],
    ['a fractional reps count', { reps: 1.5 }],
    ['a state outside 0–3', { state: 4 }],
    ['a string due date', { due: '2026-03-04' }],
    ['a missing lastReview', { lastReview: undefined }],
    ['NaN difficulty', { difficulty: Number.NaN }],
  ])('refuses a card with %s', (_, patch) => {
    const bad = { ...state, cards: { 'attention-head': { ...card, ...patch } } };
    expect(MemberFlashcardsSchema.safeParse(bad).success).toBe(false);
  });

  it('refuses a card that is not an object', () => {
    expect(MemberFlashcardsSchema.safeParse({ ...state, cards: { x: 3 } }).success).toBe(false);
  });
});
