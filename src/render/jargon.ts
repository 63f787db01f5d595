/**
 * Pure rendering of "Explain jargon" answers: the terms found in a message (or pasted text), in message order, each
 * with its one-line gist, and a menu that opens any of them as a full glossary card.
 */
import { ComponentType, type APIEmbed, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { GlossaryTerm } from '../registry/schema.ts';
import { customId } from '../discord/custom-id.ts';
import { cmd } from './command-mentions.ts';
import { REFERENCE_COLOUR } from './style.ts';
import { gistOf } from './glossary.ts';
import { truncate } from './text.ts';

/** The custom_id prefix of the "open a card" menu: the message command's name (see commands/explain-jargon.ts). */
export const EXPLAIN_JARGON_COMMAND = 'Explain jargon';
/** A select menu holds at most 25 options, so at most 25 terms are listed; the rest are counted. */
export const MAX_LISTED = 25;
const DESCRIPTION_BUDGET = 4000;

export interface FoundTerm {
  term: GlossaryTerm;
  /** How the message wrote it, when that differs from the term's name (an alias, a plural, another spelling). */
  asWritten: string;
}

export interface JargonPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Escapes Markdown in text copied from a message (it only ever holds words, hyphens, underscores and apostrophes). */
const escape = (text: string) => text.replace(/[\\*_~`|>[\]()]/g, (c) => `\\${c}`);


function line(found: FoundTerm): string {
  const { term, asWritten } = found;
  const written = asWritten.toLowerCase() !== term.term.toLowerCase() ? ` (${escape(truncate(asWritten, 60))})` : '';
  return `**${escape(term.term)}**${written}: ${escape(gistOf(term, 120))}`;
}

/**
 * The answer for a list of found terms. `subject` names what was read ("this message", "your text").
 * Lines are added in message order while they fit; anything left over is counted as "+N more".
 */
export function renderJargonAnswer(found: readonly FoundTerm[], subject: string): JargonPayload {
  if (found.length === 0) return renderNoJargon(subject);
  const lines: string[] = [];
  let length = 0;
  for (const f of found.slice(0, MAX_LISTED)) {
    const next = line(f);
    const rest = found.length - lines.length - 1;
    const reserve = rest > 0 ? 40 : 0;
    if (length + next.length + 1 + reserve > DESCRIPTION_BUDGET) break;
    lines.push(next);
    length += next.length + 1;
  }
  const listed = found.slice(0, lines.length);
  const more = found.length - listed.length;
  if (more > 0) lines.push(`+${more} more (look them up with ${cmd('glossary lookup')})`);
  const embed: APIEmbed = {
    title: `Jargon in ${subject}: ${plural(found.length, 'term')}`,
    description: lines.join('\n'),
    color: REFERENCE_COLOUR,
    footer: { text: 'Pick a term below for its full card: definition, related terms and what to read.' },
  };
  return {
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: customId(EXPLAIN_JARGON_COMMAND, 'open'),
            placeholder: 'Open a term’s card',
            options: listed.map(({ term }) => ({ label: truncate(term.term, 100), value: term.id, description: truncate(gistOf(term), 100) })),
          },
        ],
      },
    ],
  };
}

/** The one empty state: what is empty, and one next step. `why` adds a reason (attachments only, a bot's message). */
export function renderNoJargon(subject: string, why?: string): JargonPayload {
  const reason = why ? ` ${why}` : '';
  return {
    content: `No glossary terms in ${subject}.${reason} Look a term up yourself with ${cmd('glossary lookup')}.`,
    components: [],
  };
}
