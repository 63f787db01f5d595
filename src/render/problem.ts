/**
 * Pure rendering of /problem's lists and answers: claim lists, your claims, the settings card, "no match" for a
 * draw, and the one-line answers to claim actions. The card itself is in problem-card.ts (re-exported here).
 * Members appear as <@id>, which shows a name without pinging (allowed_mentions is empty client-wide).
 */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { customId } from '../discord/custom-id.ts';
import { isCurrent, releaseDueAt, staleDueAt, type ClaimFilter, type LifecycleSettings } from '../domain/claims.ts';
import type { FilterName, RandomFilters } from '../domain/problem-search.ts';
import { problemKey, type Registry } from '../registry/load.ts';
import type { Problem } from '../registry/schema.ts';
import type { Claim, GuildClaims } from '../domain/claim-entities.ts';
import type { GuildSettings } from '../store/repos/guild-settings.ts';
import { cmd } from './command-mentions.ts';
import { emptyState } from './empty-state.ts';
import type { MessagePayload } from './glossary.ts';
import { INTENT_LABEL, date, doneLine, problemPicker, problemTitle, relative, row } from './problem-card.ts';
import { PERSONAL_COLOUR, REFERENCE_COLOUR, SUCCESS_COLOUR } from './style.ts';
import { joinWithin, link, mention, plural, truncate } from './text.ts';

export * from './problem-card.ts';

export const CLAIMS_PAGE_SIZE = 10;
const member = mention;

// ---- /problem random without a match ----

const FILTER_LABEL: Record<FilterName, string> = { unclaimed: 'unclaimed', difficulty: 'difficulty', category: 'category', set: 'set' };

function categoryName(registry: Registry, filters: RandomFilters): string {
  const sets = filters.set ? registry.sets.filter((s) => s.id === filters.set) : registry.sets;
  const category = sets.flatMap((s) => s.categories).find((c) => c.id === filters.category);
  return category ? `${category.id}. ${category.name}` : String(filters.category);
}

export function renderNoMatch(registry: Registry, filters: RandomFilters, relax: readonly { filter: FilterName; count: number }[]): string {
  const described = [
    filters.unclaimed && 'unclaimed',
    filters.difficulty && `difficulty ${filters.difficulty}`,
    filters.category && `category ${categoryName(registry, filters)}`,
    filters.set && `in ${registry.setById.get(filters.set)?.shortTitle ?? filters.set}`,
  ].filter(Boolean);
  const head = `No problem matches all of: ${described.join(', ')}.`;
  if (relax.length === 0) return `${head} Try fewer filters.`;
  const hints = relax.map((r) => `without \`${FILTER_LABEL[r.filter]}\`, ${plural(r.count, 'problem')} match`);
  return `${head} Relax one filter: ${hints.join('; ')}.`;
}

// ---- lists ----

export interface ClaimsPageState {
  page: number;
  memberId: string | undefined;
  status: ClaimFilter;
}

const FILTER_TITLE: Record<ClaimFilter, string> = {
  current: 'Current claims',
  stale: 'Stale claims',
  done: 'Finished work',
  released: 'Released claims',
  all: 'All claims',
};

export function claimsPageCustomId(state: ClaimsPageState, page: number, tag: 'p' | 'n'): string {
  return customId('problem', 'claims', page, state.memberId ?? '-', state.status, tag);
}

function listLine(registry: Registry, claim: Claim, settings: LifecycleSettings): string {
  const problem = registry.problemByKey.get(problemKey(claim.set, claim.problemId));
  const title = `**${claim.problemId}** ${problem ? problemTitle(problem, 70) : ''}`;
  let state: string;
  switch (claim.status) {
    case 'active':
      state = `${INTENT_LABEL[claim.intent]} · since ${date(claim.claimedAt)} · last check-in ${relative(claim.lastCheckinAt)}${claim.pinned ? ' · pinned' : ''}`;
      break;
    case 'stale':
      state = `**stale** (${INTENT_LABEL[claim.intent]}) · last check-in ${relative(claim.lastCheckinAt)} · released ${relative(releaseDueAt(claim, settings))}`;
      break;
    case 'done':
      state = `finished ${date(claim.closedAt ?? claim.lastCheckinAt)}${claim.outcomeLink ? ` · ${link('write-up', claim.outcomeLink)}` : ''}`;
      break;
    case 'released':
      state = `released ${date(claim.closedAt ?? claim.lastCheckinAt)} · claimed ${date(claim.claimedAt)}`;
      break;
  }
  return `${title}\n${member(claim.userId)} · ${state}`;
}

/** One page of a list already filtered and sorted by the caller. */
export function renderClaimsPage(registry: Registry, claims: readonly Claim[], state: ClaimsPageState, settings: LifecycleSettings): MessagePayload {
  const whose = state.memberId ? ` of ${member(state.memberId)}` : '';
  if (claims.length === 0) {
    return emptyState({
      what: `${FILTER_TITLE[state.status]}${whose}: none${state.status === 'current' ? '. Nobody here is working on a problem right now' : ''}.`,
      next: state.status === 'current' ? `Find one with ${cmd('problem random')}.` : `See every claim with ${cmd('problem claims')} and status all.`,
    });
  }
  const pages = Math.ceil(claims.length / CLAIMS_PAGE_SIZE);
  const page = Math.min(Math.max(0, state.page), pages - 1);
  const shown = claims.slice(page * CLAIMS_PAGE_SIZE, (page + 1) * CLAIMS_PAGE_SIZE);
  const embed: APIEmbed = {
    title: `${FILTER_TITLE[state.status]} in this server`,
    description: truncate(`${whose ? `Claims${whose}.\n\n` : ''}${shown.map((c) => listLine(registry, c, settings)).join('\n\n')}`, 4096),
    color: REFERENCE_COLOUR,
    footer: { text: `Page ${page + 1} of ${pages} · ${plural(claims.length, 'claim')}` },
  };
  const current = { ...state, page };
  return {
    embeds: [embed],
    components: [
      ...pickerRows(problemsOf(registry, shown)),
      row(
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Prev', custom_id: claimsPageCustomId(current, Math.max(0, page - 1), 'p'), disabled: page === 0 },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: claimsPageCustomId(current, Math.min(pages - 1, page + 1), 'n'), disabled: page >= pages - 1 },
      ),
    ],
  };
}

const pickerRows = (problems: Problem[]) => (problems.length > 0 ? [problemPicker(problems)] : []);

/** The registry problems a list of claims names, in order, for an "Open a problem" menu. */
function problemsOf(registry: Registry, claims: readonly Claim[]): Problem[] {
  return claims.map((c) => registry.problemByKey.get(problemKey(c.set, c.problemId))).filter((p): p is Problem => p !== undefined);
}

export function renderMyClaims(registry: Registry, claims: GuildClaims, userId: string, settings: GuildSettings): MessagePayload {
  const mine = claims.claims.filter((c) => c.userId === userId);
  const current = mine.filter(isCurrent).sort((a, b) => a.claimedAt - b.claimedAt);
  const done = mine.filter((c) => c.status === 'done').sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
  if (current.length === 0 && done.length === 0) {
    return emptyState({ what: 'You have no claims in this server.', next: `Find a problem nobody here has taken with ${cmd('problem random')} (unclaimed: True), then press Claim.` });
  }
  const summary = (c: Claim) => {
    const p = registry.problemByKey.get(problemKey(c.set, c.problemId));
    return `**${c.problemId}** ${p ? problemTitle(p, 60) : ''}`;
  };
  const due = (c: Claim) =>
    c.pinned
      ? 'pinned: no check-ins needed'
      : c.status === 'stale'
        ? `**stale**: check in before ${date(releaseDueAt(c, settings))} to keep it`
        : `check in by ${date(staleDueAt(c, settings))}`;
  const fields: NonNullable<APIEmbed['fields']> = [];
  if (current.length > 0) {
    fields.push({ name: 'Working on', value: joinWithin(current.map((c) => `${summary(c)}\n${INTENT_LABEL[c.intent]} · since ${date(c.claimedAt)} · ${due(c)}`), 1024) });
  }
  if (done.length > 0) fields.push({ name: 'Finished', value: joinWithin(done.map((c) => `${summary(c)}\n${doneLine(c)}`), 1024) });
  return {
    embeds: [
      {
        title: 'Your claims',
        description: `${current.length} of ${plural(settings.claimCap, 'claim')} in use. Check in with ${cmd('problem checkin')} to keep a claim from going stale.`,
        color: PERSONAL_COLOUR,
        fields,
      },
    ],
    components: pickerRows(problemsOf(registry, [...current, ...done])),
  };
}

// ---- settings ----

export function renderSettings(settings: GuildSettings, notice: string): MessagePayload {
  return {
    content: notice,
    embeds: [
      {
        title: 'Claim settings for this server',
        description: `Members with Manage Server change these with ${cmd('problem settings')}.`,
        color: REFERENCE_COLOUR,
        fields: [
          {
            name: 'Claims',
            value: settings.claimsExclusive ? 'Exclusive: one member per problem at a time.' : 'Shared: several members may work on one problem.',
          },
          { name: 'Cap', value: `${plural(settings.claimCap, 'active claim')} per member`, inline: true },
          { name: 'Stale after', value: `${plural(settings.staleAfterDays, 'day')} without a check-in`, inline: true },
          { name: 'Released after', value: `${plural(settings.releaseAfterDays, 'more day')} stale`, inline: true },
        ],
      },
    ],
  };
}

// ---- answers to claim actions ----

export function renderClaimed(embed: APIEmbed, text: string): MessagePayload {
  return { content: text, embeds: [{ ...embed, color: SUCCESS_COLOUR }] };
}

const OTHERS_NAMED = 5;

/** Who else is on the problem, naming a few so a crowded problem cannot push the message past 2000 characters. */
export function othersText(others: readonly Claim[]): string {
  if (others.length === 0) return '';
  const named = others.slice(0, OTHERS_NAMED).map((c) => `${member(c.userId)} (${INTENT_LABEL[c.intent]})`);
  const more = others.length > OTHERS_NAMED ? ` and ${plural(others.length - OTHERS_NAMED, 'other')}` : '';
  return ` Also working on it here: ${named.join(', ')}${more}.`;
}

export function capText(cap: number, current: readonly Claim[]): string {
  return `You already have ${plural(current.length, 'active claim')} (${current.map((c) => `**${c.problemId}**`).join(', ')}), and the cap in this server is ${cap}. Finish one with ${cmd('problem done')} or release one with ${cmd('problem unclaim')} first.`;
}

export function takenText(problemId: string, holder: Claim, settings: LifecycleSettings): string {
  const stale = holder.status === 'stale' && !holder.pinned ? ` It is stale and will be released ${relative(releaseDueAt(holder, settings))} unless they check in.` : '';
  return `**${problemId}** is already claimed by ${member(holder.userId)} (${INTENT_LABEL[holder.intent]}, since ${date(holder.claimedAt)}), and claims in this server are exclusive.${stale} Ask them about it, or pick another with ${cmd('problem random')} (unclaimed: True).`;
}
