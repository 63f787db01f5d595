/** Study-group entities: a group, its digest schedule and its ledger of digest runs. The store imports these. */
import { z } from 'zod';

export const Schedule = z.object({
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  hour: z.number().int().min(0).max(23),
  timezone: z.string().min(1).max(64),
  /** When the schedule was set: fire times before it are never "missed". */
  since: z.number().int(),
});
export type Schedule = z.infer<typeof Schedule>;

export const DigestRun = z.object({
  /** The local calendar date of the fire time, e.g. "2026-03-09": one run per group per week. */
  period: z.string(),
  fireAt: z.number().int(),
  state: z.enum(['posting', 'posted', 'failed']),
  claimedAt: z.number().int(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number().int().nullable(),
  /** Parts confirmed posted, so a resumed run continues where it stopped. */
  partsPosted: z.number().int().nonnegative(),
  messageIds: z.array(z.string()),
  late: z.boolean(),
  lastError: z.string().max(500).nullable(),
  /** A post Discord refused for permissions: the channel, and the permission flags (decimal) missing then. */
  blocked: z.object({ channelId: z.string(), missing: z.array(z.string().regex(/^\d+$/)).max(64) }).nullable().optional(),
  postedAt: z.number().int().nullable(),
});
export type DigestRun = z.infer<typeof DigestRun>;

export const StudyGroup = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/),
  name: z.string().min(1).max(50),
  channelId: z.string(),
  roleId: z.string().nullable(),
  /** When true the group covers every member who tracks progress in the server (the default group). */
  everyone: z.boolean(),
  members: z.array(z.string()),
  createdAt: z.number().int(),
  createdBy: z.string(),
  schedule: Schedule.nullable(),
  runs: z.array(DigestRun),
});
export type StudyGroup = z.infer<typeof StudyGroup>;

export const GuildGroups = z.object({ groups: z.array(StudyGroup) });
export type GuildGroups = z.infer<typeof GuildGroups>;
