/**
 * Reading what a member typed into /session: which group, its time zone, the resource and the location, plus the
 * autocomplete choices for each. Every reader returns either the value or a message to show privately.
 */
import { ChannelType } from 'discord-api-types/v10';
import { quote } from '../discord/replies.ts';
import { DEFAULT_SESSION_SETTINGS, phaseOf, type GroupSessionSettings, type Session, type SessionLocation } from '../domain/sessions.ts';
import { resourceIndexes } from '../domain/resource-search.ts';
import { formatLocal } from '../domain/when.ts';
import { groupIdFor, type StudyGroup } from '../store/repos/study-groups.ts';
import { currentPlanWeek } from '../plans/current-week.ts';
import type { Resource } from '../registry/schema.ts';
import type { Services } from '../services.ts';
import { DEFAULT_GROUP } from './announce.ts';
import type { SessionsApi } from './discord-api.ts';

export interface SessionGroup {
  id: string;
  name: string;
  /** Where announcements go. */
  channelId: string;
  roleId: string | null;
  timezone: string;
  settings: GroupSessionSettings;
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The group a session is for: the one named, or the only one. A server without groups gets the default group,
 * "Everyone", announcing in the channel the command was used in.
 */
export async function resolveGroup(services: Services, guildId: string, value: string | undefined, channelId: string): Promise<Result<SessionGroup>> {
  // The groups and the session settings are read side by side; the settings live in the small guild index, so
  // no session record is read here, however many the server keeps.
  const [groups, allSettings] = await Promise.all([services.repos.studyGroups.list(guildId), services.repos.sessions.allSettings(guildId)]);
  let group: StudyGroup | undefined;
  if (value !== undefined) {
    const id = groupIdFor(value);
    group = groups.find((g) => g.id === value || g.id === id);
    if (!group) return { ok: false, message: `No study group "${quote(value)}". Pick one from the list.` };
  } else if (groups.length === 1) group = groups[0];
  else if (groups.length > 1) return { ok: false, message: 'This server has several study groups: say which one with the `group` option.' };
  const id = group?.id ?? DEFAULT_GROUP.id;
  const settings = allSettings[id] ?? DEFAULT_SESSION_SETTINGS;
  return {
    ok: true,
    value: {
      id,
      name: group?.name ?? DEFAULT_GROUP.name,
      channelId: group?.channelId ?? channelId,
      roleId: group?.roleId ?? null,
      timezone: settings.timezone ?? group?.schedule?.timezone ?? 'UTC',
      settings,
    },
  };
}

/** A resource by id (what autocomplete sends) or by an exact title. */
export function resolveResource(services: Services, value: string): Result<Resource> {
  const { registry } = services;
  const exact = registry.resourceById.get(value.trim());
  if (exact) return { ok: true, value: exact };
  const matches = resourceIndexes(registry).resources.search(value, 3);
  const top = matches[0];
  if (top && top.tier === 0) return { ok: true, value: top.item };
  const suggestions = matches.map((m) => `**${m.item.title}**`);
  return { ok: false, message: `No resource "${quote(value)}" in the registry.${suggestions.length ? ` Did you mean: ${suggestions.join(', ')}?` : ' Pick one from the list.'}` };
}

const CHANNEL = /^(?:<#(\d{1,20})>|(\d{17,20}))$/;

/**
 * A location: a voice or stage channel (a channel mention or id, checked with Discord), or a place or link typed
 * as text. Without one, the session meets in its discussion thread.
 */
export async function resolveLocation(api: SessionsApi, value: string | undefined): Promise<Result<SessionLocation>> {
  const text = value?.trim();
  if (!text) return { ok: true, value: { kind: 'external', place: 'The discussion thread on Discord' } };
  const channel = CHANNEL.exec(text);
  if (channel) {
    const id = channel[1] ?? channel[2]!;
    const found = await api.channel(id);
    if (!found) return { ok: false, message: 'That channel no longer exists. Pick a voice or stage channel from the list, or type a place or link.' };
    if (found.type === ChannelType.GuildVoice) return { ok: true, value: { kind: 'voice', channelId: id } };
    if (found.type === ChannelType.GuildStageVoice) return { ok: true, value: { kind: 'stage', channelId: id } };
    return { ok: false, message: `<#${id}> is not a voice or stage channel. Pick one from the list, or type a place or link.` };
  }
  const place = text.replace(/[\u0000-\u001f\u007f]/g, '').replace(/@(everyone|here)/g, '@\u200b$1');
  if (place.length > 100) return { ok: false, message: 'A place or link can be up to 100 characters.' };
  return { ok: true, value: { kind: 'external', place } };
}

type Choice = { name: string; value: string };

/** Resource choices: the group's current plan week first (when the group follows a plan), then the registry. */
export async function resourceChoices(services: Services, guildId: string, groupId: string, query: string, now: number): Promise<Choice[]> {
  const { registry } = services;
  const week = await currentPlanWeek(services, guildId, groupId, new Date(now));
  const planned = week ? [...week.required, ...week.extras].map((id) => registry.resourceById.get(id)).filter((r): r is Resource => r !== undefined) : [];
  const q = query.trim().toLowerCase();
  const fromPlan = planned
    .filter((r) => !q || r.title.toLowerCase().includes(q) || r.id.includes(q))
    .map((r) => ({ name: `📅 ${week!.title}: ${r.title}`.slice(0, 100), value: r.id }));
  const rest = (q ? resourceIndexes(registry).resources.search(query, 25).map((m) => m.item) : registry.resources.slice(0, 25))
    .filter((r) => !planned.includes(r))
    .map((r) => ({ name: r.title.slice(0, 100), value: r.id }));
  return [...fromPlan, ...rest].slice(0, 25);
}

const voiceCache = new Map<string, { at: number; channels: { id: string; name: string; type: ChannelType }[] }>();

/** Location choices: the typed place first, then the server's voice and stage channels (cached for a minute). */
export async function locationChoices(api: SessionsApi, guildId: string, query: string, now: number): Promise<Choice[]> {
  let cached = voiceCache.get(guildId);
  if (!cached || now - cached.at > 60_000 || now < cached.at) {
    const channels = await api.voiceChannels(guildId).catch(() => []);
    cached = { at: now, channels };
    voiceCache.set(guildId, cached);
    if (voiceCache.size > 1_000) voiceCache.clear();
  }
  const q = query.trim();
  const channels = cached.channels
    .filter((c) => !q || c.name.toLowerCase().includes(q.toLowerCase().replace(/^#/, '')))
    .map((c) => ({ name: `${c.type === ChannelType.GuildStageVoice ? '🎙️' : '🔊'} ${c.name} (${c.type === ChannelType.GuildStageVoice ? 'stage' : 'voice'} channel)`.slice(0, 100), value: `<#${c.id}>` }));
  const typed = q && !CHANNEL.test(q) ? [{ name: `📍 Place or link: ${q}`.slice(0, 100), value: q.slice(0, 100) }] : [];
  return [...typed, ...channels].slice(0, 25);
}

/** Session choices for edit and cancel: upcoming sessions, soonest first. */
export function sessionChoices(services: Services, sessions: readonly Session[], query: string, now: number): Choice[] {
  const q = query.trim().toLowerCase();
  return sessions
    .filter((s) => phaseOf(s, now) === 'upcoming')
    .sort((a, b) => a.startsAt - b.startsAt)
    .map((s) => ({ s, title: services.registry.resourceById.get(s.resourceId)?.title ?? s.resourceId }))
    .filter(({ s, title }) => !q || s.id.includes(q) || title.toLowerCase().includes(q))
    .slice(0, 25)
    .map(({ s, title }) => ({ name: `${s.id} · ${formatLocal(s.timezone, s.startsAt)} · ${title}`.slice(0, 100), value: s.id }));
}
