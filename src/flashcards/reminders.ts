/**
 * The daily flashcard reminder, run for each owned guild on every scheduler pass (about once a minute). For each
 * member who asked for reminders and whose local hour has come, the local day is claimed in the member's record
 * (the ledger) before anything is sent, so a restart, a second replica or an autumn clock change never sends a
 * second DM that day. Days with nothing due are claimed without a DM. A member whose DMs are closed (Discord error
 * 50007) has reminders turned off, with a note that /glossary stats shows.
 */
import { reminderDayDue } from '../domain/flashcard-reminders.ts';
import { flashcardStats } from '../domain/flashcards.ts';
import { renderReminder } from '../render/flashcards.ts';
import type { Services } from '../services.ts';
import { DMS_CLOSED, discordErrorCode, type DirectMessenger } from './direct-messages.ts';
import { resolveTimezone } from './timezone.ts';

export interface ReminderJobOptions {
  services: Services;
  messenger: DirectMessenger;
  /** A guild's name for the DM, when the process knows it. */
  guildName?: (guildId: string) => string | null;
}

/** Returns the per-guild job the digest scheduler runs on each pass. */
export function flashcardReminders(options: ReminderJobOptions): (guildId: string) => Promise<void> {
  // Days already handled in this process, so a member is read at most once per local day (the store decides).
  const handled = new Map<string, string>();
  return async (guildId) => {
    const { services } = options;
    const entries = await services.repos.flashcards.reminderEntries(guildId);
    const userIds = Object.keys(entries);
    if (userIds.length === 0) return;
    const groups = await services.repos.studyGroups.list(guildId);
    const now = services.clock.now();
    for (const userId of userIds) {
      const entry = entries[userId]!;
      const { timezone } = resolveTimezone(entry.timezone, groups, userId);
      const key = `${guildId}:${userId}`;
      const day = reminderDayDue(entry.hour, timezone, handled.get(key) ?? null, now);
      if (day === null) continue;
      try {
        await remindMember(options, guildId, userId, timezone, now);
        handled.set(key, day);
        if (handled.size > 50_000) handled.clear();
      } catch (error) {
        services.log.error({ err: error, guildId, userId }, 'flashcard reminder failed');
      }
    }
  };
}

async function remindMember(options: ReminderJobOptions, guildId: string, userId: string, timezone: string, now: number): Promise<void> {
  const { services } = options;
  // Claim first: the ledger day is written before the DM goes out (at most once per local day, never twice).
  const due = await services.repos.flashcards.update(guildId, userId, (current) => {
    if (!current.reminder.on) return { state: null, result: null };
    const day = reminderDayDue(current.reminder.hour, timezone, current.reminder.lastDay, now);
    if (day === null) return { state: null, result: null };
    const dueNow = flashcardStats(services.registry, current, now, timezone).dueNow;
    return { state: { ...current, reminder: { ...current.reminder, lastDay: day } }, result: dueNow };
  });
  if (!due) return;
  try {
    await options.messenger.send(userId, renderReminder(due, guildId, options.guildName?.(guildId) ?? null, userId));
    services.log.info({ guildId, due }, 'flashcard reminder sent');
  } catch (error) {
    if (discordErrorCode(error) !== DMS_CLOSED) throw error;
    await services.repos.flashcards.update(guildId, userId, (current) => ({
      state: { ...current, reminder: { ...current.reminder, on: false, offReason: 'dms-closed', offAt: now } },
      result: null,
    }));
    await services.repos.flashcards.setReminder(guildId, userId, null);
    services.log.info({ guildId }, 'flashcard reminders turned off: the member does not accept DMs');
  }
}
