/** Reading-progress entities: what a member's progress record holds. The store imports these. */
import { z } from 'zod';

export const PROGRESS_STATUSES = ['queued', 'reading', 'done', 'skipped'] as const;
export const ProgressStatus = z.enum(PROGRESS_STATUSES);
export type ProgressStatus = z.infer<typeof ProgressStatus>;

export const NOTE_MAX = 200;

export const ProgressEntry = z.object({
  status: ProgressStatus,
  note: z.string().max(NOTE_MAX).nullable(),
  startedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
export type ProgressEntry = z.infer<typeof ProgressEntry>;

export const MemberProgress = z.object({ entries: z.record(z.string(), ProgressEntry) });
export type MemberProgress = z.infer<typeof MemberProgress>;
