/**
 * Pure rendering of reading sessions: the Discord event's text, the announcement card and its buttons, the
 * thread's opening message, reminders and /session list. Member names are mentions that never ping.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed } from 'discord-api-types/v10';
import { capitalise, kindLabel } from './labels.ts';
import { customId } from '../discord/custom-id.ts';
import { describeOffset, endOf, phaseOf, type Session, type SessionLocation } from '../domain/sessions.ts';
import { formatLocal } from '../domain/when.ts';
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm, Resource } from '../registry/schema.ts';
import { cmd } from './command-mentions.ts';
import { formatMinutes } from './progress-style.ts';
import { DANGER_COLOUR, GROUP_COLOUR, REFERENCE_COLOUR } from './style.ts';
import { joinWithin, link, mention, truncate } from './text.ts';

export interface ChannelMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: []; roles?: string[] };
}

const ts = (ms: number, style: 'F' | 'R' | 'f' | 't' | 'D') => `<t:${Math.floor(ms / 1000)}:${style}>`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function resourceTerms(registry: Registry, resource: Resource): GlossaryTerm[] {
  return resource.terms.map((id) => registry.termById.get(id)).filter((t): t is GlossaryTerm => t !== undefined);
}

/** The scheduled event's name (Discord allows 100 characters). */
export const eventName = (resource: Resource) => truncate(`Reading: ${resource.title}`, 100);

/** The scheduled event's description (Discord allows 1000): title, link, estimated time and key terms. */
export function eventDescription(registry: Registry, resource: Resource): string {
  const terms = resourceTerms(registry, resource).map((t) => t.term);
  const lines = [
    resource.title,
    resource.url,
    `Estimated time: ${formatMinutes(resource.estMinutes)} · ${kindLabel(resource.kind)} · ${resource.level}`,
    terms.length ? `Key terms: ${joinWithin(terms, 400, ', ')}` : '',
    'Discussion in the thread on the announcement.',
  ].filter(Boolean);
  return truncate(lines.join('\n'), 1000);
}

export function describeLocation(location: SessionLocation): string {
  return location.kind === 'external' ? location.place : `<#${location.channelId}>`;
}

export interface AnnouncementContext {
  registry: Registry;
  session: Session;
  resource: Resource;
  guildId: string;
  groupName: string;
  now: number;
  eventUrl: string | null;
}

const ROW = ComponentType.ActionRow;

/** The announcement in the group's channel: the resource card, when and where, the event, and the buttons. */
export function renderAnnouncement(ctx: AnnouncementContext): ChannelMessage {
  const { session, resource, registry } = ctx;
  const phase = phaseOf(session, ctx.now);
  const terms = resourceTerms(registry, resource).map((t) => t.term);
  const when =
    phase === 'cancelled'
      ? `~~${ts(session.startsAt, 'F')}~~ **Cancelled**${session.cancelledVia === 'discord' ? ' (in Discord’s event page)' : ''}.`
      : phase === 'held'
        ? `Held ${ts(session.startsAt, 'F')}. Read it? Press **I read it** to mark it done.`
        : `${ts(session.startsAt, 'F')} (${ts(session.startsAt, 'R')}), ${plural(session.durationMin, 'minute')} · ${formatLocal(session.timezone, session.startsAt)}`;
  const lines = [
    truncate(resource.summary, 600),
    '',
    `**When:** ${when}`,
    `**Where:** ${describeLocation(session.location)}${session.threadId ? ` · discussion in <#${session.threadId}>` : ''}`,
    ctx.eventUrl ? `**Event:** ${link('Open the Discord event', ctx.eventUrl)} (press Interested there to get Discord’s own reminder)` : '',
    ...session.notes.map((n) => `⚠️ ${n}`),
  ].filter((l) => l !== '');
  const fields: NonNullable<APIEmbed['fields']> = [
    { name: 'Kind', value: capitalise(kindLabel(resource.kind)), inline: true },
    { name: 'Level', value: resource.level, inline: true },
    { name: 'Time', value: formatMinutes(resource.estMinutes), inline: true },
  ];
  if (terms.length) fields.push({ name: 'Key terms', value: truncate(`${joinWithin(terms, 700, ' · ')}\nLook one up with ${cmd('glossary lookup')}.`, 1024) });
  const counts =
    phase === 'held'
      ? `${plural(session.readIt.length, 'member')} read it · ${plural(session.willRead.length, 'member')} planned to`
      : `${plural(session.willRead.length, 'member')} reading it · ${session.cantMake.length} can’t make it`;
  fields.push({ name: 'Who', value: counts });
  const embed: APIEmbed = {
    title: truncate(`Reading session: ${resource.title}`, 256),
    url: resource.url,
    description: truncate(lines.join('\n'), 4096),
    color: phase === 'cancelled' ? DANGER_COLOUR : GROUP_COLOUR,
    fields,
    footer: { text: truncate(`${ctx.groupName} · session ${session.id}`, 2048) },
  };
  const buttons: APIComponentInMessageActionRow[] = [];
  if (phase === 'upcoming' || phase === 'live') {
    buttons.push(
      { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'I’ll read it', emoji: { name: '📖' }, custom_id: customId('session', 'rsvp', session.id, 'r') },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Can’t make it', custom_id: customId('session', 'rsvp', session.id, 'x') },
    );
  } else if (phase === 'held') {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Success, label: 'I read it', emoji: { name: '✅' }, custom_id: customId('session', 'rsvp', session.id, 'd') });
  }
  buttons.push({ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Open the resource', url: resource.url });
  return { embeds: [embed], components: [{ type: ROW, components: buttons }], allowed_mentions: { parse: [] } };
}

/** The thread's first message: the glossary terms the resource uses, so the discussion starts on common ground. */
export function renderThreadOpener(registry: Registry, resource: Resource): ChannelMessage {
  const terms = resourceTerms(registry, resource);
  const lines = terms.slice(0, 12).map((t) => `**${t.term}**: ${truncate(t.gist, 160)}`);
  const description = terms.length
    ? `${joinWithin(lines, 3500)}\n\nMore on any of them with ${cmd('glossary lookup')}.`
    : `This resource lists no glossary terms. Look up any jargon with ${cmd('glossary lookup')}.`;
  return {
    embeds: [{ title: truncate(`Terms in ${resource.title}`, 256), description: truncate(description, 4096), color: REFERENCE_COLOUR }],
    components: [],
    allowed_mentions: { parse: [] },
  };
}

/** A reminder in the thread. Names are listed without pinging; the group's role is pinged only when opted in. */
export function renderReminder(input: { session: Session; resource: Resource; offsetMin: number; willRead: string[]; interested: string[]; pingRoleId: string | null }): ChannelMessage {
  const { session, resource } = input;
  const interested = input.interested.filter((id) => !input.willRead.includes(id));
  const names = (ids: string[]) => joinWithin(ids.map(mention), 900, ', ');
  const lines = [
    `Starts ${ts(session.startsAt, 'R')} (${ts(session.startsAt, 't')}), ${describeLocation(session.location)}. ${link(resource.title, resource.url)} · ${formatMinutes(resource.estMinutes)}.`,
    input.willRead.length ? `**Reading it:** ${names(input.willRead)}` : 'Nobody has pressed **I’ll read it** yet: there is still time.',
    interested.length ? `**Interested in the event:** ${names(interested)}` : '',
  ].filter(Boolean);
  return {
    ...(input.pingRoleId ? { content: `<@&${input.pingRoleId}>` } : {}),
    embeds: [{ title: truncate(`Reading session in ${describeOffset(input.offsetMin)}: ${resource.title}`, 256), description: truncate(lines.join('\n'), 4096), color: GROUP_COLOUR }],
    components: [],
    allowed_mentions: input.pingRoleId ? { parse: [], roles: [input.pingRoleId] } : { parse: [] },
  };
}

/** A status line posted in the thread when a session moves or is cancelled. */
export function renderThreadNotice(text: string): ChannelMessage {
  return { content: truncate(text, 2000), embeds: [], components: [], allowed_mentions: { parse: [] } };
}

/** /session list: upcoming sessions first, then the latest held or cancelled ones. */
export function renderSessionList(registry: Registry, sessions: readonly Session[], now: number, guildId: string, groupNames: ReadonlyMap<string, string>): { embeds: APIEmbed[] } {
  if (sessions.length === 0) {
    return { embeds: [{ title: 'Reading sessions', description: `No reading sessions yet. Schedule one with ${cmd('session schedule')}.`, color: REFERENCE_COLOUR }] };
  }
  const upcoming = sessions.filter((s) => endOf(s) > now && s.status === 'scheduled').sort((a, b) => a.startsAt - b.startsAt);
  const past = sessions.filter((s) => !upcoming.includes(s)).sort((a, b) => b.startsAt - a.startsAt).slice(0, 5);
  const line = (s: Session) => {
    const resource = registry.resourceById.get(s.resourceId);
    const title = resource ? link(truncate(resource.title, 80), resource.url) : s.resourceId;
    const where = s.messageId ? ` · ${link('announcement', `https://discord.com/channels/${guildId}/${s.channelId}/${s.messageId}`)}` : '';
    const phase = phaseOf(s, now);
    const state = phase === 'cancelled' ? ' · cancelled' : phase === 'held' ? ` · held, ${s.readIt.length} read it` : ` · ${s.willRead.length} reading it`;
    const reminders = phase === 'upcoming' && s.reminders.some((r) => r.state === 'skipped') ? ` · ${s.reminders.filter((r) => r.state === 'skipped').length} reminder skipped` : '';
    return `\`${s.id}\` ${ts(s.startsAt, 'f')} · ${title} · ${groupNames.get(s.groupId) ?? s.groupId}${state}${reminders}${where}`;
  };
  const blocks = [
    upcoming.length ? `**Coming up**\n${joinWithin(upcoming.map(line), 2500)}` : `Nothing coming up. Schedule a session with ${cmd('session schedule')}.`,
    past.length ? `**Recently**\n${joinWithin(past.map(line), 1200)}` : '',
    `Change one with ${cmd('session edit')}, or call it off with ${cmd('session cancel')}.`,
  ].filter(Boolean);
  return {
    embeds: [{ title: 'Reading sessions', description: truncate(blocks.join('\n\n'), 4096), color: REFERENCE_COLOUR }],
  };
}
