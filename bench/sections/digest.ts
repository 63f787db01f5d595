/**
 * Section 4: weekly digest composition (composeDigest) and composition + rendering (renderDigest) for 1k, 10k and
 * 20k members with 50 events each.
 */
import { performance } from 'node:perf_hooks';
import { composeDigest, type DigestClaim, type DigestClaimEvent, type DigestInput } from '../../src/domain/digest-compose.ts';
import { renderDigest } from '../../src/render/digest.ts';
import { loadRegistry, type Registry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import type { MemberProgress, ProgressEntry } from '../../src/store/repos/progress.ts';
import { figure, type Figure, type SectionResult } from '../lib/figures.ts';
import { BENCH_NOW } from '../lib/bot.ts';
import { memberId } from '../lib/seed.ts';
import { gc, median, pick, rng } from '../lib/stats.ts';
import { PlanTimeline } from '../../src/domain/plans.ts';

const DAY = 86_400_000;
const PROGRESS_EVENTS = 45;
const CLAIM_EVENTS = 5;
const SIZES = [1_000, 10_000, 20_000] as const;
const CYCLES = 4;
const REPS_PER_CYCLE: Record<number, number> = { 1_000: 4, 10_000: 3, 20_000: 3 };
const TARGET_10K_MS = 300;
const TARGET_SCALING = 2.2;

/**
 * N members, each with 45 progress entries and 5 claim-history events (50 events per member). Times are spread
 * over 8 weeks before the window's end, so about 1 in 8 falls in the digest week and 1 in 8 in the week before.
 */
export function digestInput(registry: Registry, members: number, seed = 5): DigestInput {
  const random = rng(seed);
  const end = BENCH_NOW;
  const start = end - 7 * DAY;
  const when = () => end - Math.floor(random() * 56 * DAY);
  const memberIds = Array.from({ length: members }, (_, i) => memberId(i));
  const progress = new Map<string, MemberProgress>();
  const resources = registry.resources;
  const statuses = ['queued', 'reading', 'done', 'skipped'] as const;
  for (const userId of memberIds) {
    const entries: Record<string, ProgressEntry> = {};
    const offset = Math.floor(random() * resources.length);
    for (let k = 0; k < PROGRESS_EVENTS; k++) {
      const resource = resources[(offset + k) % resources.length]!;
      const status = pick(statuses, random);
      const startedAt = status === 'queued' ? null : when();
      entries[resource.id] = {
        status,
        note: null,
        startedAt,
        completedAt: status === 'done' ? Math.min(end - 1, (startedAt ?? end) + Math.floor(random() * 3 * DAY)) : null,
        updatedAt: startedAt ?? end - 60 * DAY,
      };
    }
    progress.set(userId, { entries });
  }
  const claims: DigestClaim[] = [];
  const history: DigestClaimEvent[] = [];
  const actions = ['claimed', 'checked-in', 'checked-in', 'done', 'released'] as const;
  for (const userId of memberIds) {
    const problem = pick(registry.problems, random);
    claims.push({ set: problem.set, problemId: problem.id, userId, intent: 'working', status: random() < 0.1 ? 'stale' : 'active', lastCheckinAt: when() });
    for (let k = 0; k < CLAIM_EVENTS; k++) {
      const action = actions[k % actions.length]!;
      history.push({ at: when(), set: problem.set, problemId: problem.id, userId, action, by: action === 'released' ? 'system' : userId, link: action === 'done' ? 'https://example.org/write-up' : null });
    }
  }
  history.sort((a, b) => a.at - b.at);
  return { registry, groupName: 'Everyone', memberIds, progress, claims, history, windowStart: start, windowEnd: end, late: false };
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);
  // Warm the JIT on a small input first, so the 1k figure is not a cold-code figure.
  const warm = digestInput(registry, 500, 99);
  for (let i = 0; i < 5; i++) renderDigest(composeDigest(warm), '2026-03-04');

  // Each size gets its own input (the same one every cycle), so its heap is what a process holding that many
  // members would have. Cycles alternate the order of sizes, so drift in machine speed reaches every size.
  const runs = new Map(SIZES.map((m) => [m, { compose: [] as number[], render: [] as number[], total: [] as number[], parts: 0, membersListed: 0 }]));
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    for (const members of cycle % 2 === 0 ? SIZES : [...SIZES].reverse()) {
      const input = digestInput(registry, members);
      const r = runs.get(members)!;
      for (let rep = 0; rep < REPS_PER_CYCLE[members]!; rep++) {
        gc();
        const t0 = performance.now();
        const digest = composeDigest(input);
        const t1 = performance.now();
        const rendered = renderDigest(digest, '2026-03-04');
        const t2 = performance.now();
        r.compose.push(t1 - t0);
        r.render.push(t2 - t1);
        r.total.push(t2 - t0);
        r.parts = rendered.length;
        r.membersListed = digest.members.length;
      }
    }
  }
  const rows: Record<number, { composeMs: number; renderMs: number; totalMs: number; composeRuns: number[]; totalRuns: number[]; parts: number; membersListed: number }> = {};
  for (const [members, r] of runs) {
    rows[members] = { composeMs: median(r.compose), renderMs: median(r.render), totalMs: median(r.total), composeRuns: r.compose, totalRuns: r.total, parts: r.parts, membersListed: r.membersListed };
  }
  // Study plans: composing the 10k digest for an Everyone group following ARENA chapter 1, against the same input
  // without a plan, alternating runs so drift reaches both equally.
  const planRuns = { with: [] as number[], without: [] as number[] };
  {
    const input = digestInput(registry, 10_000);
    const timeline = new PlanTimeline(registry.planById.get('arena-ch1')!, { timezone: 'Europe/London', weekStartDay: 1, startDate: '2026-02-16' });
    const withPlan = { ...input, plan: { timeline, joins: {}, everyone: true, adoptedAt: input.windowStart - 21 * DAY } };
    // Three warm-up pairs (JIT, caches) are discarded; then 15 measured pairs.
    const WARM_UP = 3;
    for (let i = 0; i < WARM_UP + 15; i++) {
      for (const [key, value] of (i % 2 === 0 ? [['without', input], ['with', withPlan]] : [['with', withPlan], ['without', input]]) as [keyof typeof planRuns, typeof input][]) {
        gc();
        const t0 = performance.now();
        composeDigest(value);
        if (i >= WARM_UP) planRuns[key].push(performance.now() - t0);
      }
    }
  }
  // The median of the ratios of adjacent pairs: each pair ran back to back, so a noisy stretch of the shared machine
  // touches both sides of the same ratio instead of one side of the medians.
  const planRatio = median(planRuns.with.map((ms, i) => ms / planRuns.without[i]!));

  const scaling = (key: 'composeMs' | 'totalMs') => rows[20_000]![key] / rows[10_000]![key];

  const figures: Figure[] = [];
  for (const members of SIZES) {
    const r = rows[members]!;
    const k = `${members / 1000}k`;
    const target = members === 10_000 ? { target: { op: '<=' as const, value: TARGET_10K_MS } } : {};
    figures.push(
      figure('digest', `${k}.compose`, `${k} members: composeDigest`, r.composeMs, 'ms', target),
      figure('digest', `${k}.total`, `${k} members: compose + renderDigest`, r.totalMs, 'ms', { ...target, display: `${r.totalMs.toFixed(1)} ms (render ${r.renderMs.toFixed(1)} ms → ${r.parts} messages)` }),
    );
  }
  figures.push(
    figure('digest', 'scaling.compose', '20k ÷ 10k: composeDigest', scaling('composeMs'), '×', { target: { op: '<=', value: TARGET_SCALING } }),
    figure('digest', 'scaling.total', '20k ÷ 10k: compose + render', scaling('totalMs'), '×', { target: { op: '<=', value: TARGET_SCALING } }),
  );
  figures.push(
    figure('digest', '10k.plan.ratio', '10k members: composeDigest with a plan ÷ without', planRatio, '×', {
      target: { op: '<=', value: 1.2 },
      display: `${planRatio.toFixed(2)}× (${median(planRuns.with).toFixed(1)} vs ${median(planRuns.without).toFixed(1)} ms)`,
    }),
  );
  return {
    section: 'digest',
    title: 'Digest composition',
    figures,
    method: [
      `In-process, pure functions on in-memory records (no store): composeDigest(input) then renderDigest(digest, period). Each member has ${PROGRESS_EVENTS} progress entries and ${CLAIM_EVENTS} claim-history events (50 events), timestamps spread over 8 weeks, so about one in eight falls in the digest week.`,
      `${CYCLES} cycles; in each, every size gets a freshly built input (the same one each cycle) and runs ${REPS_PER_CYCLE[1_000]}/${REPS_PER_CYCLE[10_000]}/${REPS_PER_CYCLE[20_000]} times (1k/10k/20k) with a full GC before each run; cycles alternate the order of sizes. Figures are medians over all runs of a size; 20k ÷ 10k is the ratio of those medians. JIT warmed on a 500-member input first. The chart (renderDigestChart) is not included.`,
    ],
    details: { ...Object.fromEntries(SIZES.map((m) => [m, rows[m]])), plan: planRuns },
    durationMs: performance.now() - started,
  };
}
