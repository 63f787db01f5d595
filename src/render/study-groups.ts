/** Pure rendering of study-group lists and digest status. */
import type { APIEmbed } from 'discord-api-types/v10';
import { nextFire } from '../domain/digest-schedule.ts';
import type { Schedule, StudyGroup } from '../store/repos/study-groups.ts';
import type { MessagePayload } from './glossary.ts';
import { GROUP_COLOUR } from './style.ts';
import { joinWithin, plural } from './text.ts';
import { cmd } from './command-mentions.ts';
import { emptyState } from './empty-state.ts';
import { blockedLine } from './doctor.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export const describeSchedule = (s: Schedule) => `${WEEKDAYS[s.weekday - 1]}s at ${String(s.hour).padStart(2, '0')}:00 ${s.timezone}`;
const stamp = (ms: number) => `<t:${Math.floor(ms / 1000)}:f>`;

export function renderGroupList(groups: readonly StudyGroup[], now: number): MessagePayload {
  if (groups.length === 0) return emptyState({ what: 'No study groups yet.', next: `An admin can create one with ${cmd('studygroup create')}, or just set up ${cmd('digest schedule')}.` });
  const lines = groups.map((g) => {
    const who = g.everyone ? 'everyone' : plural(g.members.length, 'member');
    const when = g.schedule ? `digest ${describeSchedule(g.schedule)}, next ${stamp(nextFire(g.schedule, now) ?? now)}` : 'no digest scheduled';
    return `**${g.name}** · ${who} · <#${g.channelId}>\n${when}`;
  });
  return { embeds: [{ title: 'Study groups', description: joinWithin(lines, 4000), color: GROUP_COLOUR }] };
}

export function renderDigestStatus(group: StudyGroup, now: number, guildId: string): MessagePayload {
  const fields: NonNullable<APIEmbed['fields']> = [];
  if (!group.schedule) {
    fields.push({ name: 'Schedule', value: `Off. Turn it on with ${cmd('digest schedule')}.` });
  } else {
    fields.push({ name: 'Schedule', value: describeSchedule(group.schedule) });
    const next = nextFire(group.schedule, now);
    if (next !== null) fields.push({ name: 'Next digest', value: stamp(next) });
  }
  const last = group.runs[0];
  if (last) {
    const link = last.messageIds[0] ? ` · https://discord.com/channels/${guildId}/${group.channelId}/${last.messageIds[0]}` : '';
    const state =
      last.state === 'posted'
        ? `Posted ${stamp(last.postedAt ?? last.claimedAt)}${last.late ? ' (late)' : ''}${link}`
        : last.state === 'failed'
          ? `Failed after ${last.attempts} attempt${last.attempts === 1 ? '' : 's'}; retrying ${stamp(last.nextAttemptAt ?? now)}`
          : `Posting since ${stamp(last.claimedAt)}`;
    fields.push({ name: `Last digest (week ending ${last.period})`, value: state });
  } else {
    fields.push({ name: 'Last digest', value: 'None yet.' });
  }
  const lastError = group.runs.find((r) => r.lastError)?.lastError;
  fields.push({ name: 'Last error', value: lastError ?? 'None.' });
  if (last?.state === 'failed' && last.blocked) fields.push({ name: 'Blocked', value: blockedLine(last.blocked) });
  return { embeds: [{ title: `Digest status: ${group.name}`, description: `Posts to <#${group.channelId}>.`, color: GROUP_COLOUR, fields }] };
}
