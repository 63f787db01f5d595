/** Which time zone a member's flashcard days are counted in: their own setting, else their study group's digest. */
import type { StudyGroup } from '../store/repos/study-groups.ts';

export type TimezoneSource = 'yours' | 'group' | 'default';

/** The digest time zone of the first scheduled group the member is in (or an "Everyone" group), if any. */
export function groupTimezone(groups: readonly StudyGroup[], userId: string): string | null {
  const mine = groups.find((g) => g.schedule && g.members.includes(userId)) ?? groups.find((g) => g.schedule && g.everyone);
  return mine?.schedule?.timezone ?? null;
}

export function resolveTimezone(personal: string | null, groups: readonly StudyGroup[], userId: string): { timezone: string; source: TimezoneSource } {
  if (personal) return { timezone: personal, source: 'yours' };
  const group = groupTimezone(groups, userId);
  return group ? { timezone: group, source: 'group' } : { timezone: 'UTC', source: 'default' };
}
