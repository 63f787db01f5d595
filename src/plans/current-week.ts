/**
 * STUB: the plans branch replaces this file. Reading sessions ask it for a group's current plan week, to offer the
 * week's resources first in autocomplete and to drive plan-based weekly series. Until plans exist it returns null,
 * and sessions fall back to the registry and to a series' own queue.
 */
import type { Services } from '../services.ts';

export interface CurrentPlanWeek {
  planId: string;
  planTitle: string;
  weekIndex: number;
  weekCount: number;
  title: string;
  required: string[];
  extras: string[];
  startsAt: Date;
  endsAt: Date;
}

export async function currentPlanWeek(services: Services, guildId: string, groupId: string, now: Date): Promise<CurrentPlanWeek | null> {
  void services;
  void guildId;
  void groupId;
  void now;
  return null;
}
