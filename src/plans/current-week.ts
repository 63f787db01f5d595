/**
 * The contract other features (sessions, #15) use to ask what a group is reading: the plan week at an instant.
 * Returns null when the group has no plan, its plan has not started yet, or it has finished.
 */
import type { Services } from '../services.ts';
import { resolveGroupPlan } from './resolve.ts';

export interface CurrentPlanWeek {
  planId: string;
  planTitle: string;
  weekIndex: number /* 0-based */;
  weekCount: number;
  title: string;
  required: string[];
  extras: string[];
  startsAt: Date;
  endsAt: Date;
}

/** The plan week a group is in at `at` (any instant, past or future). */
export async function planWeekAt(services: Services, guildId: string, groupId: string, at: Date): Promise<CurrentPlanWeek | null> {
  const [groups, plans] = await Promise.all([services.repos.studyGroups.list(guildId), services.repos.plans.get(guildId)]);
  const group = groups.find((g) => g.id === groupId);
  if (!group) return null;
  const resolved = resolveGroupPlan(services, guildId, group, plans);
  if (!resolved) return null;
  const { plan, timeline } = resolved;
  const index = timeline.weekAt(at.getTime());
  const week = plan.weeks[index];
  if (!week) return null;
  return {
    planId: plan.id,
    planTitle: plan.title,
    weekIndex: index,
    weekCount: plan.weeks.length,
    title: week.title,
    required: [...week.required],
    extras: [...week.extras],
    startsAt: new Date(timeline.weekStart(index)),
    endsAt: new Date(timeline.weekStart(index + 1)),
  };
}

export async function currentPlanWeek(services: Services, guildId: string, groupId: string, now: Date): Promise<CurrentPlanWeek | null> {
  return planWeekAt(services, guildId, groupId, now);
}
