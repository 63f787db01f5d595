/** Pure rendering of /progress next: personal suggestions, each with why, and Open / Queue buttons. */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { Registry } from '../registry/load.ts';
import type { MemberProfile, Reason, Suggestion } from '../domain/recommend.ts';
import { CUSTOM_ID_MAX, customId } from '../discord/custom-id.ts';
import { cmd } from './command-mentions.ts';
import { emptyState } from './empty-state.ts';
import type { MessagePayload } from './glossary.ts';
import { capitalise, kindLabel } from './labels.ts';
import { formatMinutes } from './progress-style.ts';
import { PERSONAL_COLOUR } from './style.ts';
import { firstSentence, link, listJoin, plural, truncate } from './text.ts';

export const nextOpenId = (resourceId: string, viewerId: string) => customId('progress', 'open', resourceId, viewerId);
export const nextQueueId = (resourceId: string, viewerId: string) => customId('progress', 'queue', resourceId, viewerId);
/** Redraws the suggestions (the Back button on a resource opened from them). */
export const nextListId = (viewerId: string) => customId('progress', 'next', viewerId);

function reasonText(registry: Registry, reason: Reason): string {
  switch (reason.kind) {
    case 'plan':
      return 'in your study plan now';
    case 'unlocked':
      return `unlocked by finishing ${truncate(reason.by.title, 50)}`;
    case 'track':
      return reason.next ? `next in ${truncate(reason.track.title, 50)}` : `part of ${truncate(reason.track.title, 50)}`;
    case 'topics':
      return `on ${listJoin(reason.topics.map((t) => registry.topicById.get(t)?.label ?? t))}, which you have been reading`;
    case 'level':
      return `at your level (${reason.level})`;
  }
}

function intro(profile: MemberProfile, suggestions: readonly Suggestion[]): string {
  const plan = suggestions.some((s) => s.reasons.some((r) => r.kind === 'plan')) ? ' Your study plan’s items come first.' : '';
  if (profile.finishedCount === 0) return `You have not finished anything yet, so these start short and easy.${plan}`;
  return `Picked from the ${plural(profile.finishedCount, 'thing')} you finished (${formatMinutes(profile.finishedMinutes).replace('~', 'about ')}), aimed at ${profile.level} level.${plan}`;
}

export function renderNextSuggestions(registry: Registry, suggestions: readonly Suggestion[], profile: MemberProfile, viewerId: string, notice?: string): MessagePayload {
  if (suggestions.length === 0) {
    const empty = emptyState({
      what: `${notice ? `${notice}\n` : ''}Nothing new is unlocked for you right now.`,
      next: `Finish or skip what you are reading, or browse ${cmd('resources')}.`,
    });
    return empty;
  }
  const blocks = suggestions.map(({ resource: r, reasons }, i) => {
    const meta = [capitalise(kindLabel(r.kind)), r.level, formatMinutes(r.estMinutes)].join(' · ');
    const why = reasons.slice(0, 2).map((x) => reasonText(registry, x));
    return [
      `**${i + 1}.** ${link(truncate(r.title, 150), r.url)}`,
      `${meta}${why.length ? ` · *${capitalise(listJoin(why))}*` : ''}`,
      firstSentence(r.summary, 320),
    ].join('\n');
  });
  // A row per suggestion whose id fits a custom_id (registry slugs always do; a longer server-added id gets its link only).
  const buttonable = (id: string) => `progress:queue:${id}:${viewerId}`.length <= CUSTOM_ID_MAX;
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] = suggestions.slice(0, 5).filter(({ resource: r }) => buttonable(r.id)).map(({ resource: r }) => ({
    type: ComponentType.ActionRow,
    components: [
      { type: ComponentType.Button, style: ButtonStyle.Primary, label: truncate(`${suggestions.findIndex((x) => x.resource.id === r.id) + 1}. Open ${r.title}`, 80), custom_id: nextOpenId(r.id, viewerId) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '🕒' }, label: 'Queue', custom_id: nextQueueId(r.id, viewerId) },
    ],
  }));
  return {
    content: notice ?? '',
    embeds: [
      {
        title: 'What to read next',
        description: truncate(`${intro(profile, suggestions)}\n\n${blocks.join('\n\n')}\n\nOpen one to read about it and mark your progress, or queue it for later (${cmd('progress show')} lists your queue).`, 4096),
        color: PERSONAL_COLOUR,
      },
    ],
    components,
  };
}
