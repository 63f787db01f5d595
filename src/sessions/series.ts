/**
 * Weekly series: a reading group that meets at the same local time every week. Each occurrence is created a week
 * ahead by the scheduler (SessionJobs.runSeries), taking its resource from the group's plan or from the series'
 * queue; the wall-clock time stays the same across daylight-saving changes.
 */
import { newSessionId, type Series, type SessionLocation } from '../domain/sessions.ts';
import { localFields } from '../domain/when.ts';
import { currentPlanWeek } from '../plans/current-week.ts';
import type { Resource } from '../registry/schema.ts';
import type { Services } from '../services.ts';
import type { SessionGroup } from './inputs.ts';

type Outcome = { ok: true; series: Series; message: string } | { ok: false; message: string };

export async function startSeries(
  services: Services,
  guildId: string,
  group: SessionGroup,
  input: { firstAt: number; durationMin: number; location: SessionLocation; resource: Resource | null; createdBy: string },
): Promise<Outcome> {
  const now = services.clock.now();
  const plan = await currentPlanWeek(services, guildId, group.id, new Date(input.firstAt));
  if (!input.resource && !plan) {
    return { ok: false, message: 'Give the first `resource` for the series queue (this group follows no plan to take readings from).' };
  }
  const f = localFields(group.timezone, input.firstAt);
  const series: Series = {
    id: newSessionId(),
    groupId: group.id,
    local: { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute },
    timezone: group.timezone,
    durationMin: input.durationMin,
    location: input.location,
    source: input.resource ? 'queue' : 'plan',
    queue: input.resource ? [input.resource.id] : [],
    next: 0,
    active: true,
    createdBy: input.createdBy,
    createdAt: now,
    claim: null,
    lastNote: null,
  };
  const result = await services.repos.sessions.mutate(guildId, (record) => {
    if (record.series.some((s) => s.groupId === group.id && s.active)) return 'exists' as const;
    record.series = [...record.series.filter((s) => s.active || now - s.createdAt < 365 * 86_400_000), series].slice(-25);
    return 'created' as const;
  });
  if (result === 'exists') return { ok: false, message: `**${group.name}** already has a weekly series. Add readings to it with \`action: add\`, or stop it first.` };
  return { ok: true, series, message: '' };
}

export async function addToSeries(services: Services, guildId: string, group: SessionGroup, resource: Resource): Promise<Outcome> {
  return services.repos.sessions.mutate(guildId, (record): Outcome => {
    const series = record.series.find((s) => s.groupId === group.id && s.active);
    if (!series) return { ok: false, message: `**${group.name}** has no weekly series yet. Start one with \`action: start\`.` };
    if (series.source === 'plan') return { ok: false, message: 'This series takes its readings from the group’s plan; change the plan instead.' };
    if (series.queue.length >= 100) return { ok: false, message: 'The queue is full (100 readings).' };
    series.queue.push(resource.id);
    series.lastNote = null;
    return { ok: true, series: structuredClone(series), message: `Queued **${resource.title}** at position ${series.queue.length}.` };
  });
}

export async function stopSeries(services: Services, guildId: string, group: SessionGroup): Promise<Outcome> {
  return services.repos.sessions.mutate(guildId, (record): Outcome => {
    const series = record.series.find((s) => s.groupId === group.id && s.active);
    if (!series) return { ok: false, message: `**${group.name}** has no weekly series.` };
    series.active = false;
    return { ok: true, series: structuredClone(series), message: `Stopped the weekly series of **${group.name}**. Sessions already created stay scheduled; cancel them one by one if needed.` };
  });
}
