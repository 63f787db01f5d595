/**
 * Section `scaling` (issue #19): no interaction's store cost may grow with the guild. Each operation is timed
 * through the repositories (as production builds them, on a SQLite file) in a small and a large guild in the same
 * run, and reported as the ratio large / small (target ≤ 1.2×). Claims are seeded through the ClaimsRepo public
 * interface (claim + done), so the figures follow whatever layout ClaimsRepo uses. Also: repository writes against
 * a bare keyv get + set loop on records of the same size, and RSS after 10,000 operations over 100 guilds.
 */
import { performance } from 'node:perf_hooks';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { openStore } from '../../src/store/open-store.ts';
import { repositoriesFor, type Repositories } from '../../src/services.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';
import { figure, type Figure, type SectionResult } from '../lib/figures.ts';
import { BENCH_NOW, removeDir, tempStore } from '../lib/bot.ts';
import { memberId, seedGuild } from '../lib/seed.ts';
import { gc, median, rng } from '../lib/stats.ts';

const SMALL_CLAIMS = 100;
const LARGE_CLAIMS = Number(process.env.BENCH_SCALING_CLAIMS ?? 10_000);
const SMALL_MEMBERS = 1_000;
const LARGE_MEMBERS = Number(process.env.BENCH_SCALING_MEMBERS ?? 100_000);
/** Seeding claims one by one through the repository is itself O(n²) on a layout that rewrites the whole record. */
const SEED_BUDGET_MS = Number(process.env.BENCH_SCALING_SEED_MS ?? 120_000);
const REPS = 120;
const ACTIVE = 60;
const RATIO = 1.2;
const SMALL = '100000000000000101';
const LARGE = '100000000000000102';
const DAY = 86_400_000;

type Registry = ReturnType<typeof loadRegistry>;
const OPS = ['claim', 'checkin', 'sweep', 'mine', 'randomUnclaimed'] as const;
type OpName = (typeof OPS)[number];

interface TimedOp {
  op: (i: number) => Promise<unknown>;
  /** Untimed clean-up after each run (a claim is unclaimed again). */
  after?: (i: number) => Promise<unknown>;
}

/**
 * Times variants of one operation (the small and the large guild, say) run by run in turn, the order reversed on
 * every other run, so every median comes from the same stretch of the machine's speed. The operations here take
 * 10–500 µs, and the shared machine drifts between two back-to-back loops by more than the target's margin.
 */
async function interleaved<K extends string>(reps: number, variants: Record<K, TimedOp>): Promise<Record<K, number>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < reps + 10; i++) {
    for (const name of i % 2 === 0 ? names : [...names].reverse()) {
      const { op, after } = variants[name];
      const t0 = performance.now();
      await op(i);
      const ms = performance.now() - t0;
      if (i >= 10) samples[name].push(ms);
      if (after) await after(i);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<K, number>;
}

/** Claims `n` problems through the repository: all closed by done except the last ACTIVE. Returns claims made. */
async function seedClaims(repos: Repositories, registry: Registry, guildId: string, n: number): Promise<{ made: number; ms: number }> {
  const start = performance.now();
  const problems = registry.problems;
  let made = 0;
  for (let i = 0; i < n; i++) {
    const p = problems[i % problems.length]!;
    const ref = { set: p.set, problemId: p.id };
    const at = BENCH_NOW - (n - i) * 60_000;
    const userId = memberId(i);
    await repos.claims.claim(guildId, { problem: ref, userId, intent: 'exploring', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, at);
    made++;
    if (i < n - ACTIVE) await repos.claims.done(guildId, ref, userId, 'https://example.org/write-up', at + 1);
    if (performance.now() - start > SEED_BUDGET_MS && i < n - ACTIVE) {
      // Out of time: leave the last ACTIVE claims active so check-ins still have something to act on.
      for (let j = 0; j < ACTIVE; j++) {
        const q = problems[(i + 1 + j) % problems.length]!;
        await repos.claims.claim(guildId, { problem: { set: q.set, problemId: q.id }, userId: memberId(n + j), intent: 'exploring', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, at + 2);
        made++;
      }
      break;
    }
  }
  return { made, ms: performance.now() - start };
}

async function claimOps(repos: Repositories, registry: Registry, guildId: string): Promise<Record<OpName, TimedOp>> {
  const random = rng(5);
  const problems = registry.problems;
  const guild = await repos.claims.guild(guildId);
  const active = guild.claims.filter((c) => c.status === 'active' || c.status === 'stale');
  let k = 0;
  let last: { p: (typeof problems)[number]; userId: string } | undefined;
  return {
    claim: {
      op: async () => {
        const p = problems[Math.floor(random() * problems.length)]!;
        const userId = memberId(2_000_000 + k++);
        await repos.claims.claim(guildId, { problem: { set: p.set, problemId: p.id }, userId, intent: 'exploring', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, BENCH_NOW);
        last = { p, userId };
      },
      after: async () => last && repos.claims.unclaim(guildId, { set: last.p.set, problemId: last.p.id }, last.userId, BENCH_NOW),
    },
    checkin: {
      op: (i) => {
        const c = active[i % active.length]!;
        return repos.claims.checkin(guildId, { set: c.set, problemId: c.problemId }, c.userId, null, BENCH_NOW + i);
      },
    },
    sweep: { op: (i) => repos.claims.sweep(guildId, BENCH_NOW + i, DEFAULT_GUILD_SETTINGS) },
    mine: {
      op: async (i) => {
        const userId = active[i % active.length]!.userId;
        // What /problem mine reads (src/problems/claim-actions.ts): the open record plus the member's own record.
        return (await repos.claims.forMember(guildId, userId)).claims.filter((c) => c.userId === userId);
      },
    },
    randomUnclaimed: {
      op: async () => {
        // What /problem random reads (src/problems/cards.ts): the open record only.
        const taken = new Set((await repos.claims.openClaims(guildId)).claims.filter((c) => c.status === 'active' || c.status === 'stale').map((c) => `${c.set}:${c.problemId}`));
        const free = problems.filter((p) => !taken.has(`${p.set}:${p.id}`));
        return free[Math.floor(random() * free.length)];
      },
    },
  };
}

/** A mark that crosses "done" (and back) on existing members (member record + that resource's count), and the
 *  bare keyv get + set of the same two records. */
async function progressOps(repos: Repositories, store: Awaited<ReturnType<typeof openStore>>, guildId: string, members: number): Promise<{ repo: TimedOp; bare: TimedOp }> {
  const pairs: { user: string; resourceId: string }[] = [];
  for (let i = 0; pairs.length < 200 && i < members; i += Math.max(1, Math.floor(members / 400))) {
    const user = memberId(i);
    const entry = Object.entries((await repos.progress.get(guildId, user)).entries).find(([, e]) => e.status !== 'done');
    if (entry) pairs.push({ user, resourceId: entry[0] });
  }
  const keyv = store.keyv;
  // Each run i marks one pair done and back (two marks), so every timed run crosses "done" twice.
  return {
    repo: {
      op: async (i) => {
        const p = pairs[i % pairs.length]!;
        await repos.progress.mark(guildId, p.user, p.resourceId, 'done', { now: BENCH_NOW + 2 * i });
        await repos.progress.mark(guildId, p.user, p.resourceId, 'reading', { now: BENCH_NOW + 2 * i + 1 });
      },
    },
    bare: {
      op: async (i) => {
        const p = pairs[i % pairs.length]!;
        for (let k = 0; k < 2; k++) {
          const record = await keyv.get(`progress:${guildId}:${p.user}`);
          await keyv.set(`progress:${guildId}:bare-${p.user}`, record);
          const count = await keyv.get(`progress-done-count:${guildId}:${p.resourceId}`);
          await keyv.set(`progress-done-count:${guildId}:bare-${p.resourceId}`, count ?? { v: 1, data: { count: 1 } });
        }
      },
    },
  };
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);
  const { dir, storeUrl } = tempStore('scaling');
  const store = await openStore(storeUrl);
  const repos = repositoriesFor(store);
  const figures: Figure[] = [];
  try {
    const small = await seedClaims(repos, registry, SMALL, SMALL_CLAIMS);
    const large = await seedClaims(repos, registry, LARGE, LARGE_CLAIMS);
    gc();
    const smallOps = await claimOps(repos, registry, SMALL);
    const largeOps = await claimOps(repos, registry, LARGE);
    const opsSmall = {} as Record<OpName, number>;
    const opsLarge = {} as Record<OpName, number>;
    for (const key of OPS) {
      const { small: s, large: l } = await interleaved(REPS, { small: smallOps[key], large: largeOps[key] });
      opsSmall[key] = s;
      opsLarge[key] = l;
    }
    const labels: Record<OpName, string> = { claim: 'claim', checkin: 'check-in', sweep: 'sweep', mine: '/problem mine (read)', randomUnclaimed: '/problem random unclaimed:true (read)' };
    for (const key of OPS) {
      figures.push(
        figure('scaling', `${key}.ratio`, `${labels[key]}: ${large.made.toLocaleString('en')} vs ${small.made} claims`, opsLarge[key]! / opsSmall[key]!, '×', {
          target: { op: '<=', value: RATIO },
          note: `${opsSmall[key]!.toFixed(2)} → ${opsLarge[key]!.toFixed(2)} ms median`,
        }),
      );
    }

    const PSMALL = '100000000000000201';
    const PLARGE = '100000000000000202';
    const seedStart = performance.now();
    await seedGuild(store.keyv, registry, { guildId: PSMALL, channelId: '200000000000000201', members: SMALL_MEMBERS, now: BENCH_NOW });
    await seedGuild(store.keyv, registry, { guildId: PLARGE, channelId: '200000000000000202', members: LARGE_MEMBERS, now: BENCH_NOW });
    const progressSeedMs = performance.now() - seedStart;
    gc();
    const ps = await progressOps(repos, store, PSMALL, SMALL_MEMBERS);
    const pl = await progressOps(repos, store, PLARGE, LARGE_MEMBERS);
    // Per run: two marks (done, then back), so halve the medians to give one mark's cost.
    const progress = await interleaved(REPS, { small: ps.repo, large: pl.repo, bare: pl.bare });
    const [psRepo, plRepo, plBare] = [progress.small / 2, progress.large / 2, progress.bare / 2];
    figures.push(
      figure('scaling', 'progressDone.ratio', `progress mark crossing done: ${LARGE_MEMBERS.toLocaleString('en')} vs ${SMALL_MEMBERS.toLocaleString('en')} members`, plRepo / psRepo, '×', {
        target: { op: '<=', value: RATIO },
        note: `${psRepo.toFixed(2)} → ${plRepo.toFixed(2)} ms median`,
      }),
      figure('scaling', 'progressDone.vsBare', 'progress mark crossing done vs bare keyv get+set (member + count records)', plBare / plRepo, '×', {
        target: { op: '>=', value: 0.8 },
        note: `repository ${plRepo.toFixed(2)} ms, bare ${plBare.toFixed(2)} ms`,
      }),
    );

    // 10,000 operations over 100 guilds (claim, check-in, progress mark), then the process's RSS.
    const random = rng(9);
    for (let i = 0; i < 10_000; i++) {
      const guildId = String(100000000000001000n + BigInt(i % 100));
      const userId = memberId(3_000_000 + (i % 2_000));
      const p = registry.problems[Math.floor(random() * registry.problems.length)]!;
      const r = registry.resources[Math.floor(random() * registry.resources.length)]!;
      if (i % 3 === 0) await repos.claims.claim(guildId, { problem: { set: p.set, problemId: p.id }, userId, intent: 'exploring', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, BENCH_NOW + i);
      else if (i % 3 === 1) await repos.claims.checkin(guildId, { set: p.set, problemId: p.id }, userId, null, BENCH_NOW + i);
      else await repos.progress.mark(guildId, userId, r.id, random() < 0.5 ? 'done' : 'reading', { now: BENCH_NOW + i });
    }
    gc();
    const rss = process.memoryUsage().rss / 1024 / 1024;
    figures.push(figure('scaling', 'rss', 'RSS after 10,000 repository operations over 100 guilds (whole section process, with its seeded data; the bot\'s own RSS is in the memory section)', rss, 'MB'));

    return {
      section: 'scaling',
      title: 'Scaling with the guild (SQLite, through the repositories)',
      figures,
      method: [
        `One SQLite file opened with openStore as production does, repositories with the record cache (repositoriesFor). Claims seeded through ClaimsRepo.claim + done (each closed claim is two events): ${small.made} in one guild, ${large.made.toLocaleString('en')} in another (seeding took ${(large.ms / 1000).toFixed(0)} s; capped at ${SEED_BUDGET_MS / 1000} s, so fewer than ${LARGE_CLAIMS.toLocaleString('en')} means the layout is too slow to seed in time). The last ${ACTIVE} stay active for check-ins.`,
        `Each op: ${REPS} awaited runs after 10 warm-up runs, median ms, the small and the large guild's runs alternating one by one (first one, then the other, then the other way round) so both medians see the same machine; ratio = large guild / small guild. claim = a new member claims a random problem (unclaimed again, untimed); check-in on an active claim; sweep; /problem mine = read the member's claims (ClaimsRepo.forMember, as the command does); random unclaimed = read which problems are free (ClaimsRepo.openClaims, as the command does) and pick one.`,
        `Progress: ${SMALL_MEMBERS.toLocaleString('en')} and ${LARGE_MEMBERS.toLocaleString('en')} members seeded directly (bench/lib/seed.ts, ${(progressSeedMs / 1000).toFixed(0)} s); a mark flips an existing member's entry to done and back (the small guild's, the large guild's and the bare runs alternate). Bare: keyv.get + keyv.set of the same member record and of the resource's count record.`,
        'RSS: the section process after everything above and 10,000 claim / check-in / progress operations spread over 100 guilds (repository level, not full interactions).',
      ],
      details: { claims: { small, large, opsSmall, opsLarge }, progress: { small: psRepo, large: plRepo, bare: plBare, seedMs: progressSeedMs }, rssMb: rss },
      durationMs: performance.now() - started,
    };
  } finally {
    await store.close();
    removeDir(dir);
  }
}
