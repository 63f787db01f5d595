/** Pure rendering of /resources: the paged list and one resource's detail view. */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import type { Registry } from '../registry/load.ts';
import type { Resource } from '../registry/schema.ts';
import type { MemberProgress, ProgressStatus } from '../store/repos/progress.ts';
import { PROGRESS_STATUSES } from '../store/repos/progress.ts';
import { customId } from '../discord/custom-id.ts';
import { statusOf } from '../domain/reading.ts';
import type { MessagePayload } from './glossary.ts';
import { formatMinutes, STATUS_EMOJI, STATUS_LABEL, statusBadge } from './progress-style.ts';
import { REFERENCE_COLOUR } from './style.ts';
import { joinWithin, link, plural, truncate } from './text.ts';
import { capitalise, kindLabel, kindPlural } from './labels.ts';
import { gistOf } from './glossary.ts';

export const PAGE_SIZE = 10;

/** Everything needed to redraw a page, carried in the Prev/Next custom_ids. */
export interface ListState {
  kind: string | undefined;
  level: string | undefined;
  topic: string | undefined;
  query: string | undefined;
  page: number;
  viewerId: string;
}

const STATUS_CODE: Record<ProgressStatus, string> = { queued: 'q', reading: 'r', done: 'd', skipped: 's' };
export const STATUS_FROM_CODE: Record<string, ProgressStatus> = Object.fromEntries(
  Object.entries(STATUS_CODE).map(([status, code]) => [code, status as ProgressStatus]),
);

/** Encodes list state into a custom_id, giving the free-text query whatever room is left under 100 characters. */
export function listStateCustomId(action: string, state: ListState, page: number, tag: string): string {
  const fixed = ['resources', action, state.kind ?? '-', state.level ?? '-', state.topic ?? '-', '', String(page), state.viewerId, tag];
  const room = 100 - fixed.join(':').length;
  const query = (state.query ?? '').replace(/:/g, ' ').slice(0, Math.max(0, room)) || '-';
  return customId('resources', action, state.kind ?? '-', state.level ?? '-', state.topic ?? '-', query, page, state.viewerId, tag);
}

export const pageCustomId = (state: ListState, page: number, tag: string): string => listStateCustomId('page', state, page, tag);

/** The Back button's tag on a page custom_id: a detail view opened from a list returns to that page. */
export const BACK_TAG = 'b';

/** Whether a custom_id is a Back button (to a resource list or to /progress next), so a redraw can keep it. */
export const isBackCustomId = (id: string): boolean => (id.startsWith('resources:page:') && id.endsWith(`:${BACK_TAG}`)) || id.startsWith('progress:next:');

/** A list state as carried in a page-shaped custom_id's args (kind, level, topic, query, page, viewer). */
export function listStateFrom([kind, level, topic, query, page, viewerId]: readonly [string, string, string, string, number, string]): ListState {
  const value = (x: string) => (x === '-' ? undefined : x);
  return { kind: value(kind), level: value(level), topic: value(topic), query: value(query), page, viewerId };
}

function describeFilters(registry: Registry, state: ListState): string {
  const parts = [
    state.level && `${state.level}-level`,
    state.kind ? kindPlural(state.kind) : 'resources',
    state.topic && `on ${registry.topicById.get(state.topic)?.label ?? state.topic}`,
    state.query && `matching "${state.query}"`,
  ].filter(Boolean);
  const filtered = state.kind || state.level || state.topic || state.query;
  return filtered ? capitalise(parts.join(' ')) : 'Everything in the reading list';
}

export function renderResourceList(registry: Registry, items: readonly Resource[], state: ListState, progress: MemberProgress): MessagePayload {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const page = Math.min(Math.max(0, state.page), pages - 1);
  const shown = items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const lines = shown.map(
    (r, i) =>
      `${statusBadge(statusOf(progress, r.id))} \`${page * PAGE_SIZE + i + 1}.\` ${link(truncate(r.title, 120), r.url)}\n　${metaLine(r)}`,
  );
  const embed: APIEmbed = {
    title: 'Resources',
    description: truncate(`${describeFilters(registry, state)}.\n\n${lines.join('\n')}`, 4096),
    color: REFERENCE_COLOUR,
    footer: { text: `Page ${page + 1} of ${pages} · ${plural(items.length, 'resource')} · pick one below for details and to mark your progress` },
  };
  return {
    // Set, so returning here from a detail view (Back) clears its "Marked as …" notice.
    content: '',
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: listStateCustomId('open', state, page, 'o'),
            placeholder: 'Open a resource',
            options: shown.map((r) => ({
              label: truncate(r.title, 100),
              value: r.id,
              description: truncate(metaLine(r), 100),
            })),
          },
        ],
      },
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Prev', custom_id: pageCustomId(state, page - 1, 'p'), disabled: page === 0 },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: pageCustomId(state, page + 1, 'n'), disabled: page >= pages - 1 },
        ],
      },
    ],
  };
}

/** "Reading list · intermediate · ~4 h": labels, never slugs. */
export const metaLine = (r: Resource): string => `${capitalise(kindLabel(r.kind))} · ${r.level} · ${formatMinutes(r.estMinutes)}`;

export interface DetailContext {
  registry: Registry;
  resource: Resource;
  progress: MemberProgress;
  /** Members of this server who finished it. */
  doneCount: number;
  viewerId: string;
  notice?: string;
  /** custom_id of a Back button to the view this detail replaced (a list page, or /progress next). */
  back?: string | undefined;
}

export function renderResourceDetail({ registry, resource, progress, doneCount, viewerId, notice, back }: DetailContext): MessagePayload {
  const mine = progress.entries[resource.id];
  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Kind', value: capitalise(kindLabel(resource.kind)), inline: true },
    { name: 'Level', value: resource.level, inline: true },
    { name: 'Time', value: formatMinutes(resource.estMinutes), inline: true },
  ];
  if (resource.authors.length > 0 || resource.year !== null) {
    const who = resource.authors.length > 4 ? `${resource.authors.slice(0, 3).join(', ')} et al.` : resource.authors.join(', ');
    fields.push({ name: 'By', value: truncate([who, resource.year].filter(Boolean).join(' · '), 1024) });
  }
  if (resource.parent) {
    const parent = registry.resourceById.get(resource.parent);
    if (parent) fields.push({ name: 'Part of', value: link(parent.title, parent.url) });
  }
  if (resource.prerequisites.length > 0) {
    const lines = resource.prerequisites
      .map((id) => registry.resourceById.get(id))
      .filter((r): r is Resource => r !== undefined)
      .map((r) => `${statusBadge(statusOf(progress, r.id))} ${link(truncate(r.title, 100), r.url)}`);
    fields.push({ name: 'Read first', value: joinWithin(lines, 1024) });
  }
  // Terms are a select menu below (one click opens the term's card), not a second copy as text.
  const terms = resource.terms.map((id) => registry.termById.get(id)).filter((t) => t !== undefined).slice(0, 25);
  fields.push({
    name: 'In this server',
    value: doneCount === 0 ? 'Nobody has finished it yet.' : `${doneCount} member${doneCount === 1 ? ' has' : 's have'} finished it.`,
    inline: true,
  });
  fields.push({
    name: 'You',
    value: mine ? `${STATUS_EMOJI[mine.status]} ${STATUS_LABEL[mine.status]}${mine.note ? `\n> ${truncate(mine.note, 200)}` : ''}` : 'Not started',
    inline: true,
  });
  if (resource.unverified.length > 0) fields.push({ name: 'Note', value: `Not yet verified against the source: ${resource.unverified.join(', ')}.` });

  const embed: APIEmbed = {
    title: truncate(resource.title, 256),
    url: resource.url,
    description: truncate(resource.summary, 4096),
    color: REFERENCE_COLOUR,
    fields,
  };
  const components: NonNullable<MessagePayload['components']> = [
    {
      type: ComponentType.ActionRow,
      components: PROGRESS_STATUSES.map((status) => ({
        type: ComponentType.Button as const,
        style: mine?.status === status ? ButtonStyle.Primary : ButtonStyle.Secondary,
        label: STATUS_LABEL[status],
        emoji: { name: STATUS_EMOJI[status] },
        custom_id: customId('resources', 'mark', resource.id, STATUS_CODE[status], viewerId),
      })),
    },
  ];
  if (terms.length > 0) {
    components.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: customId('resources', 'term', viewerId),
          placeholder: `Glossary: ${plural(terms.length, 'term')} this uses`,
          options: terms.map((t) => ({ label: truncate(t.term, 100), value: t.id, description: gistOf(t, 100) })),
        },
      ],
    });
  }
  if (back) {
    components.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '⬅️' }, label: 'Back', custom_id: back }],
    });
  }
  return {
    // Always set, so a redraw clears an earlier notice.
    content: notice ?? '',
    embeds: [embed],
    components,
  };
}
