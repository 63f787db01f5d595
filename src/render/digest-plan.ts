/** Pure rendering of a digest's study-plan section (domain/digest-plan.ts). Names are mentions that never ping. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { DigestPlanSection } from '../domain/digest-plan.ts';
import { cmd } from './command-mentions.ts';
import { GROUP_COLOUR } from './style.ts';
import { joinWithin, link, mention, truncate } from './text.ts';

/** The most members named in each list, like the rest of the digest. */
export const PLAN_MEMBERS_LISTED = 50;

const items = (rs: DigestPlanSection['required']) => joinWithin(rs.map((r) => link(truncate(r.title, 80), r.url)), 900, ' · ');

function names(ids: readonly string[], label: (id: string, i: number) => string, total: number): string {
  const shown = ids.slice(0, PLAN_MEMBERS_LISTED).map(label);
  const more = total - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}

export function renderDigestPlan(section: DigestPlanSection): APIEmbed[] {
  const title =
    section.phase === 'upcoming'
      ? `Study plan starts <t:${Math.floor(section.startsAt / 1000)}:D>`
      : section.phase === 'finished'
        ? `Study plan finished: ${section.planTitle}`
        : `Week ${section.weekIndex + 1} of ${section.weekCount}: ${section.weekTitle}`;
  const lines: string[] = [`**${truncate(section.planTitle, 150)}**`];
  if (section.phase === 'running') {
    lines.push(`This week: ${items(section.required)}`);
    lines.push(`✅ **${section.finishedWeek}** of ${section.members} member${section.members === 1 ? '' : 's'} finished this week’s required items.`);
  }
  if (section.phase !== 'upcoming' && section.members > 0) {
    if (section.onTrackCount) lines.push(`**On track (${section.onTrackCount}):** ${names(section.onTrack, mention, section.onTrackCount)}`);
    if (section.behindCount) {
      lines.push(`**Behind (${section.behindCount}):** ${names(section.behind.map((b) => b.userId), (id, i) => `${mention(id)} (${section.behind[i]!.behind})`, section.behindCount)}`);
    }
  }
  if (section.next) lines.push(`**Next, week ${section.next.index + 1}: ${truncate(section.next.title, 100)}:** ${items(section.next.required)}`);
  lines.push(`See where you stand with ${cmd('plan status')}.`);
  return [{ title: truncate(title, 256), description: truncate(lines.join('\n'), 4000), color: GROUP_COLOUR }];
}

/** The chart's optional extra series: the plan's expected completions per day, next to the group's. */
export function planChartSeries(section: DigestPlanSection | undefined, days: number): { label: string; data: number[] } | null {
  if (!section || section.phase !== 'running') return null;
  return { label: 'Plan pace (expected)', data: new Array<number>(days).fill(Math.round(section.expectedPerDay * 10) / 10) };
}
