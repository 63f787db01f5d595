/**
 * Pure rendering of glossary answers: a term's compact card, the did-you-mean prompt, and autocomplete choices.
 *
 * A compact card answers "what is this?" and stops: the term (linked to its source), the opening of the
 * definition, a few alternative names, the two or three best things to read, and how many open problems involve
 * it. Everything else is one click away: the full definition (button), related terms (menu, with one-line gists),
 * the problems (menu).
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord-api-types/v10';
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm, Problem } from '../registry/schema.ts';
import type { Match } from '../domain/fuzzy-index.ts';
import { customId } from '../discord/custom-id.ts';
import { cmd } from './command-mentions.ts';
import { deleteButton } from './delete-button.ts';
import { REFERENCE_COLOUR } from './style.ts';
import { firstSentence, link, plural, truncate } from './text.ts';

export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const RELATED_SHOWN = 10;
const READING_SHOWN = 3;
const PROBLEMS_IN_MENU = 25;
/** The short definition: whole sentences up to this many characters (at least the first, cut on a word). */
export const SHORT_DEFINITION_MAX = 360;
const ALIASES_SHOWN = 4;

/** The one-line version of a term, wherever a list or menu needs one. */
export function gistOf(term: GlossaryTerm, max = 100): string {
  return truncate(term.gist, max);
}

/** As many whole sentences of the definition as fit in `max` characters; the first is cut on a word if it must be. */
export function shortDefinition(definition: string, max = SHORT_DEFINITION_MAX): string {
  if (definition.length <= max) return definition;
  const sentences = definition.match(/[^.!?]+(?:[.!?]+(?=\s+[A-Z(“"]|\s*$)|$)/gsu) ?? [definition];
  let out = '';
  for (const sentence of sentences) {
    const next = out + sentence;
    if (next.trim().length > max) break;
    out = next;
  }
  return out.trim() || truncate(definition, max);
}

export interface TermCardOptions {
  /** Show the whole definition (after "Full definition" was pressed). */
  full?: boolean;
  /** The card is public: add a Delete button for whoever asked. */
  publicOwner?: string;
}

const problemLabel = (p: Problem) => truncate(`${p.id} · ${p.summary ?? p.subcategory ?? 'text not recovered'}`, 100);

export function renderTermCard(
  registry: Registry,
  term: GlossaryTerm,
  viewerId: string,
  options: TermCardOptions = {},
): Required<Pick<MessagePayload, 'embeds' | 'components'>> {
  const related = term.related.map((id) => registry.termById.get(id)).filter((t): t is GlossaryTerm => t !== undefined);
  const resources = registry.resourcesByTerm.get(term.id) ?? [];
  const problems = registry.problemsByTerm.get(term.id) ?? [];

  const definition = options.full ? term.definition : shortDefinition(term.definition);
  const cut = definition.length < term.definition.length;
  const aliases = term.aliases.length > 0 ? `\n*Also called: ${truncate(term.aliases.slice(0, ALIASES_SHOWN).join(', '), 100)}*` : '';

  const fields: NonNullable<APIEmbed['fields']> = [];
  if (resources.length > 0) {
    const shown = resources.slice(0, READING_SHOWN).map((r) => `• ${link(truncate(r.title, 48), r.url)}`);
    const more = resources.length > READING_SHOWN ? `\n…and ${resources.length - READING_SHOWN} more: browse ${cmd('resources')}` : '';
    fields.push({ name: 'Read more', value: `${shown.join('\n')}${more}` });
  }
  if (problems.length > 0) {
    const sets = [...new Set(problems.map((p) => registry.setById.get(p.set)?.shortTitle ?? p.set))];
    fields.push({ name: 'Open problems', value: `${plural(problems.length, 'problem')} in ${sets.join(' and ')} ${problems.length === 1 ? 'involves' : 'involve'} it: pick one below.` });
  }

  const embed: APIEmbed = {
    title: truncate(term.term, 256),
    url: term.source.url,
    description: truncate(`${definition}${aliases}`, 4096),
    color: REFERENCE_COLOUR,
    fields,
    footer: { text: `Source: ${truncate(term.source.label, 70)} · Section: ${term.section}` },
  };

  const components: MessagePayload['components'] = [];
  if (related.length > 0) {
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: customId('glossary', 'open', viewerId),
          placeholder: `Related terms (${related.length})`,
          options: related.slice(0, RELATED_SHOWN).map((t) => ({ label: truncate(t.term, 100), value: t.id, description: gistOf(t) })),
        },
      ],
    });
  }
  if (problems.length > 0) {
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: customId('problem', 'pick'),
          placeholder: problems.length > PROBLEMS_IN_MENU ? `Open a problem (first ${PROBLEMS_IN_MENU} of ${problems.length})` : 'Open a problem that involves it',
          options: problems.slice(0, PROBLEMS_IN_MENU).map((p) => ({ label: problemLabel(p), value: p.id })),
        },
      ],
    });
  }
  const buttons: APIButtonComponent[] = [];
  const fullId = `glossary:full:${term.id}:${viewerId}`;
  if (cut && fullId.length <= 100) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Full definition', custom_id: customId('glossary', 'full', term.id, viewerId) });
  }
  if (options.publicOwner) buttons.push(deleteButton('glossary', options.publicOwner));
  if (buttons.length > 0) components.push({ type: ComponentType.ActionRow, components: buttons });
  return { embeds: [embed], components };
}

/** A miss: never auto-pick a weak match; offer up to three buttons instead, or one next step when nothing is close. */
export function renderDidYouMean(shownQuery: string, suggestions: readonly GlossaryTerm[], isPrivate: boolean): Required<Pick<MessagePayload, 'content' | 'components'>> {
  if (suggestions.length === 0) {
    return {
      content: `No term "${shownQuery}" in the glossary, and nothing spelt close to it. Try a shorter word, or learn a new one with ${cmd('glossary random')}.`,
      components: [],
    };
  }
  const names = suggestions.map((t) => `**${t.term}**`).join(', ');
  return {
    content: `No term "${shownQuery}". Did you mean: ${names}?`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: suggestions.slice(0, 5).map((t) => ({
          type: ComponentType.Button as const,
          style: ButtonStyle.Secondary as const,
          label: truncate(t.term, 80),
          custom_id: customId('glossary', 'show', t.id, isPrivate),
        })),
      },
    ],
  };
}

/** Autocomplete choices: the term, plus the alias that matched when it was an alias. Value is the term id. */
export function renderTermChoices(matches: readonly Match<GlossaryTerm>[]): APIApplicationCommandOptionChoice<string>[] {
  return matches.slice(0, 25).map((m) => ({
    name: truncate(m.primary ? m.item.term : `${m.item.term} (${m.label})`, 100),
    value: m.item.id,
  }));
}
