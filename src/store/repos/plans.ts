/**
 * Study plans a server uses: which plan each group follows (and from when), the custom plans the server built,
 * and when members joined a group (for the late-joiner rule). One record per guild for adoptions and custom
 * plans, so adopting, replacing and deleting are each one locked read-modify-write; join dates live in their own
 * record so joining a group never rewrites the custom plans.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Plan } from '../../registry/plans.ts';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export const MAX_CUSTOM_PLANS = 25;
const PREVIOUS_KEPT = 10;

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PlanAdoption = z.object({
  groupId: z.string().regex(/^[a-z0-9-]{1,32}$/),
  planId: z.string().min(1).max(40),
  /** Local date in the group's time zone, YYYY-MM-DD. */
  startDate: LocalDate,
  adoptedAt: z.number().int(),
  /** Who adopted it ('0' once they deleted their data). */
  adoptedBy: z.string(),
  /** Plans the group followed before, newest first; members' progress is never touched by a switch. */
  previous: z.array(z.object({ planId: z.string(), startDate: LocalDate, adoptedAt: z.number().int(), adoptedBy: z.string(), endedAt: z.number().int() })),
});
export type PlanAdoption = z.infer<typeof PlanAdoption>;

export const CustomPlan = z.object({
  plan: Plan,
  createdBy: z.string(),
  createdAt: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.number().int(),
});
export type CustomPlan = z.infer<typeof CustomPlan>;

export const GuildPlans = z.object({ adoptions: z.array(PlanAdoption), custom: z.array(CustomPlan) });
export type GuildPlans = z.infer<typeof GuildPlans>;

/** When each member joined each group: { groupId: { userId: ms } }. */
export const GroupJoins = z.object({ groups: z.record(z.string(), z.record(z.string(), z.number().int())) });
export type GroupJoins = z.infer<typeof GroupJoins>;

const EMPTY: GuildPlans = { adoptions: [], custom: [] };

export class PlansRepo {
  readonly collection: Collection<GuildPlans>;
  readonly joins: Collection<GroupJoins>;

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'plans', schema: GuildPlans, version: 1, cache });
    this.joins = new Collection(keyv, locks, { name: 'plan-joins', schema: GroupJoins, version: 1, cache });
  }

  async get(guildId: string): Promise<GuildPlans> {
    return (await this.collection.get(guildId)) ?? EMPTY;
  }

  async adoption(guildId: string, groupId: string): Promise<PlanAdoption | undefined> {
    return (await this.get(guildId)).adoptions.find((a) => a.groupId === groupId);
  }

  /** Applies a change under the guild's lock and returns what the change returns. */
  async mutate<R>(guildId: string, change: (plans: GuildPlans) => R): Promise<R> {
    let result!: R;
    await this.collection.update([guildId], (current) => {
      const plans = structuredClone(current ?? EMPTY) as GuildPlans;
      result = change(plans);
      return plans;
    });
    return result;
  }

  /** Starts (or switches, or restarts) a group's plan, keeping the one it replaces in `previous`. */
  async adopt(guildId: string, groupId: string, planId: string, startDate: string, by: string, now: number): Promise<{ replaced: PlanAdoption | undefined }> {
    return this.mutate(guildId, (plans) => {
      const replaced = plans.adoptions.find((a) => a.groupId === groupId);
      const previous = replaced
        ? [{ planId: replaced.planId, startDate: replaced.startDate, adoptedAt: replaced.adoptedAt, adoptedBy: replaced.adoptedBy, endedAt: now }, ...replaced.previous].slice(0, PREVIOUS_KEPT)
        : [];
      plans.adoptions = [...plans.adoptions.filter((a) => a.groupId !== groupId), { groupId, planId, startDate, adoptedAt: now, adoptedBy: by, previous }];
      return { replaced: replaced && structuredClone(replaced) };
    });
  }

  async stop(guildId: string, groupId: string): Promise<PlanAdoption | undefined> {
    return this.mutate(guildId, (plans) => {
      const stopped = plans.adoptions.find((a) => a.groupId === groupId);
      plans.adoptions = plans.adoptions.filter((a) => a.groupId !== groupId);
      return stopped && structuredClone(stopped);
    });
  }

  /** Records when a member joined a group (a re-join keeps the first date, so leaving and rejoining resets nothing). */
  async noteJoin(guildId: string, groupId: string, userId: string, now: number): Promise<void> {
    const current = await this.joins.get(guildId);
    if (current?.groups[groupId]?.[userId] !== undefined) return;
    await this.joins.update([guildId], (record) => {
      const groups = structuredClone(record?.groups ?? {});
      groups[groupId] = { ...groups[groupId], [userId]: groups[groupId]?.[userId] ?? now };
      return { groups };
    });
  }

  async joinsOf(guildId: string, groupId: string): Promise<Readonly<Record<string, number>>> {
    return (await this.joins.get(guildId))?.groups[groupId] ?? {};
  }

  /** /privacy delete: drops the member's join dates and anonymises what they adopted or created. */
  async forgetMember(guildId: string, userId: string): Promise<{ joinDates: number; plansAnonymised: number }> {
    let joinDates = 0;
    const joins = await this.joins.get(guildId);
    if (joins && Object.values(joins.groups).some((g) => g[userId] !== undefined)) {
      await this.joins.update([guildId], (record) => {
        const groups = structuredClone(record?.groups ?? {});
        for (const members of Object.values(groups)) {
          if (members[userId] !== undefined) {
            delete members[userId];
            joinDates++;
          }
        }
        return { groups };
      });
    }
    const current = await this.collection.get(guildId);
    const touches = (current?.custom ?? []).some((c) => c.createdBy === userId || c.updatedBy === userId) ||
      (current?.adoptions ?? []).some((a) => a.adoptedBy === userId || a.previous.some((p) => p.adoptedBy === userId));
    let plansAnonymised = 0;
    if (touches) {
      plansAnonymised = await this.mutate(guildId, (plans) => {
        let n = 0;
        for (const c of plans.custom) {
          if (c.createdBy === userId || c.updatedBy === userId) n++;
          if (c.createdBy === userId) c.createdBy = '0';
          if (c.updatedBy === userId) c.updatedBy = '0';
        }
        for (const a of plans.adoptions) {
          if (a.adoptedBy === userId) {
            a.adoptedBy = '0';
            n++;
          }
          for (const p of a.previous) if (p.adoptedBy === userId) p.adoptedBy = '0';
        }
        return n;
      });
    }
    return { joinDates, plansAnonymised };
  }

  async purgeGuild(guildId: string): Promise<void> {
    await this.collection.delete(guildId);
    await this.joins.delete(guildId);
  }
}
