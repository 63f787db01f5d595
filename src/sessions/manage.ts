/**
 * Changing a session after it was scheduled: /session edit and /session cancel, and the announcement's buttons.
 * Before an edit or a cancel the Discord event is read back first (SessionJobs.sync), so a change made meanwhile in
 * Discord's own event UI is adopted, and only the fields the member asked to change are written to Discord.
 */
import type { RESTPatchAPIGuildScheduledEventJSONBody } from 'discord-api-types/v10';
import { phaseOf, planReminders, rsvp, type Session, type SessionLocation } from '../domain/sessions.ts';
import { formatLocal } from '../domain/when.ts';
import type { Resource } from '../registry/schema.ts';
import { eventDescription, eventName } from '../render/sessions.ts';
import type { Services } from '../services.ts';
import { refreshAnnouncement, threadNotice } from './announce.ts';
import { eventBody, isGone, isPermissionError, type SessionsApi } from './discord-api.ts';
import { SessionJobs } from './jobs.ts';

type Outcome = { ok: true; session: Session; message: string } | { ok: false; message: string };

const at = (ms: number) => `<t:${Math.floor(ms / 1000)}:F>`;

/** The current session, after reading its Discord event back; or why it cannot be changed. */
async function current(services: Services, api: SessionsApi, guildId: string, sessionId: string): Promise<Outcome> {
  const synced = await new SessionJobs(services, api).sync(guildId, sessionId);
  if (!synced) return { ok: false, message: `No session \`${sessionId.slice(0, 12)}\`. See your sessions with the list.` };
  if (synced.status === 'cancelled') {
    return { ok: false, message: synced.cancelledVia === 'discord' ? 'That session was cancelled in Discord’s event page, so there is nothing to change.' : 'That session is already cancelled.' };
  }
  if (phaseOf(synced, services.clock.now()) !== 'upcoming') return { ok: false, message: 'That session has already started, so it can no longer be changed.' };
  return { ok: true, session: synced, message: '' };
}

export interface EditChanges {
  startsAt?: number;
  durationMin?: number;
  location?: SessionLocation;
  resource?: Resource;
}

export async function editSession(services: Services, api: SessionsApi, guildId: string, sessionId: string, changes: EditChanges, by: string): Promise<Outcome> {
  const found = await current(services, api, guildId, sessionId);
  if (!found.ok) return found;
  const before = found.session;
  const startsAt = changes.startsAt ?? before.startsAt;
  const durationMin = changes.durationMin ?? before.durationMin;
  const location = changes.location ?? before.location;
  const resource = changes.resource ?? services.registry.resourceById.get(before.resourceId);
  if (!resource) return { ok: false, message: 'That session’s resource is no longer in the registry; cancel it and schedule a new one.' };

  if (before.eventId) {
    // Only what the member changed is sent, so nothing edited in Discord's UI is overwritten with stale values.
    const full = eventBody({ name: eventName(resource), description: eventDescription(services.registry, resource), startsAt, endsAt: startsAt + durationMin * 60_000, location });
    const patch: Record<string, unknown> = {};
    if (changes.startsAt !== undefined || changes.durationMin !== undefined) {
      patch.scheduled_start_time = full.scheduled_start_time;
      patch.scheduled_end_time = full.scheduled_end_time;
    }
    if (changes.location) {
      patch.entity_type = full.entity_type;
      patch.channel_id = full.channel_id ?? null;
      patch.entity_metadata = full.entity_metadata ?? null;
      if (!patch.scheduled_end_time) patch.scheduled_end_time = full.scheduled_end_time;
    }
    if (changes.resource) {
      patch.name = full.name;
      patch.description = full.description;
    }
    if (Object.keys(patch).length > 0) {
      try {
        await api.editEvent(guildId, before.eventId, patch as RESTPatchAPIGuildScheduledEventJSONBody);
      } catch (error) {
        if (isGone(error)) return { ok: false, message: 'The Discord event or its channel no longer exists. Nothing was changed.' };
        return {
          ok: false,
          message: isPermissionError(error) ? 'I could not change the Discord event: I need the Manage Events permission. Nothing was changed.' : 'Discord refused the change to the event. Nothing was changed.',
        };
      }
    }
  }
  const offsets = (await services.repos.sessions.settings(guildId, before.groupId)).reminderOffsetsMin;
  const updated = await services.repos.sessions.update(guildId, sessionId, (s) => ({
    ...s,
    startsAt,
    durationMin,
    location,
    resourceId: resource.id,
    reminders: startsAt === s.startsAt ? s.reminders : planReminders(offsets, startsAt, s.reminders),
    syncedAt: services.clock.now(),
  }));
  if (!updated) return { ok: false, message: 'That session no longer exists.' };
  await refreshAnnouncement(services, api, guildId, updated);
  const what = [
    startsAt !== before.startsAt ? `now starts ${at(startsAt)} (${formatLocal(updated.timezone, startsAt)})` : '',
    durationMin !== before.durationMin ? `lasts ${durationMin} minutes` : '',
    changes.location ? 'has a new place' : '',
    changes.resource ? `reads **${resource.title}**` : '',
  ].filter(Boolean);
  if (what.length) await threadNotice(services, api, updated, `Session changed by <@${by}>: it ${what.join(', ')}.`);
  return { ok: true, session: updated, message: what.length ? `Done: the session ${what.join(', ')}.` : 'Nothing to change: give a new time, duration, place or resource.' };
}

export async function cancelSession(services: Services, api: SessionsApi, guildId: string, sessionId: string, by: string, reason: string | null): Promise<Outcome> {
  const found = await current(services, api, guildId, sessionId);
  if (!found.ok) return found;
  if (found.session.eventId) {
    try {
      await api.deleteEvent(guildId, found.session.eventId);
    } catch (error) {
      if (!isGone(error)) {
        return {
          ok: false,
          message: isPermissionError(error) ? 'I could not remove the Discord event: I need the Manage Events permission. Nothing was cancelled.' : 'Discord refused to remove the event. Nothing was cancelled.',
        };
      }
    }
  }
  const now = services.clock.now();
  const updated = await services.repos.sessions.update(guildId, sessionId, (s) => ({ ...s, status: 'cancelled', cancelledAt: now, cancelledVia: 'command' }));
  if (!updated) return { ok: false, message: 'That session no longer exists.' };
  await refreshAnnouncement(services, api, guildId, updated);
  await threadNotice(services, api, updated, `This session was cancelled by <@${by}>${reason ? `: ${reason}` : '.'}`);
  return { ok: true, session: updated, message: `Cancelled the session of ${at(updated.startsAt)}${updated.eventId ? ' and removed its Discord event' : ''}.` };
}

export type ButtonChoice = 'r' | 'x' | 'd';

/** A press of I'll read it / Can't make it / I read it: updates the session and the member's progress. */
export async function pressButton(services: Services, guildId: string, sessionId: string, userId: string, choice: ButtonChoice): Promise<Outcome> {
  const { repos, clock, registry } = services;
  const now = clock.now();
  const session = await repos.sessions.get(guildId, sessionId);
  if (!session) return { ok: false, message: 'This session no longer exists.' };
  const phase = phaseOf(session, now);
  if (phase === 'cancelled') return { ok: false, message: 'This session was cancelled.' };
  if (choice === 'd' && phase === 'upcoming') return { ok: false, message: 'The session has not happened yet: press **I’ll read it** for now.' };
  if (choice !== 'd' && phase === 'held') return { ok: false, message: 'This session was held already. Read it? Press **I read it**.' };
  const resource = registry.resourceById.get(session.resourceId);
  if (!resource) return { ok: false, message: 'This session’s resource is no longer in the registry.' };
  const updated = await repos.sessions.update(guildId, sessionId, (s) => rsvp(s, userId, choice === 'r' ? 'will-read' : choice === 'x' ? 'cant-make' : 'read-it'));
  if (!updated) return { ok: false, message: 'This session no longer exists.' };
  if (choice === 'x') return { ok: true, session: updated, message: 'Noted: you can’t make this one. The thread stays open if you want to read along later.' };
  const progress = await repos.progress.get(guildId, userId);
  const status = progress.entries[resource.id]?.status;
  if (choice === 'd') {
    if (status !== 'done') await repos.progress.mark(guildId, userId, resource.id, 'done', { now });
    return { ok: true, session: updated, message: `Marked **${resource.title}** as done in your progress.` };
  }
  // Queue it for the presser, without moving back something they are already reading or have finished.
  if (status === undefined || status === 'skipped') await repos.progress.mark(guildId, userId, resource.id, 'queued', { now });
  const where = status === 'reading' || status === 'done' ? `It is already on your list as ${status === 'done' ? 'done' : 'reading'}.` : 'It is on your reading list as Want to read.';
  return { ok: true, session: updated, message: `You’re reading **${resource.title}** for the session. ${where}` };
}
