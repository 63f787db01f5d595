/** The flashcard embed of a weekly digest. Names are mentions that never ping, and only the most active are named. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { FlashcardWeek } from '../domain/flashcard-digest.ts';
import { cmd } from './command-mentions.ts';
import { GROUP_COLOUR } from './style.ts';
import { mention } from './text.ts';

export const FLASHCARD_MEMBERS_LISTED = 10;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderFlashcardWeek(week: FlashcardWeek | undefined): APIEmbed | null {
  if (!week || week.reviews === 0) return null;
  const lines = week.members
    .slice(0, FLASHCARD_MEMBERS_LISTED)
    .map((m) => `${mention(m.userId)} · ${plural(m.reviews, 'review')}${m.learned ? ` · ${plural(m.learned, 'term')} learned` : ''}`);
  const more = week.members.length - FLASHCARD_MEMBERS_LISTED;
  if (more > 0) lines.push(`…and ${more} more member${more === 1 ? '' : 's'}.`);
  return {
    title: 'Glossary flashcards',
    description: `🃏 **${week.reviews}** ${week.reviews === 1 ? 'review' : 'reviews'} · 🎓 **${week.learned}** ${week.learned === 1 ? 'term' : 'terms'} learned\n\n${lines.join('\n')}\n\nLearn the jargon with ${cmd('glossary quiz')}.`,
    color: GROUP_COLOUR,
  };
}
