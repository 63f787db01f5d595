/**
 * What study plans store about a member: the dates they joined groups (for the late-joiner rule), the plans they
 * adopted for groups, and the custom plans they created or last replaced. Custom plans are server data: deleting
 * a member's data keeps them (the server still uses them) and replaces the member's id with "a former member".
 */
import type { Repositories } from '../services.ts';

export async function exportPlanData(repos: Repositories, guildId: string, userId: string) {
  const [plans, joins] = await Promise.all([repos.plans.get(guildId), repos.plans.joins.get(guildId)]);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    groupJoinDates: Object.entries(joins?.groups ?? {})
      .filter(([, members]) => members[userId] !== undefined)
      .map(([groupId, members]) => ({ groupId, joinedAt: iso(members[userId]!) })),
    plansAdoptedForGroups: plans.adoptions.flatMap((a) => [
      ...(a.adoptedBy === userId ? [{ groupId: a.groupId, planId: a.planId, startDate: a.startDate, adoptedAt: iso(a.adoptedAt), current: true }] : []),
      ...a.previous.filter((p) => p.adoptedBy === userId).map((p) => ({ groupId: a.groupId, planId: p.planId, startDate: p.startDate, adoptedAt: iso(p.adoptedAt), current: false })),
    ]),
    customPlans: plans.custom
      .filter((c) => c.createdBy === userId || c.updatedBy === userId)
      .map((c) => ({ planId: c.plan.id, title: c.plan.title, createdByYou: c.createdBy === userId, lastReplacedByYou: c.updatedBy === userId, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) })),
  };
}

export async function deletePlanData(repos: Repositories, guildId: string, userId: string) {
  return repos.plans.forgetMember(guildId, userId);
}
