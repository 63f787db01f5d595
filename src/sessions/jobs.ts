/**
 * The reading-session work the scheduler runs for each guild on every tick (gateway and HTTP mode alike):
 * noticing changes made in Discord's own event UI, posting reminders exactly once, showing a session as held,
 * and creating the next occurrence of weekly series.
 *
 * Reminders follow the digest's ledger + nonce approach: a reminder is claimed ("posting") in the session's own record
 * under its lock, deciding again there, before anything is sent; the message carries a nonce Discord enforces; the
 * result is recorded after it lands. A claim left by a crash is resumed with the same nonce, so it is posted once.
 */
import { decideReminder, decideSeries, phaseOf, planReminders, queuedResource, reconcile, SYNC_EVERY_MS, type Series, type Session } from '../domain/sessions.ts';
import { formatLocal } from '../domain/when.ts';
import { currentPlanWeek } from '../plans/current-week.ts';
import { renderReminder } from '../render/sessions.ts';
import type { Services } from '../services.ts';
import { refreshAnnouncement, threadNotice } from './announce.ts';
import { createSession } from './create.ts';
import { isGone, isPermissionError, sessionNonce, snapshotOf, type SessionsApi } from './discord-api.ts';

const SYNC_HORIZON_MS = 8 * 86_400_000;

export class SessionJobs {
  constructor(
    private readonly services: Services,
    private readonly api: SessionsApi,
  ) {}

  /** One pass over a guild's sessions and series. Never throws for one session's failure. */
  async run(guildId: string): Promise<void> {
    const { repos, log } = this.services;
    // Only the sessions with work left: cancelled ones and those already shown as held are not read at all.
    const record = await repos.sessions.open(guildId);
    if (record.sessions.length === 0 && record.series.length === 0) return;
    for (const series of record.series) {
      if (!series.active) continue;
      await this.runSeries(guildId, series.id).catch((error) => log.error({ err: error, guildId, series: series.id }, 'session series job failed'));
    }
    for (const session of record.sessions) {
      await this.runSession(guildId, session).catch((error) => log.error({ err: error, guildId, session: session.id }, 'session job failed'));
    }
  }

  async runSession(guildId: string, initial: Session): Promise<void> {
    const now = this.services.clock.now();
    let session = initial;
    if (session.status === 'cancelled') return;
    const phase = phaseOf(session, now);
    if (phase === 'upcoming') {
      const wantsReminder = session.reminders.some((r) => decideReminder(session, r, now).action === 'post');
      const syncDue = session.startsAt - now < SYNC_HORIZON_MS && now - (session.syncedAt ?? 0) >= SYNC_EVERY_MS;
      if (session.eventId && (wantsReminder || syncDue)) session = (await this.sync(guildId, session.id)) ?? session;
      if (session.status === 'cancelled') return;
      for (const reminder of session.reminders) await this.remind(guildId, session.id, reminder.offsetMin);
      return;
    }
    // Reminders that never went out are recorded as skipped, so /session list can say so.
    if (session.reminders.some((r) => r.state === 'pending' || r.state === 'posting')) {
      session =
        (await this.services.repos.sessions.update(guildId, session.id, (s) => ({
          ...s,
          reminders: s.reminders.map((r) => (r.state === 'pending' || r.state === 'posting' ? { ...r, state: 'skipped', reason: 'the session had already started' } : r)),
        }))) ?? session;
    }
    if (phase === 'held' && session.heldMarkedAt === null) {
      const marked = await this.services.repos.sessions.update(guildId, session.id, (s) => (s.heldMarkedAt === null ? { ...s, heldMarkedAt: now } : null));
      if (marked) await refreshAnnouncement(this.services, this.api, guildId, marked);
    }
  }

  /**
   * Reads the Discord event back and adopts what changed in Discord's own UI: a deleted or cancelled event
   * cancels the session; a new start time moves it and re-arms its reminders. Returns the session as it is now.
   */
  async sync(guildId: string, sessionId: string): Promise<Session | null> {
    const { repos, log, clock } = this.services;
    const current = await repos.sessions.get(guildId, sessionId);
    if (!current?.eventId) return current ?? null;
    let snapshot;
    try {
      const event = await this.api.getEvent(guildId, current.eventId);
      snapshot = event ? snapshotOf(event) : null;
    } catch (error) {
      log.warn({ err: error, guildId, session: sessionId }, 'could not read a session’s Discord event; keeping what is stored');
      return current;
    }
    const now = clock.now();
    const offsets = (await repos.sessions.settings(guildId, current.groupId)).reminderOffsetsMin;
    let change: ReturnType<typeof reconcile> = { kind: 'same' };
    const updated = await repos.sessions.update(guildId, sessionId, (s) => {
      change = reconcile(s, snapshot);
      if (change.kind === 'cancelled') return { ...s, status: 'cancelled', cancelledAt: now, cancelledVia: 'discord', syncedAt: now };
      if (change.kind === 'moved') {
        const startsAt = change.startsAt;
        return { ...s, startsAt, durationMin: change.durationMin ?? s.durationMin, reminders: planReminders(offsets, startsAt, s.reminders), heldMarkedAt: null, syncedAt: now };
      }
      return { ...s, syncedAt: now };
    });
    if (!updated) return null;
    const seen = change as ReturnType<typeof reconcile>;
    if (seen.kind === 'cancelled') {
      log.info({ guildId, session: sessionId }, 'session cancelled in Discord’s event UI');
      await refreshAnnouncement(this.services, this.api, guildId, updated);
      await threadNotice(this.services, this.api, updated, 'The Discord event for this session was cancelled, so the session is off.');
    } else if (seen.kind === 'moved') {
      log.info({ guildId, session: sessionId, startsAt: seen.startsAt }, 'session moved in Discord’s event UI');
      await refreshAnnouncement(this.services, this.api, guildId, updated);
      await threadNotice(this.services, this.api, updated, `The session was moved in Discord’s event page: it now starts <t:${Math.floor(seen.startsAt / 1000)}:F> (${formatLocal(updated.timezone, seen.startsAt)}).`);
    }
    return updated;
  }

  /** Posts one reminder if it is due, exactly once. */
  async remind(guildId: string, sessionId: string, offsetMin: number): Promise<void> {
    const { repos, clock, log, registry } = this.services;
    const now = clock.now();
    let resume = false;
    const claimed = await repos.sessions.update(guildId, sessionId, (s) => {
      const r = s.reminders.find((x) => x.offsetMin === offsetMin);
      if (!r) return null;
      const decision = decideReminder(s, r, now);
      if (decision.action === 'skip') {
        Object.assign(r, { state: 'skipped', reason: decision.reason });
        return s;
      }
      if (decision.action !== 'post') return null;
      resume = decision.resume;
      Object.assign(r, { state: 'posting', claimedAt: now });
      return s;
    });
    const reminder = claimed?.reminders.find((x) => x.offsetMin === offsetMin);
    if (!claimed || reminder?.state !== 'posting') return;
    const resource = registry.resourceById.get(claimed.resourceId);
    if (!resource) return;
    if (resume) log.warn({ guildId, session: sessionId, offsetMin }, 'resuming a reminder interrupted by a restart');
    const interested = claimed.eventId ? await this.api.interestedUsers(guildId, claimed.eventId).catch(() => []) : [];
    const payload = renderReminder({ session: claimed, resource, offsetMin, willRead: claimed.willRead, interested, pingRoleId: claimed.pingRoleId });
    const nonce = sessionNonce(guildId, sessionId, offsetMin, reminder.forStart);
    const record = (patch: Partial<typeof reminder>, sessionPatch: Partial<Session> = {}) =>
      repos.sessions.update(guildId, sessionId, (s) => ({
        ...s,
        ...sessionPatch,
        reminders: s.reminders.map((r) => (r.offsetMin === offsetMin && r.forStart === reminder.forStart ? { ...r, ...patch } : r)),
      }));
    try {
      const message = await this.api.post(claimed.threadId ?? claimed.channelId, { ...payload, nonce, enforce_nonce: true });
      await record({ state: 'posted', messageId: message.id });
    } catch (error) {
      if (claimed.threadId && isGone(error)) {
        // The thread was deleted: remind in the announcement's channel instead, from now on.
        log.warn({ guildId, session: sessionId }, 'session thread is gone; reminding in the channel');
        await record({ state: 'pending' }, { threadId: null, notes: [...claimed.notes, 'The discussion thread was deleted; reminders go to this channel.'].slice(-10) });
        return this.remind(guildId, sessionId, offsetMin);
      }
      log.error({ err: error, guildId, session: sessionId, offsetMin }, 'could not post a session reminder');
      // A missing permission will not fix itself before the session: record it. Anything else is retried.
      if (isPermissionError(error) || isGone(error)) await record({ state: 'skipped', reason: 'Discord refused it (missing permission or channel)' });
    }
  }

  /** Creates a series' next occurrence when it is within a week. */
  async runSeries(guildId: string, seriesId: string): Promise<void> {
    const { repos, clock, log, registry } = this.services;
    const now = clock.now();
    const claim = await repos.sessions.mutate(guildId, (record) => {
      const series = record.series.find((s) => s.id === seriesId);
      if (!series) return null;
      const decision = decideSeries(series, now);
      if (decision.action === 'advance') series.next = decision.index;
      if (decision.action !== 'create') return null;
      // A stuck claim: if the occurrence exists after all, the crash came after it was saved.
      if (record.entries.some((e) => e.seriesId === seriesId && e.seriesIndex === decision.index)) {
        Object.assign(series, { next: decision.index + 1, claim: null });
        return null;
      }
      Object.assign(series, { next: decision.index, claim: { index: decision.index, at: now } });
      return { series: structuredClone(series) as Series, index: decision.index, startsAt: decision.startsAt };
    });
    if (!claim) return;
    const { series, index, startsAt } = claim;
    const release = (patch: Partial<Series>, consumeQueue = false) =>
      repos.sessions.mutate(guildId, (record) => {
        const s = record.series.find((x) => x.id === seriesId);
        if (!s) return;
        Object.assign(s, { claim: null }, patch);
        // Read the queue as it is now: resources added while this occurrence was being created stay queued.
        if (consumeQueue) s.queue = s.queue.slice(1);
      });
    const group = (await repos.studyGroups.list(guildId)).find((g) => g.id === series.groupId);
    const channelId = group?.channelId ?? null;
    let resourceId: string | null;
    if (series.source === 'plan') {
      const week = await currentPlanWeek(this.services, guildId, series.groupId, new Date(startsAt));
      resourceId = week?.required[0] ?? null;
    } else resourceId = queuedResource(series);
    const resource = resourceId ? registry.resourceById.get(resourceId) : undefined;
    if (!resource || !channelId) {
      const note = !channelId ? 'The study group no longer exists, so the series is stopped.' : series.source === 'plan' ? 'The group’s plan has no reading for that week.' : 'The queue is empty: add a resource to the series.';
      await release({ lastNote: note, ...(channelId ? {} : { active: false }) });
      return;
    }
    const settings = await repos.sessions.settings(guildId, series.groupId);
    const outcome = await createSession(this.services, this.api, {
      guildId,
      groupId: series.groupId,
      groupName: group!.name,
      channelId,
      resource,
      startsAt,
      durationMin: series.durationMin,
      timezone: series.timezone,
      location: series.location,
      createdBy: series.createdBy,
      reminderOffsetsMin: settings.reminderOffsetsMin,
      pingRoleId: settings.pingRole ? (group!.roleId ?? null) : null,
      seriesId,
      seriesIndex: index,
    });
    if (!outcome.ok) {
      log.warn({ guildId, series: seriesId, index }, outcome.message);
      await release({ lastNote: outcome.message.slice(0, 200) });
      return;
    }
    await release({ next: index + 1, lastNote: null }, series.source === 'queue');
    await outcome.opened;
    log.info({ guildId, series: seriesId, index, session: outcome.session.id }, 'created a series occurrence');
  }
}
