/**
 * The flashcard buttons: pick an answer, re-grade a right answer as Hard / Good / Easy, draw the next card, and
 * stop reminders from the DM. Every button names its owner; anyone else pressing gets a private note. An answer
 * carries the card's review count, so a card answered already (a double press, an old message) counts once.
 */
import { MessageFlags } from 'discord.js';
import { z } from 'zod';
import { component, type ComponentHandler, type ComponentInteraction } from '../discord/command.ts';
import { replyEphemeral } from '../discord/replies.ts';
import { buildCard } from '../domain/flashcard-cards.ts';
import { applyAnswer, applyRegrade, emptyFlashcards, selectNext, type MemberFlashcards } from '../domain/flashcards.ts';
import { cmd } from '../render/command-mentions.ts';
import type { MessagePayload } from '../render/glossary.ts';
import { renderAnswer, renderNothingDue, renderQuestion, type CardContext } from '../render/flashcards.ts';
import type { Services } from '../services.ts';
import { decodeMode, encodeMode, MODE_PATTERN, modeLabel, type Mode } from './mode.ts';
import { resolveTimezone, type TimezoneSource } from './timezone.ts';

const SNOWFLAKE = z.string().regex(/^\d{1,20}$/);
const TERM_ID = z.string().regex(/^[a-z0-9-]{1,100}$/);
const COUNT = z.string().regex(/^\d{1,6}$/).transform(Number);
const MODE = z.string().regex(MODE_PATTERN);

export async function loadMember(services: Services, guildId: string, userId: string): Promise<{ state: MemberFlashcards; timezone: string; source: TimezoneSource }> {
  const [record, groups] = await Promise.all([services.repos.flashcards.get(guildId, userId), services.repos.studyGroups.list(guildId)]);
  const state = record ?? emptyFlashcards();
  const { timezone, source } = resolveTimezone(state.timezone, groups, userId);
  return { state, timezone, source };
}

const contextFor = (services: Services, ownerId: string, mode: Mode): CardContext => ({ ownerId, mode: encodeMode(services.registry, mode), label: modeLabel(mode) });

/** The next card for the member in this mode, or the empty state. Showing a card stores nothing. */
export async function showNext(services: Services, guildId: string, userId: string, mode: Mode, exclude?: string): Promise<MessagePayload> {
  const { state, timezone } = await loadMember(services, guildId, userId);
  const selection = selectNext(services.registry, state, { filter: mode.filter, includeNew: !mode.review, now: services.clock.now(), timezone, exclude });
  if (selection.kind === 'none') return renderNothingDue(selection, mode.review, state);
  const reps = state.cards[selection.term.id]?.reps ?? 0;
  const card = buildCard(services.registry, selection.term, userId, reps);
  return renderQuestion(selection.term, card, reps, selection.kind === 'new', contextFor(services, userId, mode));
}

async function notYours(interaction: ComponentInteraction, ownerId: string): Promise<void> {
  await replyEphemeral(interaction, `This card belongs to <@${ownerId}>, so your press did not count. Get your own with ${cmd('glossary quiz')}.`);
}

const GRADE = { h: 'hard', g: 'good', e: 'easy' } as const;

export const flashcardComponents: Record<string, ComponentHandler<any>> = {
  /** An answer: term, the card's reviews so far (the nonce), the choice's position, owner, mode. */
  cardpick: component({
    args: z.tuple([TERM_ID, COUNT, z.string().regex(/^[0-3]$/).transform(Number), SNOWFLAKE, MODE]),
    async run(interaction, [termId, reps, choice, ownerId, modeCode], services) {
      if (!interaction.isButton() || !interaction.inGuild()) return;
      if (interaction.user.id !== ownerId) return notYours(interaction, ownerId);
      const mode = decodeMode(services.registry, modeCode);
      const term = services.registry.termById.get(termId);
      if (!term) {
        // Removed from data/ after the card was drawn: skip it and move on.
        const next = await showNext(services, interaction.guildId, ownerId, mode);
        await interaction.update({ ...next, content: 'That term is no longer in the glossary, so it was skipped.' });
        return;
      }
      const question = buildCard(services.registry, term, ownerId, reps);
      if (choice >= question.choices.length) return replyEphemeral(interaction, 'This card is out of date. Run the command again.');
      const { timezone } = await loadMember(services, interaction.guildId, ownerId);
      const right = choice === question.correct;
      const { result: outcome, saved } = await services.repos.flashcards.decide(interaction.guildId, ownerId, (current) => {
        const result = applyAnswer(current, termId, reps, right, services.clock.now(), timezone);
        return { state: result.kind === 'recorded' ? result.state : null, result };
      });
      if (outcome.kind === 'stale') {
        return replyEphemeral(interaction, `You answered this card already, and it counted once. Press **Next** on the latest card, or run ${cmd('glossary review')}.`);
      }
      // The answer card is built while the review is being stored, and shown once it is (a failed write shows none).
      const payload = { content: '', ...renderAnswer(term, question, choice, { card: outcome.card, grade: right ? 'good' : 'again' }, contextFor(services, ownerId, mode)) };
      await saved;
      await interaction.update(payload);
    },
  }),

  /** Hard / Good / Easy for the latest right answer, recomputed from the same state at the same instant. */
  cardgrade: component({
    args: z.tuple([TERM_ID, COUNT, z.enum(['h', 'g', 'e']), SNOWFLAKE, MODE]),
    async run(interaction, [termId, reps, gradeCode, ownerId, modeCode], services) {
      if (!interaction.isButton() || !interaction.inGuild()) return;
      if (interaction.user.id !== ownerId) return notYours(interaction, ownerId);
      const term = services.registry.termById.get(termId);
      if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary, so there is nothing to grade.');
      const grade = GRADE[gradeCode];
      const { result: outcome, saved } = await services.repos.flashcards.decide(interaction.guildId, ownerId, (current) => {
        const result = applyRegrade(current, termId, reps, grade);
        return { state: result.kind === 'regraded' ? result.state : null, result };
      });
      if (outcome.kind === 'stale') return replyEphemeral(interaction, 'Only your latest answer can be re-graded, and this card has moved on since.');
      const mode = decodeMode(services.registry, modeCode);
      const prior = outcome.state.last!;
      // The choice shown is the right one: only right answers can be re-graded. Built while the grade is stored.
      const question = buildCard(services.registry, term, ownerId, prior.prior?.reps ?? 0);
      const payload = renderAnswer(term, question, question.correct, { card: outcome.card, grade }, contextFor(services, ownerId, mode));
      await saved;
      await interaction.update(payload);
    },
  }),

  cardnext: component({
    args: z.tuple([SNOWFLAKE, MODE]),
    async run(interaction, [ownerId, modeCode], services) {
      if (!interaction.isButton() || !interaction.inGuild()) return;
      if (interaction.user.id !== ownerId) return notYours(interaction, ownerId);
      const next = await showNext(services, interaction.guildId, ownerId, decodeMode(services.registry, modeCode));
      await interaction.update({ content: '', ...next });
    },
  }),

  /** The button in a reminder DM (no guild there, so the guild comes from the custom_id). */
  cardremindoff: component({
    args: z.tuple([SNOWFLAKE, SNOWFLAKE]),
    async run(interaction, [guildId, ownerId], services) {
      if (!interaction.isButton()) return;
      if (interaction.user.id !== ownerId) return replyEphemeral(interaction, 'These are not your reminders.');
      await services.repos.flashcards.update(guildId, ownerId, (current) => ({ state: { ...current, reminder: { ...current.reminder, on: false } }, result: null }));
      await services.repos.flashcards.setReminder(guildId, ownerId, null);
      await interaction.reply({ content: `Reminders are off. Turn them on again with ${cmd('glossary remind')} in the server.`, flags: MessageFlags.Ephemeral });
    },
  }),
};
