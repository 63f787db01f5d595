/**
 * Everything stored about one member in one server: exported on request, and deleted on request. Kept in one
 * place so export and delete can never disagree about what "everything" means.
 */
import type { Repositories } from '../services.ts';
import { deletePlanData, exportPlanData } from './plans-data.ts';
import { exportFlashcards } from './flashcards.ts';

export const EXPORT_FORMAT_VERSION = 1;

export async function exportMemberData(repos: Repositories, guildId: string, userId: string, now: number) {
  const [progress, claims, groups, studyPlans, sessions, flashcards, suggestions] = await Promise.all([
    repos.progress.get(guildId, userId),
    repos.claims.guild(guildId),
    repos.studyGroups.list(guildId),
    exportPlanData(repos, guildId, userId),
    repos.sessions.forMember(guildId, userId),
    repos.flashcards.get(guildId, userId),
    repos.suggestions.forMember(guildId, userId),
  ]);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    format: 'induction-member-export',
    version: EXPORT_FORMAT_VERSION,
    exportedAt: new Date(now).toISOString(),
    guildId,
    userId,
    progress: Object.entries(progress.entries).map(([resourceId, e]) => ({
      resourceId,
      status: e.status,
      note: e.note,
      startedAt: iso(e.startedAt),
      completedAt: iso(e.completedAt),
      updatedAt: iso(e.updatedAt),
    })),
    claims: claims.claims
      .filter((c) => c.userId === userId)
      .map((c) => ({ ...c, claimedAt: iso(c.claimedAt), lastCheckinAt: iso(c.lastCheckinAt), staleAt: iso(c.staleAt), closedAt: iso(c.closedAt) })),
    claimHistory: claims.history.filter((e) => e.userId === userId || e.by === userId).map((e) => ({ ...e, at: iso(e.at) })),
    studyGroups: groups
      .filter((g) => g.members.includes(userId) || g.createdBy === userId)
      .map((g) => ({ id: g.id, name: g.name, member: g.members.includes(userId), createdByYou: g.createdBy === userId })),
    studyPlans,
    /** Reading sessions you scheduled or answered (I'll read it, Can't make it, I read it). */
    sessions,
    flashcards: exportFlashcards(flashcards),
    /** Terms and resources you suggested that still wait for a curator. Approved ones are server entries (see README). */
    suggestions: {
      pending: suggestions.pending.map((q) => ({ id: q.id, suggestedAt: iso(q.createdAt), ...(q.term ? { term: q.term } : {}), ...(q.resource ? { resource: q.resource } : {}) })),
      recentSuggestionTimes: suggestions.recentSuggestionTimes.map((t) => iso(t)),
      undeliveredOutcomes: suggestions.undeliveredOutcomes,
    },
  };
}

export interface DeletionSummary {
  progressEntries: number;
  claimsReleased: number;
  claimsAnonymised: number;
  historyEventsAnonymised: number;
  groupsLeft: string[];
  /** Study plans: join dates removed, and adoptions or custom plans now credited to "a former member". */
  planJoinDates?: number;
  plansAnonymised?: number;
  sessionsTouched: number;
  flashcards: number;
  /** Pending suggestions withdrawn. */
  suggestions?: number;
}

export async function deleteMemberData(repos: Repositories, guildId: string, userId: string, now: number): Promise<DeletionSummary> {
  const progressEntries = await repos.progress.forgetMember(guildId, userId);
  const claims = await repos.claims.forgetMember(guildId, userId, now);
  const groupsLeft = await repos.studyGroups.forgetMember(guildId, userId);
  const plans = await deletePlanData(repos, guildId, userId);
  const sessionsTouched = await repos.sessions.forgetMember(guildId, userId);
  const flashcards = await repos.flashcards.forgetMember(guildId, userId);
  const suggestions = await repos.suggestions.forgetMember(guildId, userId);
  await repos.erasure.compact();
  return { flashcards, suggestions, progressEntries, claimsReleased: claims.released, claimsAnonymised: claims.claims, historyEventsAnonymised: claims.events, groupsLeft, planJoinDates: plans.joinDates, plansAnonymised: plans.plansAnonymised, sessionsTouched };
}

/** Removes everything a guild stored (after the bot left it and the grace period ran out). */
export async function purgeGuildData(repos: Repositories, guildId: string): Promise<void> {
  await repos.progress.purgeGuild(guildId);
  await repos.flashcards.purgeGuild(guildId);
  await repos.claims.purge(guildId);
  await repos.studyGroups.collection.delete(guildId);
  await repos.sessions.purgeGuild(guildId);
  await repos.guildSettings.collection.delete(guildId);
  await repos.plans.purgeGuild(guildId);
  await repos.jobHealth.purge(guildId);
  await repos.overlays.purgeGuild(guildId);
  await repos.suggestions.collection.delete(guildId);
  await repos.departedGuilds.forget(guildId);
  await repos.erasure.compact();
}
