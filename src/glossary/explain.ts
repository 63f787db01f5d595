/**
 * "Explain jargon" for a message (the message context-menu command) and for pasted text (/glossary explain):
 * what text to read, the matcher built once per registry, and the private (or public) answer.
 */
import { MessageFlags, type Message, type RepliableInteraction } from 'discord.js';
import { createJargonMatcher, type JargonMatcher } from '../domain/jargon.ts';
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm } from '../registry/schema.ts';
import { renderJargonAnswer, renderNoJargon, type FoundTerm, type JargonPayload } from '../render/jargon.ts';

/** Pasted text is capped like the option (Discord enforces max_length; this guards hand-made payloads). */
export const MAX_PASTED = 2000;

/** Keyed by the terms list, so server views that share the shipped terms also share the matcher. */
const matchers = new WeakMap<readonly GlossaryTerm[], JargonMatcher<GlossaryTerm>>();

/** The registry's jargon matcher, built on first use; app start-up calls this so no interaction pays for it. */
export function jargonMatcher(registry: Registry): JargonMatcher<GlossaryTerm> {
  let matcher = matchers.get(registry.terms);
  if (!matcher) {
    matcher = createJargonMatcher(registry.terms);
    matchers.set(registry.terms, matcher);
  }
  return matcher;
}

export function findJargon(registry: Registry, text: string): FoundTerm[] {
  return jargonMatcher(registry)
    .find(text)
    .map((hit) => ({ term: hit.item, asWritten: hit.text }));
}

/** What "Explain jargon" reads in a message: its text, then each embed's title and description. */
export function messageText(message: Pick<Message, 'content' | 'embeds'>): string {
  const parts = [message.content ?? ''];
  for (const embed of message.embeds ?? []) parts.push(embed.title ?? '', embed.description ?? '');
  return parts.filter((p) => p.trim() !== '').join('\n\n');
}

/** The answer for a message someone picked "Explain jargon" on. */
export function explainMessage(registry: Registry, message: Pick<Message, 'content' | 'embeds' | 'attachments'>): JargonPayload {
  const text = messageText(message);
  if (text.trim() === '') {
    const why = (message.attachments?.size ?? 0) > 0 ? 'It only has attachments, and I read text, not files.' : 'It has no text to read.';
    return renderNoJargon('this message', why);
  }
  return renderJargonAnswer(findJargon(registry, text), 'this message');
}

export function explainText(registry: Registry, text: string): JargonPayload {
  return renderJargonAnswer(findJargon(registry, text.slice(0, MAX_PASTED)), 'your text');
}

export async function replyWithJargon(interaction: RepliableInteraction, payload: JargonPayload, isPrivate: boolean): Promise<void> {
  await interaction.reply({ ...payload, ...(isPrivate ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** /glossary explain text [private]: public by default, like /glossary lookup; bad input is answered privately. */
export async function explainPasted(interaction: RepliableInteraction, text: string, isPrivate: boolean, services: { registry: Registry }): Promise<void> {
  if (text.trim() === '') {
    await interaction.reply({ content: 'Paste some text to explain, for example a sentence from a paper.', flags: MessageFlags.Ephemeral });
    return;
  }
  const payload = explainText(services.registry, text);
  // Nothing found is only news to the asker.
  await replyWithJargon(interaction, payload, isPrivate || payload.embeds === undefined);
}
