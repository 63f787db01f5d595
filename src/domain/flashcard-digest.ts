/** The weekly digest's flashcard section: the group's answers and terms learned in the week, most active first. */
import type { Registry } from '../registry/load.ts';
import { answersBetween, learnedBetween, type MemberFlashcards } from './flashcards.ts';

export interface FlashcardWeek {
  reviews: number;
  learned: number;
  /** Members with any answers in the week, most answers first. */
  members: { userId: string; reviews: number; learned: number }[];
}

export function composeFlashcardWeek(registry: Registry, records: ReadonlyMap<string, MemberFlashcards>, start: number, end: number): FlashcardWeek {
  const members: FlashcardWeek['members'] = [];
  let reviews = 0;
  let learned = 0;
  for (const [userId, record] of records) {
    const r = answersBetween(record, start, end);
    const l = learnedBetween(registry, record, start, end);
    if (r === 0 && l === 0) continue;
    reviews += r;
    learned += l;
    members.push({ userId, reviews: r, learned: l });
  }
  members.sort((a, b) => b.learned - a.learned || b.reviews - a.reviews || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return { reviews, learned, members };
}
