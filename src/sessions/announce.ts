/** Redrawing a session's announcement and posting notices in its thread, shared by commands, buttons and jobs. */
import type { Session } from '../domain/sessions.ts';
import { renderAnnouncement, renderThreadNotice, type ChannelMessage } from '../render/sessions.ts';
import type { Services } from '../services.ts';
import { eventUrl, isGone, type SessionsApi } from './discord-api.ts';

export const DEFAULT_GROUP = { id: 'everyone', name: 'Everyone' } as const;

export async function groupNameOf(services: Services, guildId: string, groupId: string): Promise<string> {
  const group = (await services.repos.studyGroups.list(guildId)).find((g) => g.id === groupId);
  return group?.name ?? (groupId === DEFAULT_GROUP.id ? DEFAULT_GROUP.name : groupId);
}

/** The announcement as it should look now (null if the resource left the registry). */
export async function announcementOf(services: Services, guildId: string, session: Session): Promise<ChannelMessage | null> {
  const resource = services.registry.resourceById.get(session.resourceId);
  if (!resource) return null;
  return renderAnnouncement({
    registry: services.registry,
    session,
    resource,
    guildId,
    groupName: await groupNameOf(services, guildId, session.groupId),
    now: services.clock.now(),
    eventUrl: session.eventId ? eventUrl(guildId, session.eventId) : null,
  });
}

/** Edits the announcement to match the session. A deleted announcement is not an error: there is nothing to redraw. */
export async function refreshAnnouncement(services: Services, api: SessionsApi, guildId: string, session: Session): Promise<boolean> {
  if (!session.messageId) return false;
  const payload = await announcementOf(services, guildId, session);
  if (!payload) return false;
  try {
    await api.edit(session.channelId, session.messageId, payload);
    return true;
  } catch (error) {
    services.log.warn({ err: error, guildId, session: session.id, gone: isGone(error) }, 'could not update a session announcement');
    return false;
  }
}

/** Posts a line in the session's thread (or its channel when it has none). Best effort. */
export async function threadNotice(services: Services, api: SessionsApi, session: Session, text: string): Promise<void> {
  try {
    await api.post(session.threadId ?? session.channelId, renderThreadNotice(text));
  } catch (error) {
    services.log.warn({ err: error, session: session.id }, 'could not post a session notice');
  }
}
