/** A member's study plans, for /progress next (what to read first) and /progress show (where they stand). */
import { memberStanding, planFocus } from '../domain/plans.ts';
import type { Resource } from '../registry/schema.ts';
import type { PlanProgressLine } from '../render/plans.ts';
import type { Services } from '../services.ts';
import type { MemberProgress } from '../store/repos/progress.ts';
import { joinDateFor, joinLookup, memberGroupPlans } from './resolve.ts';

async function standings(services: Services, guildId: string, userId: string, progress: MemberProgress) {
  const now = services.clock.now();
  const plans = await memberGroupPlans(services, guildId, userId);
  return Promise.all(
    plans.map(async (groupPlan) => {
      const joins = await joinLookup(services, guildId, groupPlan);
      const standing = memberStanding(groupPlan.timeline, progress, now, () => joinDateFor(groupPlan, joins, userId, progress));
      return { groupPlan, standing, now };
    }),
  );
}

/** The unfinished plan items the member should read first (from their first plan), as resources. */
export async function planFocusResources(services: Services, guildId: string, userId: string, progress: MemberProgress, max = 3): Promise<Resource[]> {
  const [first] = await standings(services, guildId, userId, progress);
  if (!first) return [];
  return planFocus(first.groupPlan.timeline, progress, first.now, first.standing, max)
    .map((id) => services.registry.resourceById.get(id))
    .filter((r): r is Resource => r !== undefined);
}

export async function planProgressLines(services: Services, guildId: string, userId: string, progress: MemberProgress): Promise<PlanProgressLine[]> {
  return (await standings(services, guildId, userId, progress)).map(({ groupPlan, standing, now }) => ({
    groupName: groupPlan.group.name,
    planTitle: groupPlan.plan.title,
    weekIndex: groupPlan.timeline.weekAt(now),
    weekCount: groupPlan.plan.weeks.length,
    standing,
  }));
}
