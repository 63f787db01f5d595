/**
 * Study plans: the data contract (data/plans.json and the custom plans a server uploads share it) and the checks
 * that need the rest of the registry: every id exists, no resource is listed twice, and no week requires a
 * resource whose prerequisites only come in a later week. Every message names the week and the id, so an admin
 * fixing an upload knows exactly where to look.
 */
import { z } from 'zod';
import { Slug } from './schema.ts';

export const PLAN_WEEKS_MAX = 52;

/** A problem reference: the set and the string id ("1.10" is not "1.1"). */
export const PlanProblem = z.object({ set: Slug, id: z.string().min(1).max(20) }).strict();

export const PlanWeek = z
  .object({
    title: z.string().trim().min(2).max(100),
    /** One or two sentences in our own words: what the week is for. */
    description: z.string().trim().min(10).max(400).optional(),
    /** Resource ids everyone is expected to finish this week (done, or knowingly skipped). */
    required: z.array(Slug).min(1).max(10),
    /** Resource ids for those with time left over; never counted against anyone. */
    extras: z.array(Slug).max(10).default([]),
    problems: z.array(PlanProblem).max(10).default([]),
    terms: z.array(Slug).max(15).default([]),
  })
  .strict();
export type PlanWeek = z.infer<typeof PlanWeek>;

export const Plan = z
  .object({
    id: Slug.max(40),
    title: z.string().trim().min(2).max(100),
    /** A short description in our own words. */
    description: z.string().trim().min(20).max(600),
    weeks: z.array(PlanWeek).min(1).max(PLAN_WEEKS_MAX),
  })
  .strict();
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;

export const PlansFile = z.object({ $schema: z.string().optional(), plans: z.array(Plan).min(1) }).strict();

/** What the cross-reference checks need from the registry (a subset, so they run before it is fully built). */
export interface PlanLookups {
  resourceById: ReadonlyMap<string, { prerequisites: readonly string[] }>;
  termById: ReadonlyMap<string, unknown>;
  problemByKey: ReadonlyMap<string, unknown>;
}

/** Cross-reference problems with one plan, each naming the week (1-based) and the id. Empty when it is fine. */
export function planReferenceProblems(plan: Plan, lookups: PlanLookups): string[] {
  const problems: string[] = [];
  /** The first week (0-based) each resource appears in, required or extra. */
  const firstWeek = new Map<string, number>();
  plan.weeks.forEach((week, w) => {
    for (const [field, ids] of [['required', week.required], ['extras', week.extras]] as const) {
      ids.forEach((id) => {
        if (!lookups.resourceById.has(id)) problems.push(`week ${w + 1} ${field}: unknown resource id "${id}"`);
        const seen = firstWeek.get(id);
        if (seen !== undefined) problems.push(`week ${w + 1} ${field}: resource "${id}" is already listed in week ${seen + 1}`);
        else firstWeek.set(id, w);
      });
    }
    week.terms.forEach((id) => {
      if (!lookups.termById.has(id)) problems.push(`week ${w + 1} terms: unknown glossary id "${id}"`);
    });
    week.problems.forEach((p) => {
      if (!lookups.problemByKey.has(`${p.set}:${p.id}`)) problems.push(`week ${w + 1} problems: unknown problem "${p.id}" in set "${p.set}"`);
    });
  });
  plan.weeks.forEach((week, w) => {
    for (const id of week.required) {
      for (const prerequisite of lookups.resourceById.get(id)?.prerequisites ?? []) {
        const at = firstWeek.get(prerequisite);
        if (at !== undefined && at > w) {
          problems.push(`week ${w + 1} required: "${id}" needs "${prerequisite}", which only comes in week ${at + 1}`);
        }
      }
    }
  });
  return problems;
}

/** Zod issues of a plan-shaped value as "week N field: message" lines. */
export function planShapeProblems(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    const [first, index, ...rest] = issue.path;
    if (first === 'weeks' && typeof index === 'number') {
      const field = rest.map(String).join('.');
      return `week ${index + 1}${field ? ` ${field}` : ''}: ${issue.message}`;
    }
    return `${issue.path.map(String).join('.') || '(plan)'}: ${issue.message}`;
  });
}
