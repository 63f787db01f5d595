/**
 * Creating a reading session: the Discord scheduled event, the announcement, then its thread and the record together.
 *
 * The "nothing half-made" rule. A session exists when its announcement exists and its record is saved:
 *  1. The event is created first, so the announcement can link to it. Without Manage Events (or if Discord
 *     refuses it) the session goes ahead without an event, and the announcement says why.
 *  2. The announcement is essential: if it cannot be posted, the event from step 1 is deleted again and nothing
 *     is stored.
 *  3. The thread is a convenience: if it cannot be opened, the session stands, the announcement says so, and
 *     reminders go to the announcement's channel instead.
 *  4. The record is saved while the thread is opened (Discord gives a thread started from a message the
 *     message's id, so the record can name it in advance). If the store refuses it, the thread, the announcement
 *     and the event are deleted again, and the member is told nothing was created. If the thread could not be
 *     opened, the record is then corrected (no thread, and a note saying why); should the process stop before
 *     that, reminders sent to the missing thread fall back to the channel (see jobs.ts).
 * The thread's opening message is part of the convenience in step 3: it is posted as soon as the thread exists,
 * and the answer does not wait for it (`opened` settles when it is posted; a failure is logged).
 */
import type { APIGuildScheduledEvent } from 'discord-api-types/v10';
import { newSessionId, planReminders, reminderDueAt, type Session, type SessionLocation } from '../domain/sessions.ts';
import type { Resource } from '../registry/schema.ts';
import { eventDescription, eventName, renderAnnouncement, renderThreadOpener } from '../render/sessions.ts';
import { truncate } from '../render/text.ts';
import type { Services } from '../services.ts';
import { discordCode, eventBody, eventUrl, isGone, isPermissionError, sessionNonce, type SessionsApi } from './discord-api.ts';

export interface NewSession {
  guildId: string;
  groupId: string;
  groupName: string;
  /** Where the announcement goes (the group's channel). */
  channelId: string;
  resource: Resource;
  startsAt: number;
  durationMin: number;
  timezone: string;
  location: SessionLocation;
  createdBy: string;
  reminderOffsetsMin: readonly number[];
  pingRoleId: string | null;
  seriesId?: string;
  seriesIndex?: number;
}

export type CreateOutcome =
  /** `opened` settles when the thread's opening message is posted (or has failed, which is only logged). */
  | { ok: true; session: Session; eventUrl: string | null; opened: Promise<void> }
  | { ok: false; message: string };

const reason = (error: unknown) => {
  const code = discordCode(error);
  return code === undefined ? 'Discord did not answer' : `Discord error ${code}`;
};

export async function createSession(services: Services, api: SessionsApi, input: NewSession): Promise<CreateOutcome> {
  const { registry, log } = services;
  const now = services.clock.now();
  const id = newSessionId();
  const notes: string[] = [];
  const endsAt = input.startsAt + input.durationMin * 60_000;

  // 1. The Discord event (optional).
  let event: APIGuildScheduledEvent | null = null;
  try {
    event = await api.createEvent(
      input.guildId,
      eventBody({ name: eventName(input.resource), description: eventDescription(registry, input.resource), startsAt: input.startsAt, endsAt, location: input.location }),
    );
  } catch (error) {
    if (isGone(error) && input.location.kind !== 'external') {
      return { ok: false, message: `The channel <#${input.location.channelId}> no longer exists. Pick another voice or stage channel, or type a place.` };
    }
    notes.push(isPermissionError(error) ? 'No Discord event: I need the Manage Events permission to create one.' : `No Discord event: ${reason(error)}.`);
    log.warn({ err: error, guildId: input.guildId }, 'could not create the scheduled event for a session');
  }

  let session: Session = {
    id,
    groupId: input.groupId,
    resourceId: input.resource.id,
    startsAt: input.startsAt,
    durationMin: input.durationMin,
    timezone: input.timezone,
    location: input.location,
    createdBy: input.createdBy,
    createdAt: now,
    status: 'scheduled',
    cancelledAt: null,
    cancelledVia: null,
    channelId: input.channelId,
    messageId: null,
    threadId: null,
    eventId: event?.id ?? null,
    notes,
    willRead: [],
    cantMake: [],
    readIt: [],
    // A reminder whose time has already passed when the session is scheduled is never sent.
    reminders: planReminders(input.reminderOffsetsMin, input.startsAt).map((r) =>
      reminderDueAt({ startsAt: input.startsAt }, r) <= now ? { ...r, state: 'skipped' as const, reason: 'the session was scheduled after it was due' } : r,
    ),
    heldMarkedAt: null,
    syncedAt: now,
    seriesId: input.seriesId ?? null,
    seriesIndex: input.seriesIndex ?? null,
    pingRoleId: input.pingRoleId,
  };
  const link = event ? eventUrl(input.guildId, event.id) : null;
  const announce = () => renderAnnouncement({ registry, session, resource: input.resource, guildId: input.guildId, groupName: input.groupName, now, eventUrl: link });
  const undoEvent = async () => {
    if (event) await api.deleteEvent(input.guildId, event.id).catch((e) => log.warn({ err: e }, 'could not delete the event while undoing a session'));
  };

  let messageId = '';
  // 2. The announcement (essential). A series occurrence carries a nonce, so a retried creation cannot post twice.
  try {
    const nonce = input.seriesId !== undefined ? { nonce: sessionNonce(input.guildId, input.seriesId, input.seriesIndex ?? 0), enforce_nonce: true } : {};
    const message = await api.post(input.channelId, { ...announce(), ...nonce });
    messageId = message.id;
  } catch (error) {
    await undoEvent();
    log.warn({ err: error, guildId: input.guildId }, 'could not post a session announcement; nothing was created');
    const where = `<#${input.channelId}>`;
    return {
      ok: false,
      message: isPermissionError(error)
        ? `I can’t post in ${where}: I need View Channel, Send Messages and Embed Links there. Nothing was created.`
        : isGone(error)
          ? `The channel ${where} no longer exists. Point the group at another channel, then try again. Nothing was created.`
          : `Discord refused the announcement (${reason(error)}). Nothing was created.`,
    };
  }

  // 3 and 4. The thread and the record travel side by side. Discord gives a thread started from a message that
  // message's id, so the record names the thread before Discord answers and the save waits for no round trip.
  // The saved record is frozen by the store; a correction below replaces `session`, never edits it.
  session = { ...session, messageId, threadId: messageId };
  const opening = api.startThread(input.channelId, messageId, truncate(`Reading: ${input.resource.title}`, 100));
  // The thread's opening message goes as soon as the thread exists, while the record may still be saving.
  const opener: Promise<void> = opening.then(
    (thread) =>
      api.post(thread.id, renderThreadOpener(registry, input.resource)).then(
        () => undefined,
        (error) => log.warn({ err: error, guildId: input.guildId }, 'could not post the opening message in a session thread'),
      ),
    () => undefined,
  );
  const [threaded, saveFailed] = await Promise.all([
    opening.then(
      (thread) => ({ ok: true as const, id: thread.id }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    // After a turn of the event loop, so the thread request is on its way before the save's work begins.
    new Promise((resolve) => setImmediate(resolve))
      .then(() => services.repos.sessions.add(input.guildId, session))
      .then(
        () => null,
        (error: unknown) => ({ error }),
      ),
  ]);
  if (saveFailed) {
    await opener;
    if (threaded.ok) await api.deleteChannel(threaded.id).catch(() => undefined);
    await api.deleteMessage(input.channelId, messageId).catch(() => undefined);
    await undoEvent();
    throw saveFailed.error;
  }

  if (!threaded.ok || threaded.id !== messageId) {
    // No thread (or, against Discord's documented rule, one with another id): the saved record is corrected.
    let changed: Pick<Session, 'threadId' | 'notes'> = { threadId: threaded.ok ? threaded.id : null, notes: session.notes };
    if (!threaded.ok) {
      log.warn({ err: threaded.error, guildId: input.guildId }, 'could not open the discussion thread of a session');
      const note = isPermissionError(threaded.error)
        ? 'No thread: I need Create Public Threads (and Send Messages in Threads). Reminders will go to this channel.'
        : `No thread: ${reason(threaded.error)}. Reminders will go to this channel.`;
      changed = { ...changed, notes: [...session.notes, note] };
    }
    session = { ...session, ...changed };
    // If this write fails the session still works: reminders sent to a thread that does not exist fall back to
    // the channel (see jobs.ts). Only the note is then missing from /session list.
    await services.repos.sessions
      .update(input.guildId, id, (saved) => ({ ...saved, ...changed }))
      .catch((error: unknown) => log.warn({ err: error, guildId: input.guildId }, 'could not record that a session has no thread'));
    if (!threaded.ok) {
      await api.edit(input.channelId, messageId, announce()).catch((e) => log.warn({ err: e }, 'could not add the thread note to an announcement'));
    }
  }

  return { ok: true, session, eventUrl: link, opened: opener };
}
