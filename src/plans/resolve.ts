/**
 * Finding a group's plan: the adoption record, the plan it names (built in, or one of the server's custom plans)
 * and the group's calendar (time zone and week-start day from its digest schedule, else UTC and Monday).
 */
import type { Plan } from '../registry/plans.ts';
import type { Services } from '../services.ts';
import type { GuildPlans, PlanAdoption } from '../store/repos/plans.ts';
import { groupIdFor, type StudyGroup } from '../store/repos/study-groups.ts';
import { firstActivityAfter, lateJoinDate, PlanTimeline, type PlanCalendar } from '../domain/plans.ts';
import type { MemberProgress } from '../store/repos/progress.ts';

export interface GroupPlan {
  group: StudyGroup;
  adoption: PlanAdoption;
  plan: Plan;
  custom: boolean;
  timeline: PlanTimeline;
}

/** A group by id or name, forgiving case and spacing (the same rule as /studygroup). */
export function groupNamed(groups: readonly StudyGroup[], value: string): StudyGroup | undefined {
  const id = groupIdFor(value);
  return groups.find((g) => g.id === value || g.id === id);
}

/** Autocomplete choices for a plan option: built-in plans, then the server's own. */
export async function planChoices(services: Services, guildId: string | null, query: string) {
  const custom = guildId ? (await services.repos.plans.get(guildId)).custom.map((c) => c.plan) : [];
  const q = query.trim().toLowerCase();
  return [...services.registry.plans, ...custom]
    .filter((p) => !q || p.id.includes(q) || p.title.toLowerCase().includes(q))
    .slice(0, 25)
    .map((p) => ({ name: p.title.slice(0, 100), value: p.id }));
}

/** The plan with this id: a server's custom plan, or a built-in one. */
export function findPlan(services: Services, plans: GuildPlans, planId: string): { plan: Plan; custom: boolean } | undefined {
  const custom = plans.custom.find((c) => c.plan.id === planId);
  if (custom) return { plan: custom.plan, custom: true };
  const builtIn = services.registry.planById.get(planId);
  return builtIn ? { plan: builtIn, custom: false } : undefined;
}

export function groupCalendar(group: StudyGroup, startDate: string): PlanCalendar {
  return { timezone: group.schedule?.timezone ?? 'UTC', weekStartDay: group.schedule?.weekday ?? 1, startDate };
}

/** Timelines are pure functions of plan and calendar; building one costs a few time-zone conversions. */
const timelines = new Map<string, { plan: Plan; timeline: PlanTimeline }>();
function timelineFor(guildId: string, plan: Plan, calendar: PlanCalendar): PlanTimeline {
  const key = `${guildId}:${plan.id}:${calendar.timezone}:${calendar.weekStartDay}:${calendar.startDate}`;
  const hit = timelines.get(key);
  if (hit && hit.plan === plan) return hit.timeline;
  const timeline = new PlanTimeline(plan, calendar);
  if (timelines.size > 1_000) timelines.clear();
  timelines.set(key, { plan, timeline });
  return timeline;
}

export function resolveGroupPlan(services: Services, guildId: string, group: StudyGroup, plans: GuildPlans): GroupPlan | null {
  const adoption = plans.adoptions.find((a) => a.groupId === group.id);
  if (!adoption) return null;
  const found = findPlan(services, plans, adoption.planId);
  if (!found) return null;
  return { group, adoption, plan: found.plan, custom: found.custom, timeline: timelineFor(guildId, found.plan, groupCalendar(group, adoption.startDate)) };
}

/** Every group of the guild that follows a plan, in the guild's group order. */
export async function guildGroupPlans(services: Services, guildId: string): Promise<GroupPlan[]> {
  const [groups, plans] = await Promise.all([services.repos.studyGroups.list(guildId), services.repos.plans.get(guildId)]);
  if (plans.adoptions.length === 0) return [];
  return groups.map((g) => resolveGroupPlan(services, guildId, g, plans)).filter((p): p is GroupPlan => p !== null);
}

/** The plans a member follows: groups they belong to (or that cover everyone) with a plan. */
export async function memberGroupPlans(services: Services, guildId: string, userId: string): Promise<GroupPlan[]> {
  return (await guildGroupPlans(services, guildId)).filter((p) => p.group.everyone || p.group.members.includes(userId));
}

/** When the member joined the group, for the late-joiner rule; everyone-groups use the first tracked activity. */
export function joinLookup(services: Services, guildId: string, groupPlan: GroupPlan): Promise<Readonly<Record<string, number>>> {
  return groupPlan.group.everyone ? Promise.resolve({}) : services.repos.plans.joinsOf(guildId, groupPlan.group.id);
}

/** The join date that counts for the late-joiner rule (domain/plans.ts), or null to measure from the plan start. */
export function joinDateFor(groupPlan: GroupPlan, joins: Readonly<Record<string, number>>, userId: string, progress: MemberProgress | undefined): number | null {
  return groupPlan.group.everyone ? firstActivityAfter(progress, groupPlan.adoption.adoptedAt) : lateJoinDate(joins[userId], groupPlan.adoption.adoptedAt);
}
