/** How reading statuses look wherever they are shown. */
import type { ProgressStatus } from '../store/repos/progress.ts';

export const STATUS_EMOJI: Record<ProgressStatus, string> = { queued: '🕒', reading: '📖', done: '✅', skipped: '⏭️' };
export const STATUS_LABEL: Record<ProgressStatus, string> = { queued: 'Want to read', reading: 'Reading', done: 'Done', skipped: 'Skipped' };
export const NOT_STARTED = '▫️';

export const statusBadge = (status: ProgressStatus | undefined) => (status ? STATUS_EMOJI[status] : NOT_STARTED);

export function progressBar(done: number, total: number, width = 10): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}

export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return 'open-ended';
  if (minutes < 60) return `~${minutes} min`;
  const hours = minutes / 60;
  return `~${hours < 10 ? Math.round(hours * 2) / 2 : Math.round(hours)} h`;
}
