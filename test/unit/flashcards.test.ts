import { describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, Rating, type Card } from 'ts-fsrs';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { ManualClock } from '../../src/clock.ts';
import {
  applyAnswer,
  applyRegrade,
  emptyFlashcards,
  flashcardStats,
  LEARNED_STABILITY_DAYS,
  localDay,
  newcomerOrder,
  sectionsOf,
  selectNext,
  NO_FILTER,
  type MemberFlashcards,
} from '../../src/domain/flashcards.ts';
import { BLANK, buildCard, firstSentence, gistOf, maskTerm } from '../../src/domain/flashcard-cards.ts';
import { reminderDayDue } from '../../src/domain/flashcard-reminders.ts';

const registry = loadRegistry(DATA_DIR);
const H = 3_600_000;
const D = 24 * H;
const at = (iso: string) => new Date(iso).getTime();
const f = fsrs({ enable_fuzz: false });

function answer(state: MemberFlashcards, termId: string, right: boolean, now: number, tz = 'UTC'): MemberFlashcards {
  const outcome = applyAnswer(state, termId, state.cards[termId]?.reps ?? 0, right, now, tz);
  if (outcome.kind !== 'recorded') throw new Error('not recorded');
  return outcome.state;
}

describe('flashcard selection', () => {
  it('introduces core terms first, then section by section in glossary order', () => {
    const { order, sections } = newcomerOrder(registry);
    const cores = registry.terms.filter((t) => t.core);
    expect(order.slice(0, cores.length).map((t) => t.id)).toEqual(cores.map((t) => t.id));
    const rest = order.slice(cores.length);
    expect(rest.every((t) => !t.core)).toBe(true);
    const sectionIndexes = rest.map((t) => sections.indexOf(t.section));
    expect([...sectionIndexes].sort((a, b) => a - b)).toEqual(sectionIndexes);
    expect(order).toHaveLength(registry.terms.length);
  });

  it('stops at the daily new-card limit (default 10) and starts again on the next local day', () => {
    const clock = new ManualClock(at('2026-03-02T20:00:00Z'));
    const tz = 'America/Los_Angeles'; // 12:00 local
    let state = emptyFlashcards();
    for (let i = 0; i < 10; i++) {
      const next = selectNext(registry, state, { filter: NO_FILTER, includeNew: true, now: clock.now(), timezone: tz });
      expect(next.kind).toBe('new');
      state = answer(state, (next as { term: { id: string } }).term.id, true, clock.now(), tz);
      clock.advance(1_000);
    }
    clock.advance(5 * 60_000); // learning cards are due in 10 minutes, not yet
    const blocked = selectNext(registry, state, { filter: NO_FILTER, includeNew: true, now: clock.now(), timezone: tz });
    expect(blocked).toMatchObject({ kind: 'none', limitReached: true });
    // 07:00 UTC the next day is still the same local day in Los Angeles (23:00), after the learning cards came due.
    clock.set(at('2026-03-03T07:00:00Z'));
    expect(selectNext(registry, state, { filter: NO_FILTER, includeNew: true, now: clock.now(), timezone: tz }).kind).toBe('due');
    const reviewed = Object.keys(state.cards).reduce((s, id) => answer(s, id, true, clock.now(), tz), state);
    expect(selectNext(registry, reviewed, { filter: NO_FILTER, includeNew: true, now: clock.now(), timezone: tz })).toMatchObject({ kind: 'none', limitReached: true });
    clock.set(at('2026-03-03T08:30:00Z')); // 00:30 local on 3 March
    expect(selectNext(registry, reviewed, { filter: NO_FILTER, includeNew: true, now: clock.now(), timezone: tz }).kind).toBe('new');
    expect(selectNext(registry, { ...reviewed, dailyNew: 12 }, { filter: NO_FILTER, includeNew: true, now: at('2026-03-03T07:00:00Z'), timezone: tz }).kind).toBe('new');
  });

  it('shows the most overdue card first, skips terms no longer in the glossary, and review never adds new terms', () => {
    let state = emptyFlashcards();
    state = answer(state, 'feature', true, at('2026-03-01T10:00:00Z'));
    state = answer(state, 'circuit', false, at('2026-03-01T09:00:00Z'));
    const removed = { ...state.cards.circuit!, due: 0 };
    state = { ...state, cards: { ...state.cards, 'gone-from-data': removed } };
    const now = at('2026-03-02T00:00:00Z');
    const next = selectNext(registry, state, { filter: NO_FILTER, includeNew: false, now, timezone: 'UTC' });
    expect(next).toMatchObject({ kind: 'due', term: { id: 'circuit' } });
    const stats = flashcardStats(registry, state, now, 'UTC');
    expect(stats.seen).toBe(2);
    expect(stats.dueNow).toBe(2);
    const empty = selectNext(registry, emptyFlashcards(), { filter: NO_FILTER, includeNew: false, now, timezone: 'UTC' });
    expect(empty).toMatchObject({ kind: 'none', nextDue: null });
  });

  it('filters by section and core terms', () => {
    const section = sectionsOf(registry)[4]!;
    const next = selectNext(registry, emptyFlashcards(), { filter: { section, coreOnly: false }, includeNew: true, now: 0, timezone: 'UTC' });
    expect(next.kind === 'new' && next.term.section).toBe(section);
    const none = selectNext(registry, emptyFlashcards(), { filter: { section: 'No such section', coreOnly: true }, includeNew: true, now: 0, timezone: 'UTC' });
    expect(none).toMatchObject({ kind: 'none', unseenLeft: 0 });
  });
});

describe('flashcard scheduling', () => {
  it('stores exactly what ts-fsrs computes, counts an old card once, and re-grades from the same instant', () => {
    const t0 = at('2026-03-02T12:00:00Z');
    let state = answer(emptyFlashcards(), 'superposition', true, t0);
    let expected: Card = f.next(createEmptyCard(new Date(t0)), new Date(t0), Rating.Good).card;
    expect(state.cards.superposition!.due).toBe(expected.due.getTime());
    // The same card (reps 0) pressed again: nothing changes.
    expect(applyAnswer(state, 'superposition', 0, true, t0 + 1_000, 'UTC').kind).toBe('stale');
    const t1 = t0 + 3 * D;
    state = answer(state, 'superposition', true, t1);
    const regraded = applyRegrade(state, 'superposition', 2, 'easy');
    expect(regraded.kind).toBe('regraded');
    const easy = f.next(expected, new Date(t1), Rating.Easy).card;
    if (regraded.kind !== 'regraded') return;
    expect(regraded.card.due).toBe(easy.due.getTime());
    expect(regraded.card.stability).toBeCloseTo(easy.stability, 12);
    // Only the latest right answer can be re-graded.
    expect(applyRegrade(regraded.state, 'superposition', 1, 'hard').kind).toBe('stale');
    const wrong = answer(regraded.state, 'feature', false, t1 + 1_000);
    expect(applyRegrade(wrong, 'feature', 1, 'easy').kind).toBe('stale');
    expect(applyRegrade(wrong, 'superposition', 2, 'hard').kind).toBe('stale');
    expected = easy;
  });

  it('calls a term learned once its stability reaches the documented threshold', () => {
    let state = emptyFlashcards();
    let now = at('2026-01-01T09:00:00Z');
    state = answer(state, 'feature', true, now);
    const learnedAt: number[] = [];
    for (let i = 0; i < 8; i++) {
      now = Math.max(now + D, state.cards.feature!.due);
      state = answer(state, 'feature', true, now);
      if (state.cards.feature!.stability >= LEARNED_STABILITY_DAYS) learnedAt.push(now);
    }
    expect(learnedAt.length).toBeGreaterThan(0);
    expect(state.cards.feature!.learnedAt).toBe(learnedAt[0]);
    expect(flashcardStats(registry, state, now, 'UTC').learned).toBe(1);
  });

  it('counts the streak in local days and retention over the last 30 days', () => {
    const tz = 'Asia/Tokyo';
    let state = emptyFlashcards();
    state = answer(state, 'feature', true, at('2026-03-01T14:30:00Z'), tz); // 23:30 on 1 March in Tokyo
    state = answer(state, 'circuit', true, at('2026-03-01T15:30:00Z'), tz); // 00:30 on 2 March
    expect(flashcardStats(registry, state, at('2026-03-01T16:00:00Z'), tz).streak).toBe(2);
    // The same two answers are one day in UTC.
    const utc = answer(answer(emptyFlashcards(), 'feature', true, at('2026-03-01T14:30:00Z')), 'circuit', true, at('2026-03-01T15:30:00Z'));
    expect(flashcardStats(registry, utc, at('2026-03-01T16:00:00Z'), 'UTC').streak).toBe(1);
    state = answer(state, 'feature', false, at('2026-03-02T15:30:00Z'), tz); // 3 March
    state = answer(state, 'circuit', true, at('2026-03-02T15:40:00Z'), tz);
    let stats = flashcardStats(registry, state, at('2026-03-02T16:00:00Z'), tz);
    expect(stats.streak).toBe(3);
    expect(stats.retention).toBe(0.5);
    expect(stats.retentionAnswers).toBe(2);
    // Two quiet local days break the streak; the best is kept.
    stats = flashcardStats(registry, state, at('2026-03-05T16:00:00Z'), tz);
    expect(stats.streak).toBe(0);
    expect(stats.bestStreak).toBe(3);
    // Over 30 days later the old reviews no longer count towards retention.
    expect(flashcardStats(registry, state, at('2026-04-03T00:00:00Z'), tz).retention).toBeNull();
  });

  it('keeps working when the clock goes backwards', () => {
    const t0 = at('2026-03-10T12:00:00Z');
    let state = answer(emptyFlashcards(), 'feature', true, t0);
    state = answer(state, 'feature', true, t0 - 2 * D);
    expect(state.cards.feature!.lastReview).toBe(t0);
    expect(state.cards.feature!.reps).toBe(2);
    expect(state.streak.lastDay).toBe('2026-03-10');
    expect(() => flashcardStats(registry, state, t0 - 5 * D, 'UTC')).not.toThrow();
  });
});

describe('flashcard cards', () => {
  it('draws distractors from the same section or related terms, the same way every time', () => {
    const term = registry.termById.get('induction-head')!;
    const card = buildCard(registry, term, '300000000000000011', 0);
    expect(buildCard(registry, term, '300000000000000011', 0)).toEqual(card);
    expect(card.choices).toHaveLength(4);
    expect(card.choices[card.correct]!.termId).toBe('induction-head');
    for (const c of card.choices) {
      const other = registry.termById.get(c.termId)!;
      expect(other.section === term.section || term.related.includes(other.id) || other.id === term.id).toBe(true);
    }
    const layouts = new Set(Array.from({ length: 6 }, (_, reps) => JSON.stringify(buildCard(registry, term, '300000000000000011', reps).choices.map((c) => c.termId))));
    expect(layouts.size).toBeGreaterThan(1);
  });

  it('has four distinct choices for every term', () => {
    for (const term of registry.terms) {
      const card = buildCard(registry, term, 'm', 1);
      expect(new Set(card.choices.map((c) => c.termId)).size).toBe(4);
      expect(new Set(card.choices.map((c) => c.label.toLowerCase())).size).toBe(4);
    }
  });

  it('uses the gist, with the term blanked out of prompts', () => {
    expect(firstSentence('A probe, e.g. a linear one, reads features. It is trained.')).toBe('A probe, e.g. a linear one, reads features.');
    const term = registry.termById.get('sparse-autoencoder')!;
    expect(gistOf({ ...term, gist: 'A short gist here.' })).toBe('A short gist here.');
    const masked = maskTerm('Sparse autoencoders (SAEs) are trained; an SAE has a wide hidden layer.', term);
    expect(masked).not.toMatch(/sparse autoencoder|\bSAEs?\b/i);
    expect(masked).toContain(BLANK);
  });
});

describe('flashcard reminders', () => {
  function simulate(hour: number, tz: string, from: number, to: number): number[] {
    let lastDay: string | null = null;
    const sent: number[] = [];
    for (let now = from; now <= to; now += 5 * 60_000) {
      const day = reminderDayDue(hour, tz, lastDay, now);
      if (day !== null) {
        lastDay = day;
        sent.push(now);
      }
    }
    return sent;
  }
  const local = (tz: string, ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

  it('fires once a day at the local hour across the spring and autumn clock changes', () => {
    const spring = simulate(9, 'Europe/London', at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    expect(spring).toEqual([at('2026-03-27T09:00:00Z'), at('2026-03-28T09:00:00Z'), at('2026-03-29T08:00:00Z'), at('2026-03-30T08:00:00Z')]);
    const autumn = simulate(1, 'America/New_York', at('2026-10-31T04:00:00Z'), at('2026-11-03T04:00:00Z'));
    expect(autumn.map((ms) => local('America/New_York', ms))).toEqual(['01:00', '01:00', '01:00']);
    expect(new Set(autumn.map((ms) => localDay(ms, 'America/New_York'))).size).toBe(3);
    // 02:00 does not exist in New York on 8 March 2026: that day's reminder comes at 03:00.
    const skipped = simulate(2, 'America/New_York', at('2026-03-07T05:00:00Z'), at('2026-03-10T04:00:00Z'));
    expect(skipped.map((ms) => local('America/New_York', ms))).toEqual(['02:00', '03:00', '02:00']);
  });

  it('never fires twice on a day already claimed, even when the clock goes backwards', () => {
    expect(reminderDayDue(9, 'UTC', '2026-03-02', at('2026-03-02T10:00:00Z'))).toBeNull();
    expect(reminderDayDue(9, 'UTC', '2026-03-03', at('2026-03-02T10:00:00Z'))).toBeNull();
    expect(reminderDayDue(9, 'UTC', '2026-03-01', at('2026-03-02T08:59:00Z'))).toBeNull();
    expect(reminderDayDue(9, 'UTC', '2026-03-01', at('2026-03-02T23:00:00Z'))).toBe('2026-03-02');
  });
});
