/**
 * Pure rendering of glossary flashcards: the question card, the answer card, the "nothing to do" state, stats and
 * the reminder DM. Buttons carry the card's state in the custom_id (term id, reviews so far, choice, owner, mode),
 * so an old card pressed again is recognised and never counted twice.
 */
import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord-api-types/v10';
import { customId } from '../discord/custom-id.ts';
import type { QuizCard } from '../domain/flashcard-cards.ts';
import { LEARNED_STABILITY_DAYS, RETENTION_DAYS, type FlashcardStats, type Grading, type MemberFlashcards, type Selection, type StoredCard } from '../domain/flashcards.ts';
import type { GlossaryTerm } from '../registry/schema.ts';
import { cmd } from './command-mentions.ts';
import type { MessagePayload } from './glossary.ts';
import { PERSONAL_COLOUR, REFERENCE_COLOUR, SUCCESS_COLOUR, WARNING_COLOUR } from './style.ts';

export const LETTERS = ['A', 'B', 'C', 'D'] as const;

/** Shortens at a word boundary (never mid-word), with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const relative = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

/** What the member was doing, carried from card to card: a quiz with its filters, or a review of due cards. */
export interface CardContext {
  ownerId: string;
  /** Encoded mode, see src/flashcards/mode.ts. */
  mode: string;
  /** "Review" or "Quiz", plus any filter, for the footer. */
  label: string;
}

const row = (components: APIButtonComponent[]) => ({ type: ComponentType.ActionRow as const, components });

export function renderQuestion(term: GlossaryTerm, card: QuizCard, reps: number, isNew: boolean, context: CardContext): Required<Pick<MessagePayload, 'embeds' | 'components'>> {
  const pick = (i: number) => customId('glossary', 'cardpick', term.id, reps, i, context.ownerId, context.mode);
  const footer = { text: `${context.label} · ${isNew ? 'New term' : `Review ${reps + 1}`} · ${term.section}` };
  if (card.kind === 'term-to-gist') {
    const lines = card.choices.map((c, i) => `**${LETTERS[i]}.** ${c.label}`);
    return {
      embeds: [{ title: shorten(term.term, 256), description: `Which one describes **${term.term}**?\n\n${lines.join('\n\n')}`, color: REFERENCE_COLOUR, footer }],
      components: [row(card.choices.map((_, i) => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: LETTERS[i]!, custom_id: pick(i) })))],
    };
  }
  const asked = card.kind === 'gist-to-term' ? 'Which term is this?' : 'Which term does this define?';
  return {
    embeds: [{ title: asked, description: shorten(card.prompt, 4000), color: REFERENCE_COLOUR, footer }],
    components: [row(card.choices.map((c, i) => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: shorten(c.label, 80), custom_id: pick(i) })))],
  };
}

const GRADE_LABEL: Record<Grading, string> = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };

function nextReviewLine(card: StoredCard, grade: Grading): string {
  return `Graded **${GRADE_LABEL[grade]}**: next review ${relative(card.due)}.`;
}

/** After an answer: right or wrong, the right answer, the full definition, and Next (plus Hard / Easy when right). */
export function renderAnswer(
  term: GlossaryTerm,
  question: QuizCard,
  picked: number,
  result: { card: StoredCard; grade: Grading },
  context: CardContext,
): Required<Pick<MessagePayload, 'embeds' | 'components'>> {
  const right = picked === question.correct;
  const pickedChoice = question.choices[picked];
  const verdict = right
    ? `✅ Right: **${term.term}**.`
    : `❌ Not quite. You picked ${question.kind === 'term-to-gist' ? `**${LETTERS[picked]}**` : `**${pickedChoice?.label ?? '?'}**`}; the answer is **${term.term}**${question.kind === 'term-to-gist' ? ` (**${LETTERS[question.correct]}**)` : ''}.`;
  const aliases = term.aliases.length ? `\n*Also:* ${term.aliases.join(', ')}` : '';
  const embed: APIEmbed = {
    title: shorten(term.term, 256),
    description: shorten(`${verdict}${aliases}\n\n${term.definition}\n\n${nextReviewLine(result.card, result.grade)}`, 4000),
    color: right ? SUCCESS_COLOUR : WARNING_COLOUR,
    footer: { text: `${context.label} · ${term.section}` },
  };
  const buttons: APIButtonComponent[] = [
    { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Next', custom_id: customId('glossary', 'cardnext', context.ownerId, context.mode) },
  ];
  if (right) {
    for (const grade of ['hard', 'good', 'easy'] as const) {
      if (grade === result.grade) continue;
      buttons.push({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: grade === 'good' ? 'Good' : grade === 'hard' ? 'That was hard' : 'That was easy',
        custom_id: customId('glossary', 'cardgrade', term.id, result.card.reps, grade[0]!, context.ownerId, context.mode),
      });
    }
  }
  buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Open in glossary', custom_id: customId('glossary', 'show', term.id, true) });
  return { embeds: [embed], components: [row(buttons)] };
}

/** Nothing to show right now: says what is empty and offers one next step. */
export function renderNothingDue(selection: Extract<Selection, { kind: 'none' }>, review: boolean, state: MemberFlashcards): MessagePayload {
  const later = selection.nextDue !== null ? ` The next card is due ${relative(selection.nextDue)}.` : '';
  let text: string;
  if (selection.limitReached) {
    text = `No cards due, and you have met today's ${plural(state.dailyNew, 'new term')}.${later} Come back tomorrow, or change the limit with ${cmd('glossary settings')}.`;
  } else if (review) {
    text = `No flashcards are due.${later} Learn new terms with ${cmd('glossary quiz')}.`;
  } else if (selection.unseenLeft === 0 && selection.nextDue === null) {
    text = `There are no terms to learn with these filters. Try ${cmd('glossary quiz')} without a section.`;
  } else {
    text = `You have seen every term that matches, and none is due.${later} See how you are doing with ${cmd('glossary stats')}.`;
  }
  return { embeds: [{ title: review ? 'Nothing to review' : 'Nothing to learn right now', description: text, color: PERSONAL_COLOUR }], components: [] };
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

export function renderStats(stats: FlashcardStats, state: MemberFlashcards, timezone: string, timezoneSource: 'yours' | 'group' | 'default'): MessagePayload {
  if (stats.seen === 0) {
    return {
      embeds: [{ title: 'Your flashcards', description: `You have not studied any flashcards yet. Start with ${cmd('glossary quiz')}: the core terms come first.`, color: PERSONAL_COLOUR }],
    };
  }
  const where = timezoneSource === 'yours' ? 'your time zone' : timezoneSource === 'group' ? "your study group's time zone" : 'UTC, until you set your own';
  const reminder = state.reminder.on
    ? `A DM at ${String(state.reminder.hour).padStart(2, '0')}:00 on days with cards due. Turn off with ${cmd('glossary remind')}.`
    : state.reminder.offReason === 'dms-closed'
      ? `⚠️ Turned off on <t:${Math.floor((state.reminder.offAt ?? 0) / 1000)}:d>: Discord would not deliver a DM to you (your DMs from this server are closed). Allow direct messages from server members, then turn reminders on again with ${cmd('glossary remind')}.`
      : `Off. Get a daily DM when cards are due with ${cmd('glossary remind')}.`;
  const fields = [
    { name: 'Due', value: `${stats.dueNow} now, ${stats.dueToday} today${stats.dueNow === 0 && stats.nextDue !== null ? ` (next ${relative(stats.nextDue)})` : ''}`, inline: true },
    { name: 'Terms learned', value: `${stats.learned} of ${stats.seen} seen`, inline: true },
    {
      name: `Retention (${RETENTION_DAYS} days)`,
      value: stats.retention === null ? 'No reviews of seen cards yet' : `${percent(stats.retention)} of ${plural(stats.retentionAnswers, 'review')}`,
      inline: true,
    },
    { name: 'Streak', value: `${plural(stats.streak, 'day')} (best ${stats.bestStreak})`, inline: true },
    { name: 'New today', value: `${stats.newToday} of ${state.dailyNew}`, inline: true },
    { name: 'Reminders', value: reminder },
  ];
  return {
    embeds: [
      {
        title: 'Your flashcards',
        description: `${stats.dueNow > 0 ? `Review them now with ${cmd('glossary review')}.` : `Learn more with ${cmd('glossary quiz')}.`}`,
        color: state.reminder.offReason === 'dms-closed' && !state.reminder.on ? WARNING_COLOUR : PERSONAL_COLOUR,
        fields,
        footer: { text: `Learned = memory stability of at least ${LEARNED_STABILITY_DAYS} days. Days are counted in ${where} (${timezone}).` },
      },
    ],
  };
}

/** The daily reminder DM. */
export function renderReminder(due: number, guildId: string, guildName: string | null, ownerId: string): MessagePayload {
  return {
    embeds: [
      {
        title: 'Flashcards due',
        description: `You have ${plural(due, 'glossary flashcard')} due in ${guildName ? `**${shorten(guildName, 100)}**` : 'your study server'}. Run ${cmd('glossary review')} there: it takes a few minutes.\n[Open the server](https://discord.com/channels/${guildId})`,
        color: PERSONAL_COLOUR,
        footer: { text: 'One reminder a day at most. The button below stops them.' },
      },
    ],
    components: [row([{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Stop reminders', custom_id: customId('glossary', 'cardremindoff', guildId, ownerId) }])],
  };
}
