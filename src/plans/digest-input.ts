/** What the digest builder needs to compose a group's study-plan section, or null for a group without a plan. */
import type { DigestPlanInput } from '../domain/digest-plan.ts';
import type { Services } from '../services.ts';
import type { StudyGroup } from '../store/repos/study-groups.ts';
import { joinLookup, resolveGroupPlan } from './resolve.ts';

export async function digestPlanInput(services: Services, guildId: string, group: StudyGroup): Promise<DigestPlanInput | null> {
  const resolved = resolveGroupPlan(services, guildId, group, await services.repos.plans.get(guildId));
  if (!resolved) return null;
  return { timeline: resolved.timeline, joins: await joinLookup(services, guildId, resolved), everyone: group.everyone, adoptedAt: resolved.adoption.adoptedAt };
}
