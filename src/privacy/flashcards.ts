/** A member's flashcard review state as it appears in /privacy export: readable names and ISO times. */
import type { MemberFlashcards } from '../domain/flashcards.ts';

const STATES = ['new', 'learning', 'review', 'relearning'];
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function exportFlashcards(record: MemberFlashcards | undefined) {
  if (!record) return null;
  return {
    settings: { newTermsPerDay: record.dailyNew, timezone: record.timezone, reminder: { ...record.reminder, offAt: iso(record.reminder.offAt) } },
    streak: record.streak,
    cards: Object.entries(record.cards).map(([termId, c]) => ({
      termId,
      state: STATES[c.state] ?? String(c.state),
      due: iso(c.due),
      lastReview: iso(c.lastReview),
      stability: c.stability,
      difficulty: c.difficulty,
      reviews: c.reps,
      lapses: c.lapses,
      learnedAt: iso(c.learnedAt),
    })),
    answersPerHour: record.hours.map((h) => ({ hour: iso(h.hour * 3_600_000), firstSightings: h.fresh, reviews: h.repeat, right: h.repeatRight })),
    lastAnswer: record.last ? { termId: record.last.termId, at: iso(record.last.at), grade: record.last.grade } : null,
  };
}
