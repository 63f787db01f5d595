/** The "terms learned" line that /progress show adds to a member's progress card. */
import type { MessagePayload } from './glossary.ts';
import { cmd } from './command-mentions.ts';

/** Adds the member's glossary flashcard count to a progress card; a member who never studied flashcards gets none. */
export function withTermsLearned(card: MessagePayload, learned: number | null): MessagePayload {
  if (learned === null) return card;
  const text = `${learned} glossary ${learned === 1 ? 'term' : 'terms'} learned with flashcards (${cmd('glossary stats')}).`;
  const [first, ...rest] = card.embeds ?? [];
  if (!first) return { ...card, content: card.content ? `${card.content}\n${text}` : text };
  return { ...card, embeds: [{ ...first, fields: [...(first.fields ?? []), { name: 'Glossary', value: text }] }, ...rest] };
}
