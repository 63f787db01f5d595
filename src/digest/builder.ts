/**
 * Builds a group's digest for a window: loads the records, composes, renders the parts and the chart. The
 * scheduler posts what this builds and /digest preview shows it, so the two can never differ.
 */
import { composeDigest, isQuietWeek, type Digest } from '../domain/digest-compose.ts';
import { renderDigest, type DigestPart } from '../render/digest.ts';
import { renderDigestChart } from '../render/digest-chart.ts';
import type { Services } from '../services.ts';
import type { MemberProgress } from '../store/repos/progress.ts';
import type { StudyGroup } from '../store/repos/study-groups.ts';
import { digestPlanInput } from '../plans/digest-input.ts';
import { sessionsDigestEmbed } from '../sessions/digest-section.ts';
import { embedChars } from '../render/text.ts';
import { loadFlashcardWeek } from '../flashcards/digest-section.ts';

const BATCH = 500;

export interface BuiltDigest {
  digest: Digest;
  parts: DigestPart[];
  chart: Buffer | null;
}

export async function groupMemberIds(services: Services, guildId: string, group: StudyGroup): Promise<readonly string[]> {
  return group.everyone ? (await services.repos.progress.guildIndex(guildId)).members : group.members;
}

async function loadProgress(services: Services, guildId: string, memberIds: readonly string[]): Promise<Map<string, MemberProgress>> {
  const progress = new Map<string, MemberProgress>();
  for (let i = 0; i < memberIds.length; i += BATCH) {
    const batch = memberIds.slice(i, i + BATCH);
    const records = await services.repos.progress.members.getMany(batch.map((id) => [guildId, id]));
    records.forEach((record, j) => record && progress.set(batch[j]!, record));
  }
  return progress;
}

export async function buildDigest(
  services: Services,
  guildId: string,
  group: StudyGroup,
  window: { start: number; end: number; late: boolean; period: string; timezone: string },
): Promise<BuiltDigest> {
  const memberIds = await groupMemberIds(services, guildId, group);
  // The digest compares with the week before, so it needs events from two windows back.
  const since = window.start - (window.end - window.start);
  const [progress, recent, plan] = await Promise.all([
    loadProgress(services, guildId, memberIds),
    // The open claims, and the closed claims and events of the two windows: the log's newest chunks only.
    services.repos.claims.since(guildId, since),
    digestPlanInput(services, guildId, group),
  ]);
  const digest = composeDigest({
    registry: services.registry,
    groupName: group.name,
    memberIds,
    progress,
    claims: recent.claims,
    history: recent.history,
    windowStart: window.start,
    windowEnd: window.end,
    late: window.late,
    ...(plan ? { plan } : {}),
    // A group's first digest has no week before to compare with.
    compareWithPrevious: group.runs.some((r) => r.state === 'posted' && r.period !== window.period),
  });
  digest.flashcards = await loadFlashcardWeek(services, guildId, group, memberIds, window.start, window.end);
  const parts = renderDigest(digest, window.period);
  // Reading sessions held and coming up: slotted in before the footer embed of the last part, if it fits.
  const sessions = await sessionsDigestEmbed(services, guildId, group.id, window.start, window.end);
  const last = parts.at(-1);
  if (sessions && last && last.embeds.length < 10 && last.embeds.reduce((n, e) => n + embedChars(e), 0) + embedChars(sessions) <= 6000) {
    last.embeds.splice(last.embeds.length - 1, 0, sessions);
  }
  const chart = isQuietWeek(digest) ? null : await renderDigestChart(digest, window.timezone);
  return { digest, parts, chart };
}
