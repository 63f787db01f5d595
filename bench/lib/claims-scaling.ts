/**
 * What one claim action costs the claims repository, against how much history the guild already has: a guild with
 * N closed claims (each with its "claimed" and "done"/"unclaimed" events) is seeded in the one-record layout of
 * earlier releases, converted as the start-up migration does, and then timed through the repositories exactly as
 * production opens them (SQLite, write-through record cache). For the `scaling` bench section.
 *
 *   measureClaimScaling({ closed: [100, 10_000] })   ->  per-op medians (ms) per history size
 *   tsx bench/lib/claims-scaling.ts                  ->  prints them, and the ratios
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Claim, ClaimEvent } from '../../src/domain/claims.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { repositoriesFor } from '../../src/services.ts';
import { openStore } from '../../src/store/open-store.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';
import { memberId } from './seed.ts';
import { median } from './stats.ts';

const GUILD = '100000000000000077';
const T0 = Date.UTC(2026, 0, 1);

export interface ClaimCosts {
  closed: number;
  /** Median ms per call. */
  claim: number;
  checkin: number;
  unclaim: number;
  sweep: number;
  /** /problem mine's read, and /problem random unclaimed:true's (open claims, then the drawn problem's card). */
  mine: number;
  randomUnclaimed: number;
}

async function seed(keyv: import('keyv').default, closed: number, problems: { set: string; id: string }[]) {
  const claims: Claim[] = [];
  const history: ClaimEvent[] = [];
  for (let i = 0; i < closed; i++) {
    const p = problems[i % problems.length]!;
    const userId = memberId(i % 2_000);
    const at = T0 + i * 60_000;
    const done = i % 3 === 0;
    claims.push({
      id: `c${i + 1}`, set: p.set, problemId: p.id, userId, intent: 'working', note: i % 4 === 0 ? 'Trying the toy-model version first.' : null, link: null,
      status: done ? 'done' : 'released', pinned: false, claimedAt: at, lastCheckinAt: at, staleAt: null, closedAt: at + 30_000,
      outcomeLink: done ? `https://example.org/write-up/${i}` : null,
    });
    history.push({ at, set: p.set, problemId: p.id, userId, action: 'claimed', by: userId, note: null, link: null });
    history.push({ at: at + 30_000, set: p.set, problemId: p.id, userId, action: done ? 'done' : 'unclaimed', by: userId, note: null, link: done ? `https://example.org/write-up/${i}` : null });
  }
  await keyv.set(`claims:${GUILD}`, { v: 1, data: { claims, history } });
}

export async function measureClaimScaling(options: { closed: readonly number[]; ops?: number }): Promise<ClaimCosts[]> {
  const registry = loadRegistry(DATA_DIR);
  const problems = registry.problems.map((p) => ({ set: p.set, id: p.id }));
  const ops = options.ops ?? 300;
  const BLOCK = 10;
  interface Context {
    closed: number;
    dir: string;
    store: Awaited<ReturnType<typeof openStore>>;
    repos: ReturnType<typeof repositoriesFor>;
    now: number;
    samples: Record<string, number[]>;
  }
  const contexts: Context[] = [];
  for (const closed of options.closed) {
    const dir = mkdtempSync(join(tmpdir(), 'induction-claims-scaling-'));
    const store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
    await seed(store.keyv, closed, problems);
    const repos = repositoriesFor(store);
    await repos.claims.migrateGuild(GUILD);
    repos.claims.legacyPossible = false;
    contexts.push({ closed, dir, store, repos, now: T0 + closed * 60_000 + 86_400_000, samples: {} });
  }
  try {
    // Each kind of op runs in blocks that alternate between the guilds, so load on the machine hits both alike.
    const time = async (name: string, run: (c: Context, i: number) => Promise<unknown>) => {
      for (let b = 0; b < ops; b += BLOCK) {
        for (const c of contexts) {
          const samples = (c.samples[name] ??= []);
          for (let i = b; i < b + BLOCK; i++) {
            const start = performance.now();
            await run(c, i);
            samples.push(performance.now() - start);
          }
        }
      }
    };
    // Members 5,000+ hold nothing yet; each claims one problem, checks in, and (later) unclaims it.
    const ref = (i: number) => ({ set: problems[i % problems.length]!.set, problemId: problems[i % problems.length]!.id });
    const claimant = (i: number) => memberId(5_000 + i);
    await time('claim', (c, i) => c.repos.claims.claim(GUILD, { problem: ref(i), userId: claimant(i), intent: 'exploring', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, c.now + i));
    await time('checkin', (c, i) => c.repos.claims.checkin(GUILD, ref(i), claimant(i), null, c.now + ops + i));
    await time('sweep', (c, i) => c.repos.claims.sweep(GUILD, c.now + 2 * ops + i, DEFAULT_GUILD_SETTINGS));
    await time('mine', (c, i) => c.repos.claims.forMember(GUILD, memberId(i % 2_000)));
    await time('randomUnclaimed', async (c, i) => c.repos.claims.forProblem(GUILD, ref(i * 7), await c.repos.claims.openClaims(GUILD)));
    await time('unclaim', (c, i) => c.repos.claims.unclaim(GUILD, ref(i), claimant(i), c.now + 3 * ops + i));
    return contexts.map((c) => {
      const m = (k: string) => median(c.samples[k]!);
      return { closed: c.closed, claim: m('claim'), checkin: m('checkin'), unclaim: m('unclaim'), sweep: m('sweep'), mine: m('mine'), randomUnclaimed: m('randomUnclaimed') };
    });
  } finally {
    for (const c of contexts) {
      await c.store.close();
      rmSync(c.dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [small, large] = await measureClaimScaling({ closed: [100, 10_000] });
  const keys = ['claim', 'checkin', 'unclaim', 'sweep', 'mine', 'randomUnclaimed'] as const;
  for (const k of keys) {
    console.log(`${k.padEnd(16)} ${small![k].toFixed(3)} ms at 100 closed, ${large![k].toFixed(3)} ms at 10,000: ${(large![k] / small![k]).toFixed(2)}×`);
  }
}
