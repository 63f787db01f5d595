/**
 * Pure rendering of one open problem: the card (public by default), the terms card behind "Show terms", the
 * "About this list" note, did-you-mean and autocomplete choices.
 *
 * The card leads with the problem itself (id and a title taken from its summary, linked to the source), then
 * labelled facts (category, topic, difficulty), then who here is on it. A list-wide caveat is a short footer tag
 * with its full text one click away ("About this list"), not a paragraph on every card.
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
import { customId } from '../discord/custom-id.ts';
import { quote } from '../discord/replies.ts';
import { claimsForProblem, isCurrent, releaseDueAt, type LifecycleSettings } from '../domain/claims.ts';
import type { CategoryRef, RandomFilters } from '../domain/problem-search.ts';
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm, Problem, ProblemSet } from '../registry/schema.ts';
import type { Claim, ClaimEvent, ClaimIntent, GuildClaims } from '../domain/claim-entities.ts';
import { cmd } from './command-mentions.ts';
import { deleteButton } from './delete-button.ts';
import { gistOf, type MessagePayload } from './glossary.ts';
import { REFERENCE_COLOUR } from './style.ts';
import { firstSentence, joinWithin, link, mention, plural, timestamp, truncate } from './text.ts';

const ACTIVITY_SHOWN = 3;
const NOT_RECOVERED = 'The text of this problem was not recovered. Read it at the source.';
const TITLE_MAX = 90;

export const INTENT_LABEL: Record<ClaimIntent, string> = { exploring: 'exploring', working: 'working on it', 'writing-up': 'writing up' };

/** Discord renders these in each reader's own time zone and language. */
export const date = (ms: number) => timestamp(ms, 'D');
export const relative = (ms: number) => timestamp(ms, 'R');
const member = mention;

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;
export const row = (...components: APIButtonComponent[]): Row => ({ type: ComponentType.ActionRow, components });

export interface CardContext {
  registry: Registry;
  problem: Problem;
  /** This server's claims; null outside a server. */
  claims: GuildClaims | null;
  settings: LifecycleSettings;
}

/** The state behind "Another one": who drew, what is on screen, and the filters to draw with again. */
export interface DrawState extends RandomFilters {
  viewerId: string;
  current: string;
}

export interface CardOptions {
  /** Who is looking: a member who already claims the problem gets Check in instead of Claim. */
  viewerId?: string;
  /** The card is public: a Delete button for whoever asked. */
  publicOwner?: string;
}

export function anotherCustomId(state: DrawState): string {
  return customId('problem', 'another', state.viewerId, state.current, state.set ?? '-', state.category ?? '-', state.difficulty ?? '-', state.unclaimed);
}

export function setOf(registry: Registry, problem: Problem): ProblemSet {
  const set = registry.setById.get(problem.set);
  if (!set) throw new Error(`problem ${problem.id} names unknown set ${problem.set}`);
  return set;
}

/** A short name for the problem: the first sentence of its summary, word-safe. */
export function problemTitle(problem: Problem, max = TITLE_MAX): string {
  if (problem.summary) return firstSentence(problem.summary, max);
  return problem.subcategory ? truncate(problem.subcategory, max) : 'Text not recovered';
}

/** "**1.10** Find induction heads…": an id always travels with its title. */
export function problemRef(problem: Problem, max = 60): string {
  return `**${problem.id}** ${problemTitle(problem, max)}`;
}

/** The summary minus the sentence already shown as the title, so the card does not say it twice. */
function bodyOf(problem: Problem, title: string): string {
  if (!problem.summary) return NOT_RECOVERED;
  const first = firstSentence(problem.summary, 10_000);
  if (title === first) return problem.summary.slice(first.length).trim();
  return problem.summary;
}

/**
 * One readable line for the difficulty. The source letter when there is one (A easiest, D hardest); otherwise what
 * the provenance note lets us say, such as "B or harder" for a problem left out of a sorted list of A problems.
 */
export function difficultyText(problem: Pick<Problem, 'difficulty' | 'difficultyNote'>): { rating: string; note: string | null } {
  const note = problem.difficultyNote;
  if (problem.difficulty) {
    const conflicting = note && /lists|gives|says/.test(note) ? note : null;
    return { rating: `**${problem.difficulty}** (A easiest, D hardest)`, note: conflicting };
  }
  if (!note) return { rating: 'Not rated by the source', note: null };
  const unconfirmed = /unconfirmed/.test(note);
  if (/^not rated A or B\b/.test(note)) return { rating: 'C or harder', note: 'not rated; left out of a sorted list of A and B problems' };
  if (/^not rated A\b/.test(note)) return { rating: 'B or harder', note: 'not rated; left out of a sorted list of A problems' };
  if (/^C or harder/.test(note)) return { rating: 'C or harder', note: 'not rated; placed by a sorted listing' };
  const likely = /^likely ([A-D])/.exec(note);
  if (likely) return { rating: `Probably ${likely[1]}`, note: 'not rated; placed by a sorted listing, unconfirmed' };
  const thirdParty = /rates it ([A-D](?:-[A-D])?)/.exec(note);
  if (thirdParty) return { rating: 'Not rated by the source', note: `a third-party summary says ${thirdParty[1]}${unconfirmed ? ' (unconfirmed)' : ''}` };
  return { rating: 'Not rated by the source', note };
}

function claimLine(claim: Claim, settings: LifecycleSettings): string {
  const parts = [member(claim.userId), INTENT_LABEL[claim.intent], `since ${date(claim.claimedAt)}`];
  if (claim.pinned) parts.push('pinned');
  else if (claim.status === 'stale') parts.push(`**stale**, released ${relative(releaseDueAt(claim, settings))} without a check-in`);
  if (claim.link) parts.push(link('link', claim.link));
  return `${parts.join(' · ')}${claim.note ? `\n> ${quote(claim.note, 100)}` : ''}`;
}

export function doneLine(claim: Claim): string {
  return [member(claim.userId), claim.outcomeLink ? link('write-up', claim.outcomeLink) : 'finished', date(claim.closedAt ?? claim.lastCheckinAt)].join(' · ');
}

export function describeEvent(event: ClaimEvent): string {
  const whose = member(event.userId);
  const by = event.by === 'system' ? null : event.by === event.userId ? null : member(event.by);
  const what: Record<ClaimEvent['action'], string> = {
    claimed: `${whose} claimed it`,
    'checked-in': `${whose} checked in`,
    stale: `${whose}'s claim turned stale (no check-in)`,
    released: by ? `${by} released ${whose}'s claim` : `${whose}'s claim was released (no check-in)`,
    unclaimed: `${whose} unclaimed it`,
    done: `${whose} finished it${event.link ? `: ${link('write-up', event.link)}` : ''}`,
    pinned: `${by ?? whose} pinned ${whose}'s claim`,
    unpinned: `${by ?? whose} unpinned ${whose}'s claim`,
  };
  return `${date(event.at)} ${what[event.action]}`;
}

/** A short footer tag for a list with a caveat (marked dated, or ids that are ours); the full text is behind "About this list". */
const caveatTag = (set: ProblemSet) => (set.caveat ? (/\bdated\b/.test(set.caveat) ? 'marked dated by its author: see About this list' : 'before citing an id, see About this list') : null);

export function renderProblemEmbed({ registry, problem, claims, settings }: CardContext): APIEmbed {
  const set = setOf(registry, problem);
  const category = set.categories.find((c) => c.id === problem.category);
  const fields: NonNullable<APIEmbed['fields']> = [];
  fields.push({ name: 'Category', value: category ? `${category.id}. ${link(category.name, category.url)}` : problem.category, inline: true });
  if (problem.subcategory) fields.push({ name: 'Topic', value: truncate(problem.subcategory, 1024), inline: true });
  const { rating, note } = difficultyText(problem);
  fields.push({ name: 'Difficulty', value: truncate(note ? `${rating}\n*${note}*` : rating, 1024), inline: true });
  const terms = problem.terms.map((id) => registry.termById.get(id)?.term).filter((t): t is string => t !== undefined);
  if (terms.length > 0) fields.push({ name: 'Glossary terms', value: truncate(terms.join(' · '), 1024) });

  if (claims) {
    const here = claimsForProblem(claims, { set: problem.set, problemId: problem.id });
    fields.push({
      name: 'Working on it here',
      value: here.current.length > 0 ? joinWithin(here.current.map((c) => claimLine(c, settings)), 1024) : `Nobody yet. Press Claim, or use ${cmd('problem claim')}.`,
    });
    if (here.done.length > 0) fields.push({ name: 'Existing work here', value: joinWithin(here.done.map(doneLine), 1024) });
    if (here.history.length > 0) fields.push({ name: 'Recent activity', value: joinWithin(here.history.slice(0, ACTIVITY_SHOWN).map(describeEvent), 1024) });
  }

  const title = problemTitle(problem);
  const footer = [set.shortTitle, caveatTag(set), problem.idConfidence === 'approximate' ? 'numbering approximate' : null].filter(Boolean);
  return {
    title: truncate(`${problem.id} · ${title}`, 256),
    url: problem.url,
    ...(bodyOf(problem, title) ? { description: truncate(bodyOf(problem, title), 4096) } : {}),
    color: REFERENCE_COLOUR,
    fields,
    footer: { text: footer.join(' · ') },
  };
}

/** Whether this member holds a current claim on the problem. */
export function viewerClaims(claims: GuildClaims | null, problem: Problem, viewerId: string | undefined): boolean {
  if (!claims || !viewerId) return false;
  return claims.claims.some((c) => c.userId === viewerId && c.set === problem.set && c.problemId === problem.id && isCurrent(c));
}

/**
 * The card with its buttons: Claim (Check in for someone who already claims it), Another one (for a draw), Show
 * terms, About this list (when the list has a caveat) and, on a public card, Delete.
 */
export function renderProblemCard(context: CardContext, draw?: DrawState, options: CardOptions = {}): Required<Pick<MessagePayload, 'embeds' | 'components'>> {
  const { problem } = context;
  const set = setOf(context.registry, problem);
  const viewer = options.viewerId ?? draw?.viewerId;
  const buttons: APIButtonComponent[] = [
    viewerClaims(context.claims, problem, viewer)
      ? { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Check in', custom_id: customId('problem', 'checkin', problem.id) }
      : { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Claim', custom_id: customId('problem', 'claim', problem.id) },
  ];
  if (draw) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Another one', custom_id: anotherCustomId(draw) });
  if (problem.terms.length > 0) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Show terms', custom_id: customId('problem', 'terms', problem.id) });
  }
  if (set.caveat) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'About this list', custom_id: customId('problem', 'about', set.id) });
  if (options.publicOwner) buttons.push(deleteButton('problem', options.publicOwner));
  return { embeds: [renderProblemEmbed(context)], components: [row(...buttons)] };
}

/** "Show terms": each term with its one-line gist, and a menu to open any of them in full. */
export function renderTermsCard(registry: Registry, problem: Problem, viewerId: string): MessagePayload {
  const terms = problem.terms.map((id) => registry.termById.get(id)).filter((t): t is GlossaryTerm => t !== undefined);
  return {
    embeds: [
      {
        title: truncate(`Terms in ${problem.id} · ${problemTitle(problem, 60)}`, 256),
        description: `${terms.map((t) => `**${t.term}**: ${gistOf(t, 120)}`).join('\n')}\n\nOpen one below, or look any term up with ${cmd('glossary lookup')}.`,
        color: REFERENCE_COLOUR,
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: customId('glossary', 'open', viewerId),
            placeholder: 'Open a term',
            options: terms.slice(0, 25).map((t) => ({ label: truncate(t.term, 100), value: t.id, description: gistOf(t) })),
          },
        ],
      },
    ],
  };
}

/** "About this list": the list's caveat and provenance, once, privately. */
export function renderAboutSet(registry: Registry, set: ProblemSet): MessagePayload {
  const problems = registry.problems.filter((p) => p.set === set.id);
  const approximate = problems.filter((p) => p.idConfidence === 'approximate').length;
  const lines = [
    `${set.authors.join(', ')} · ${set.published} · ${plural(problems.length, 'problem')}`,
    set.caveat ? `\n**Caveat:** ${set.caveat}` : '',
    approximate > 0 ? `\n**Numbering:** ${plural(approximate, 'problem')} in this list ${approximate === 1 ? 'has an id' : 'have ids'} matched to the source by position, which may be off by one. The title link always opens the right place in the source.` : '',
  ];
  return { embeds: [{ title: truncate(set.title, 256), url: set.url, description: lines.join('\n').trim(), color: REFERENCE_COLOUR }] };
}

export function renderProblemDidYouMean(shownQuery: string, suggestions: readonly Problem[]): Required<Pick<MessagePayload, 'content' | 'components'>> {
  if (suggestions.length === 0) {
    return { content: `No problem "${shownQuery}". Ids look like 1.10 or OP-3: pick one from the list as you type in ${cmd('problem show')}.`, components: [] };
  }
  const names = suggestions.map((p) => problemRef(p, 50)).join(', ');
  return {
    content: `No problem "${shownQuery}". Did you mean: ${names}?`,
    components: [
      row(
        ...suggestions.slice(0, 5).map(
          (p): APIButtonComponent => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: `Show ${p.id}`, custom_id: customId('problem', 'show', p.id) }),
        ),
      ),
    ],
  };
}

/** A menu that opens problems (privately), for any list that names them. */
export function problemPicker(problems: readonly Problem[], placeholder = 'Open a problem'): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: customId('problem', 'pick'),
        placeholder,
        options: [...new Map(problems.map((p) => [p.id, p])).values()].slice(0, 25).map((p) => ({ label: truncate(`${p.id} · ${problemTitle(p)}`, 100), value: p.id })),
      },
    ],
  };
}

// ---- autocomplete ----

export function renderProblemChoices(problems: readonly Problem[]): APIApplicationCommandOptionChoice<string>[] {
  return problems.slice(0, 25).map((p) => ({ name: truncate(`${p.id} · ${p.summary ?? p.subcategory ?? 'text not recovered'}`, 100), value: p.id }));
}

export function renderCategoryChoices(categories: readonly CategoryRef[]): APIApplicationCommandOptionChoice<string>[] {
  return categories.slice(0, 25).map((c) => ({ name: truncate(`${c.id}. ${c.name} (${c.set.shortTitle})`, 100), value: c.id }));
}
