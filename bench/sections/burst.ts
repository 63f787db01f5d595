/**
 * Burst (issue #19): how many interactions a second the bot sustains with no interaction missing Discord's 3 s
 * first-response deadline, in one guild (every claim queues behind that guild's lock) and spread over 100 guilds.
 * The bot runs in this process with its default deadline guard (deferral 2.0 s after creation) against the
 * loopback Discord; `/problem claim` is sent at a fixed rate for RUN_MS, each by a new member, and an
 * interaction's first callback (answer or deferral) must reach the emulator within 3 s of its dispatch. The rate
 * doubles from START_RATE until a run misses a deadline; the figure is the last rate with none. Also the
 * issue's own case: 600 claims dispatched at once in one guild.
 */
import { performance } from 'node:perf_hooks';
import { commands } from '../../commands/index.ts';
import { chatInput, str, sub } from '../../test/harness/interactions.ts';
import { figure, type SectionResult } from '../lib/figures.ts';
import { CallbackTracker, guildsFor, removeDir, startBenchBot, tempStore, type BenchBot } from '../lib/bot.ts';

const DEADLINE_MS = 3_000;
const RUN_MS = Number(process.env.BENCH_BURST_RUN_MS ?? 2_000);
const START_RATE = 50;
const MAX_RATE = 1_600;
const AT_ONCE = 600;
const TICK_MS = 20;

interface Run {
  rate: number;
  sent: number;
  missed: number;
  deferred: number;
  slowestMs: number;
}

let nextMember = 0n;
const claim = (guildId: string, channelId: string, problemId: string) =>
  chatInput('problem', [sub('claim', [str('id', problemId), str('intent', 'exploring')])], {
    guildId,
    channelId,
    user: { id: String(500000000000000000n + nextMember++), username: 'member' },
  });

/** Sends `count` claims, `perTick` every TICK_MS (all at once when perTick >= count), round-robin over `guilds`. */
async function fire(t: BenchBot, tracker: CallbackTracker, guilds: ReturnType<typeof guildsFor>, problems: string[], count: number, perTick: number): Promise<Omit<Run, 'rate'>> {
  const waits: Promise<{ ms: number; deferred: boolean }>[] = [];
  let sent = 0;
  while (sent < count) {
    const tickStart = performance.now();
    for (let k = 0; k < perTick && sent < count; k++, sent++) {
      const guild = guilds[sent % guilds.length]!;
      const payload = claim(guild.id, guild.channels[0]!.id, problems[sent % problems.length]!);
      const at = performance.now();
      const callback = tracker.expect(payload.id, 60_000);
      t.discord.dispatch('INTERACTION_CREATE', payload, guild.id);
      waits.push(callback.then((c) => ({ ms: c.at - at, deferred: c.request.body?.type === 5 })));
    }
    if (sent < count) await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (performance.now() - tickStart))));
  }
  const results = await Promise.all(waits);
  return {
    sent,
    missed: results.filter((r) => r.ms >= DEADLINE_MS).length,
    deferred: results.filter((r) => r.deferred).length,
    slowestMs: Math.max(...results.map((r) => r.ms)),
  };
}

async function sustained(guildCount: number): Promise<{ best: Run | null; runs: Run[] }> {
  const guilds = guildsFor(guildCount);
  const { dir, storeUrl } = tempStore(`burst-${guildCount}`);
  const t = await startBenchBot({ guilds, storeUrl, commands });
  const tracker = new CallbackTracker(t.discord);
  const problems = t.bot.services.registry.problems.map((p) => p.id);
  const runs: Run[] = [];
  try {
    // Warm-up: the first claims of each guild create its records.
    await fire(t, tracker, guilds, problems, Math.max(guildCount, 50), 10);
    for (let rate = START_RATE; rate <= MAX_RATE; rate *= 2) {
      const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1_000));
      const run = { rate, ...(await fire(t, tracker, guilds, problems, Math.round((rate * RUN_MS) / 1_000), perTick)) };
      runs.push(run);
      process.stderr.write(`  burst over ${guildCount} guild(s): ${rate}/s, ${run.missed} missed, ${run.deferred} deferred, slowest ${run.slowestMs.toFixed(0)} ms\n`);
      // Let deferred claims finish their edits before the next rate.
      await t.bot.router.drain();
      if (run.missed > 0) break;
    }
  } finally {
    await t.close();
    removeDir(dir);
  }
  const clean = runs.filter((r) => r.missed === 0);
  return { best: clean.at(-1) ?? null, runs };
}

async function atOnce(): Promise<Omit<Run, 'rate'>> {
  const guilds = guildsFor(1);
  const { dir, storeUrl } = tempStore('burst-once');
  const t = await startBenchBot({ guilds, storeUrl, commands });
  const tracker = new CallbackTracker(t.discord);
  try {
    const problems = t.bot.services.registry.problems.slice(0, 200).map((p) => p.id);
    await fire(t, tracker, guilds, problems, 50, 10);
    const result = await fire(t, tracker, guilds, problems, AT_ONCE, AT_ONCE);
    await t.bot.router.drain();
    return result;
  } finally {
    await t.close();
    removeDir(dir);
  }
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const one = await sustained(1);
  const hundred = await sustained(100);
  const once = await atOnce();
  const describe = (r: { runs: Run[] }) => r.runs.map((x) => `${x.rate}/s: ${x.sent} sent, ${x.missed} missed, ${x.deferred} deferred, slowest ${x.slowestMs.toFixed(0)} ms`).join('; ');
  const figures = [
    figure('burst', 'oneGuild.perSec', '/problem claim per second in one guild, 0 missed deadlines', one.best?.rate ?? 0, '/s', { note: describe(one) }),
    figure('burst', 'hundredGuilds.perSec', '/problem claim per second over 100 guilds, 0 missed deadlines', hundred.best?.rate ?? 0, '/s', { note: describe(hundred) }),
    figure('burst', 'atOnce.missed', `${AT_ONCE} /problem claim at once in one guild: missed 3 s deadlines`, once.missed, '', {
      target: { op: '<=', value: 0 },
      note: `${once.deferred} deferred, slowest first callback ${once.slowestMs.toFixed(0)} ms`,
    }),
  ];
  return {
    section: 'burst',
    title: 'Bursts: interactions per second with no missed 3 s deadline',
    figures,
    method: [
      `In-process bot with its default deadline guard (deferral 2.0 s after creation), loopback Discord, one SQLite file. /problem claim at a fixed rate for ${RUN_MS / 1000} s, each by a new member; the rate doubles from ${START_RATE}/s until an interaction's first callback (answer or deferral) reaches the emulator 3 s or more after its dispatch. The figure is the last rate with none late (capped at ${MAX_RATE}/s). Then ${AT_ONCE} claims dispatched at once in one guild.`,
    ],
    details: { one, hundred, once },
    durationMs: performance.now() - started,
  };
}
