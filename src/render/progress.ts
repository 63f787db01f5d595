/** Pure rendering of /progress show and /progress next. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Registry } from '../registry/load.ts';
import type { MemberProgress } from '../store/repos/progress.ts';
import { recentCompletions, trackTallies } from '../domain/reading.ts';
import { cmd } from './command-mentions.ts';
import { emptyStateText } from './empty-state.ts';
import { kindLabel, kindPlural } from './labels.ts';
import type { MessagePayload } from './glossary.ts';
import { formatMinutes, progressBar } from './progress-style.ts';
import { PERSONAL_COLOUR } from './style.ts';
import { joinWithin, link, listJoin, plural, truncate } from './text.ts';

const day = (ms: number) => `<t:${Math.floor(ms / 1000)}:d>`;

/** "3 guides, 1 tutorial · about 11 h": what the member finished, by kind, and roughly how long it took. */
function finishedSummary(registry: Registry, progress: MemberProgress): string | null {
  const byKind = new Map<string, number>();
  let minutes = 0;
  for (const [id, e] of Object.entries(progress.entries)) {
    const r = registry.resourceById.get(id);
    if (!r || e.status !== 'done') continue;
    byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    minutes += r.estMinutes ?? 0;
  }
  if (byKind.size === 0) return null;
  const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${n === 1 ? kindLabel(k) : kindPlural(k)}`);
  return `${listJoin(kinds)}${minutes > 0 ? ` · ${formatMinutes(minutes).replace('~', 'about ')} of reading` : ''}`;
}

/**
 * The progress card. `viewerId` is who asked: advice ("start with …") only goes to the member themself; asked about
 * someone else with nothing tracked, it just says so.
 */
export function renderProgressCard(registry: Registry, memberId: string, progress: MemberProgress, viewerId: string = memberId): MessagePayload {
  const entries = Object.values(progress.entries);
  if (entries.length === 0) {
    if (viewerId !== memberId) return { content: `<@${memberId}> has not tracked any reading yet.` };
    return {
      content: emptyStateText({ what: 'You have not tracked any reading yet.', next: `Get three personal suggestions with ${cmd('progress next')}, or browse ${cmd('resources')}.` }),
    };
  }
  const reading = Object.entries(progress.entries)
    .filter(([id, e]) => e.status === 'reading' && registry.resourceById.has(id))
    .map(([id]) => registry.resourceById.get(id)!);
  const fields: NonNullable<APIEmbed['fields']> = [];
  const allTracks = trackTallies(registry, progress);
  // Tracks the member has started; if none yet, the biggest one, so there is always a goal in view.
  const started = allTracks.filter((t) => t.done > 0);
  const tracks = started.length > 0 ? started : allTracks.sort((a, b) => b.total - a.total).slice(0, 1);
  if (tracks.length > 0) fields.push({ name: 'Tracks', value: joinWithin(tracks.map((t) => `${progressBar(t.done, t.total)} ${t.label}`), 1024) });
  const finished = finishedSummary(registry, progress);
  if (finished) fields.push({ name: 'Finished', value: finished });
  if (reading.length > 0) fields.push({ name: 'Reading now', value: joinWithin(reading.map((r) => link(truncate(r.title, 100), r.url)), 1024) });
  const recent = recentCompletions(registry, progress);
  if (recent.length > 0) {
    fields.push({
      name: 'Recently finished',
      value: joinWithin(
        recent.map(({ resource, entry }) => `${day(entry.completedAt!)} ${link(truncate(resource.title, 90), resource.url)}${entry.note ? `\n> ${truncate(entry.note, 200)}` : ''}`),
        1024,
      ),
    });
  }
  const done = entries.filter((e) => e.status === 'done').length;
  return {
    embeds: [
      {
        title: 'Reading progress',
        description: `<@${memberId}>: ${done} finished, ${reading.length} in progress, ${entries.filter((e) => e.status === 'queued').length} queued.`,
        color: PERSONAL_COLOUR,
        fields,
      },
    ],
  };
}
