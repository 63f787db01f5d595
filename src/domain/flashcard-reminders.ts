/**
 * When a member's daily flashcard reminder is due, decided from their hour, time zone, the ledger's last day and
 * "now". Local hours come from Intl, so a reminder at 09:00 stays at 09:00 local time across daylight-saving
 * changes; an hour that a spring change skips is reminded at the first hour after it; an hour that an autumn change
 * repeats is reminded once, because the ledger holds one claim per local day. After downtime, a reminder missed
 * earlier in the same local day is sent late; a missed day is never sent.
 */
import { localDay, localHour } from './flashcards.ts';

/** The local day to claim for a reminder now, or null when it is not time (or that day was claimed already). */
export function reminderDayDue(hour: number, timezone: string, lastDay: string | null, now: number): string | null {
  const day = localDay(now, timezone);
  if (localHour(now, timezone) < hour) return null;
  // A clock that went backwards to an earlier day finds a later day claimed: nothing is sent twice.
  if (lastDay !== null && lastDay >= day) return null;
  return day;
}
