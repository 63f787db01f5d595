/**
 * The weekly digest's reading-session section: the group's sessions held in the digest's week and those coming
 * up in the next. Composed and rendered here, and added to the digest by src/digest/builder.ts.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Session } from '../domain/sessions.ts';
import type { Registry } from '../registry/load.ts';
import { cmd } from '../render/command-mentions.ts';
import { GROUP_COLOUR } from '../render/style.ts';
import { joinWithin, link, truncate } from '../render/text.ts';
import type { Services } from '../services.ts';

const WEEK = 7 * 86_400_000;
export const SESSIONS_SECTION_MAX = 900;

export function composeSessionsSection(sessions: readonly Session[], groupId: string, start: number, end: number) {
  const mine = sessions.filter((s) => s.groupId === groupId && s.status === 'scheduled');
  return {
    held: mine.filter((s) => s.startsAt >= start && s.startsAt < end).sort((a, b) => a.startsAt - b.startsAt),
    upcoming: mine.filter((s) => s.startsAt >= end && s.startsAt < end + WEEK).sort((a, b) => a.startsAt - b.startsAt),
  };
}

export function renderSessionsSection(registry: Registry, section: ReturnType<typeof composeSessionsSection>): APIEmbed | null {
  if (section.held.length === 0 && section.upcoming.length === 0) return null;
  const title = (s: Session) => {
    const r = registry.resourceById.get(s.resourceId);
    return r ? link(truncate(r.title, 70), r.url) : s.resourceId;
  };
  const when = (s: Session) => `<t:${Math.floor(s.startsAt / 1000)}:f>`;
  const lines = [
    ...(section.held.length ? ['**Held this week**', ...section.held.map((s) => `${when(s)} · ${title(s)} · ${s.readIt.length} read it`)] : []),
    ...(section.upcoming.length ? ['**Coming up**', ...section.upcoming.map((s) => `${when(s)} · ${title(s)} · ${s.willRead.length} reading it`)] : []),
  ];
  return { title: 'Reading sessions', description: truncate(`${joinWithin(lines, SESSIONS_SECTION_MAX - 80)}\nAll of them: ${cmd('session list')}`, SESSIONS_SECTION_MAX), color: GROUP_COLOUR };
}

export async function sessionsDigestEmbed(services: Services, guildId: string, groupId: string, start: number, end: number): Promise<APIEmbed | null> {
  const { sessions } = await services.repos.sessions.all(guildId);
  return renderSessionsSection(services.registry, composeSessionsSection(sessions, groupId, start, end));
}
