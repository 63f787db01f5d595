import { digestChartInput } from '../../src/render/digest-chart.ts';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { buildRegistry, readRawRegistry, RegistryError } from '../../src/registry/load.ts';
import { checkStartDate, civilDay, lateJoinDate, memberStanding, PlanTimeline } from '../../src/domain/plans.ts';
import { planFirst } from '../../src/domain/plan-first.ts';
import { composeDigest } from '../../src/domain/digest-compose.ts';
import { renderDigest } from '../../src/render/digest.ts';
import type { MemberProgress } from '../../src/store/repos/progress.ts';

const registry = loadRegistry(DATA_DIR);
const arena = registry.planById.get('arena-ch1')!;
const at = (iso: string) => new Date(iso).getTime();
const done = (...ids: string[]): MemberProgress => ({ entries: Object.fromEntries(ids.map((id) => [id, { status: 'done', note: null, startedAt: 1, completedAt: 1, updatedAt: 1 }])) });

describe('plan calendar', () => {
  it('starts week 1 on the week-start day on or before the start date, at local midnight', () => {
    // Thursday 2026-03-05, weeks on Mondays in New York (UTC-5 in early March).
    const t = new PlanTimeline(arena, { timezone: 'America/New_York', weekStartDay: 1, startDate: '2026-03-05' });
    expect(new Date(t.weekStart(0)).toISOString()).toBe('2026-03-02T05:00:00.000Z');
    // Clocks go forward on 2026-03-08: the next Monday midnight is 04:00 UTC.
    expect(new Date(t.weekStart(1)).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(t.weekAt(at('2026-03-09T03:59:59Z'))).toBe(0);
    expect(t.weekAt(at('2026-03-09T04:00:00Z'))).toBe(1);
    expect(t.weekAt(at('2026-03-01T12:00:00Z'))).toBe(-1);
    expect(t.weekAt(t.weekStart(7) + 1)).toBe(7);
  });

  it('accepts real dates within a year only', () => {
    const today = civilDay('2026-03-02')!;
    expect(checkStartDate('2026-02-29', today)).toMatchObject({ ok: false });
    expect(checkStartDate('2027-03-04', today)).toMatchObject({ ok: false });
    expect(checkStartDate('2025-02-27', today)).toMatchObject({ ok: false });
    expect(checkStartDate('2026-12-31', today)).toMatchObject({ ok: true });
  });
});

describe('member standing', () => {
  const t = new PlanTimeline(arena, { timezone: 'UTC', weekStartDay: 1, startDate: '2026-03-02' });
  const week3 = at('2026-03-18T12:00:00Z');
  it('counts the required items of ended weeks; skipped counts as cleared', () => {
    expect(memberStanding(t, done('arena-1-1-transformer-from-scratch', 'arena-1-2-intro-mech-interp'), week3, () => null)).toMatchObject({ kind: 'on-track', behind: 0, expectedWeeks: 2 });
    expect(memberStanding(t, done('arena-1-1-transformer-from-scratch'), week3, () => null)).toMatchObject({ kind: 'behind', behind: 1, next: 'arena-1-2-intro-mech-interp' });
    const skipped: MemberProgress = { entries: { ...done('arena-1-1-transformer-from-scratch').entries, 'arena-1-2-intro-mech-interp': { status: 'skipped', note: null, startedAt: null, completedAt: null, updatedAt: 1 } } };
    expect(memberStanding(t, skipped, week3, () => null).kind).toBe('on-track');
    expect(memberStanding(t, done('arena-1-1-transformer-from-scratch', 'arena-1-2-intro-mech-interp', 'arena-1-4-1-ioi'), week3, () => null).kind).toBe('ahead');
    const all = arena.weeks.flatMap((w) => w.required);
    expect(memberStanding(t, done(...all), week3, () => null).kind).toBe('complete');
  });

  it('measures a late joiner from the first full week after joining, at the plan’s pace from week 1', () => {
    const joined = at('2026-03-11T12:00:00Z'); // during week 2
    expect(memberStanding(t, undefined, week3, () => joined)).toMatchObject({ kind: 'on-track', expectedWeeks: 0, lateJoiner: true });
    expect(memberStanding(t, undefined, at('2026-03-25T12:00:00Z'), () => joined)).toMatchObject({ kind: 'behind', behind: 1, expectedWeeks: 1 });
    expect(memberStanding(t, undefined, week3, () => null)).toMatchObject({ behind: 2, lateJoiner: false });
    // Joining before the plan was adopted is not joining late.
    expect(lateJoinDate(joined, joined + 1)).toBeNull();
    expect(lateJoinDate(joined, joined - 1)).toBe(joined);
  });
});

describe('plan data checks', () => {
  const fresh = () => structuredClone(readRawRegistry(DATA_DIR)) as any;
  const problems = (raw: any) => {
    try {
      buildRegistry(raw);
      return [];
    } catch (error) {
      return (error as RegistryError).problems;
    }
  };
  it('names the plan, the week and the id', () => {
    const raw = fresh();
    raw.plans.plans[0].weeks[2].required.push('no-such-resource');
    raw.plans.plans[0].weeks[0].required = ['arena-1-2-intro-mech-interp'];
    raw.plans.plans[0].weeks[1].required = ['arena-1-1-transformer-from-scratch'];
    expect(problems(raw)).toEqual([
      'plans.json: entry "arena-ch1" week 3 required: unknown resource id "no-such-resource"',
      'plans.json: entry "arena-ch1" week 1 required: "arena-1-2-intro-mech-interp" needs "arena-1-1-transformer-from-scratch", which only comes in week 2',
    ]);
  });
  it('ships at least four plans, every one valid', () => {
    expect(registry.plans.length).toBeGreaterThanOrEqual(4);
    expect(problems(fresh())).toEqual([]);
  });
});

describe('plan first and the digest without a plan', () => {
  it('puts plan items first without duplicates, keeping the length', () => {
    const r = (id: string) => ({ id });
    expect(planFirst([r('a'), r('b'), r('c')], [r('c'), r('x')]).map((x) => x.id)).toEqual(['c', 'x', 'a']);
    expect(planFirst([r('a')], []).map((x) => x.id)).toEqual(['a']);
  });
  it('composes no plan section for a group without a plan, so the rendered digest is unchanged', () => {
    const input = { registry, groupName: 'G', memberIds: ['1'], progress: new Map([['1', done('zoom-in')]]), claims: [], history: [], windowStart: 0, windowEnd: 7 * 86_400_000, late: false };
    (input.progress.get('1')!.entries['zoom-in'] as any).completedAt = 1000;
    const digest = composeDigest(input);
    expect('plan' in digest).toBe(false);
    const withPlan = composeDigest({ ...input, plan: { timeline: new PlanTimeline(arena, { timezone: 'UTC', weekStartDay: 4, startDate: '1970-01-01' }), joins: {}, everyone: false, adoptedAt: 0 } });
    const plain = renderDigest(digest, 'p');
    const planned = renderDigest(withPlan, 'p');
    expect(planned[0]!.embeds[1]!.title).toBe('Week 1 of 7: Transformers from scratch');
    expect(JSON.stringify(planned[0]!.embeds.filter((_, i) => i !== 1))).toBe(JSON.stringify(plain[0]!.embeds));
    // The chart draws the plan's expected pace as a line over the bars; without a plan there is no such series.
    expect(digestChartInput(withPlan, 'UTC').extra?.map((s) => s.label)).toEqual(['Plan pace (expected)']);
    expect(digestChartInput(digest, 'UTC').extra).toBeUndefined();
  });
});

describe('the digest tally and memberStanding agree', () => {
  it('classifies every member the same way, late joiners included', async () => {
    const { composeDigestPlan } = await import('../../src/domain/digest-plan.ts');
    const timeline = new PlanTimeline(arena, { timezone: 'Europe/London', weekStartDay: 1, startDate: '2026-02-02' });
    const ids = arena.weeks.flatMap((w) => [...w.required, ...w.extras]);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const adoptedAt = at('2026-02-01T00:00:00Z');
    const end = at('2026-03-16T09:00:00Z');
    const memberIds = Array.from({ length: 300 }, (_, i) => String(500 + i));
    const progress = new Map<string, MemberProgress>();
    const joins: Record<string, number> = {};
    for (const id of memberIds) {
      const entries: MemberProgress['entries'] = {};
      for (const r of ids) if (random() < 0.4) entries[r] = { status: (['done', 'skipped', 'reading', 'queued'] as const)[Math.floor(random() * 4)]!, note: null, startedAt: null, completedAt: null, updatedAt: adoptedAt + Math.floor((random() - 0.3) * 40 * 86_400_000) };
      if (random() < 0.9) progress.set(id, { entries });
      if (random() < 0.3) joins[id] = adoptedAt + Math.floor(random() * 40 * 86_400_000);
    }
    for (const everyone of [false, true]) {
      const section = composeDigestPlan({ timeline, joins, everyone, adoptedAt }, registry, memberIds, progress, end - 7 * 86_400_000, end);
      const standings = memberIds.map((id) => {
        const p = progress.get(id);
        const joined = everyone ? p && Object.values(p.entries).reduce((m, e) => Math.min(m, e.updatedAt), Infinity) : joins[id];
        return memberStanding(timeline, p, end, () => lateJoinDate(joined === Infinity ? null : joined, adoptedAt));
      });
      expect(section.behindCount).toBe(standings.filter((s) => s.kind === 'behind').length);
      expect(section.onTrackCount).toBe(standings.filter((s) => s.kind !== 'behind').length);
      expect(section.behind[0]!.behind).toBe(Math.max(...standings.map((s) => s.behind)));
      // composeDigest feeds the same tally from its own pass (finding each member's first activity there): same section.
      const digest = composeDigest({ registry, groupName: 'G', memberIds, progress, claims: [], history: [], windowStart: end - 7 * 86_400_000, windowEnd: end, late: false, plan: { timeline, joins, everyone, adoptedAt } });
      expect(digest.plan).toEqual(section);
    }
  });
});
