/**
 * Reading sessions: `when` autocomplete in-process (chrono-node parsing in the group's zone plus the choice
 * labels), and /session schedule end to end through the loopback Discord against a baseline that makes the same
 * REST calls: a bench-only command that defers and replays the very requests a schedule sent (create event, post
 * announcement, start thread, post thread opener, edit the reply), with the same bodies and in the same order,
 * but reads and writes nothing and renders nothing. The difference is the bot's own work.
 *
 * The schedule is measured twice. The target figure runs the bot in its own process, as in production
 * (bench/children/sessions-bot.ts, with `npm start`'s node flags), against the loopback Discord in this one. The
 * in-process run (bot and emulator sharing one thread, as the other sections do) is kept for comparison: there
 * the emulator's schema validation and garbage run between the bot's steps and slow them several times over.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { commands } from '../../commands/index.ts';
import { whenChoices } from '../../src/domain/when.ts';
import { figure, type SectionResult } from '../lib/figures.ts';
import { BENCH_NOW, guildsFor, removeDir, startBenchBot, tempStore } from '../lib/bot.ts';
import { startScriptNodeFlags } from '../lib/child.ts';
import { captureReplay, scheduleBaseline, setReplay, type Replay } from '../lib/session-baseline.ts';
import { gc, roundSummary, summarize, type Summary } from '../lib/stats.ts';
import { pong } from '../lib/workload.ts';
import { ADMIN, autocomplete, chatInput, str, sub } from '../../test/harness/interactions.ts';
import { childBotEnv } from '../../test/harness/child-bot.ts';
import { LoopbackDiscord, type CapturedRequest, type EmulatedGuild } from '../../test/harness/loopback-discord.ts';

const PHRASES = ['next tuesday 18:00', 'in 3 days at 5pm', '2027-01-12 19:30', 'tomorrow at 7pm', 'friday 18:30', 'tuesday 6', '25 october 2026 01:30', 'in 2 hours'];
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'];
const AUTOCOMPLETE_CALLS = 5_000;
const ROUNDS = Number(process.env.BENCH_SESSIONS_ROUNDS ?? 150);
const WARMUP = 20;
/** Requests /session schedule makes beyond pong's one callback. */
const EXTRA_REST_CALLS = 5;
/** What the member types in `when` (and sends without picking the suggestion, the path that parses most). */
const WHEN = 'in 3 days at 5pm';
const CHILD = join(fileURLToPath(new URL('..', import.meta.url)), 'children', 'sessions-bot.ts');

/** How a run reaches the bot: in this process, or over IPC to the bot's own process. */
interface BotHandle {
  discord: LoopbackDiscord;
  advance(ms: number): Promise<void>;
  /** Lets the bot finish whatever the last interaction left running. */
  settle(): Promise<void>;
  /** Hands the baseline the captured requests. */
  replay(r: Replay): Promise<void>;
}

interface Rounds {
  pong: Summary;
  schedule: Summary;
  baseline: Summary;
  failures: number;
  violations: number;
  /** Median arrival of each request at the emulator, ms after the dispatch (callback, event, announcement, thread, opener and edit in arrival order). */
  steps: { schedule: number[]; baseline: number[] };
}

/** Resolves when a request matching `match` reaches the emulator, with the time it arrived. */
function arrival(discord: LoopbackDiscord, match: (r: CapturedRequest) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const listener = (r: CapturedRequest) => {
      if (!match(r)) return;
      discord.off('request', listener);
      resolve(performance.now());
    };
    discord.on('request', listener);
  });
}

/**
 * Pong, schedule and baseline in turn, each timed from the gateway dispatch to the emulator receiving its last
 * timed request (pong: its callback; the others: the deferred reply's edit). Each waits for the thread opener too
 * before the next starts, so no command overlaps the next. Schedule and baseline take turns going first.
 */
async function runRounds(bot: BotHandle, guild: EmulatedGuild): Promise<Rounds> {
  const { discord } = bot;
  const where = { guildId: guild.id, channelId: guild.channels[0]!.id, user: ADMIN };
  const isPost = (r: CapturedRequest) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path);
  /** Dispatches, and resolves with the time the matching request arrived once two channel messages (the announcement and the opener) have too. */
  const timed = async (payload: any, last: (r: CapturedRequest) => boolean, posts: number, steps?: number[][]) => {
    let seen = 0;
    const counted = posts === 0 ? Promise.resolve(0) : arrival(discord, (r) => isPost(r) && ++seen === posts);
    const done = arrival(discord, last);
    // When each of the command's requests reached the emulator, in order: where the time goes.
    let step = 0;
    const onRequest = () => (steps![step++] ??= []).push(performance.now() - t0);
    if (steps) discord.on('request', onRequest);
    const t0 = performance.now();
    discord.dispatch('INTERACTION_CREATE', payload, guild.id);
    const at = await done;
    await counted;
    discord.off('request', onRequest);
    await bot.settle();
    return at - t0;
  };
  const scheduleSteps: number[][] = [];
  const baseSteps: number[][] = [];
  const pongMs: number[] = [];
  const scheduleMs: number[] = [];
  const baseMs: number[] = [];
  let failures = 0;
  let violations = 0;
  let captured = false;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    await bot.advance(60_000);
    const p = chatInput('pong', [], where);
    const pongTook = await timed(p, (r) => r.kind === 'callback' && r.path.includes(`/${p.id}/`), 0);
    const s = chatInput('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', WHEN)])], where);
    const b = chatInput('schedulebase', [], where);
    const schedule = async () => {
      // As Discord does while the member types: the text goes to `when` autocomplete first (not timed).
      const ac = autocomplete('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', WHEN, true)])], where);
      await timed(ac, (r) => r.kind === 'callback' && r.path.includes(`/${ac.id}/`), 0);
      const from = discord.requests.length;
      const took = await timed(s, (r) => r.kind === 'webhook-edit' && r.path.includes(`/${s.token}/`), 2, captured && round >= WARMUP ? scheduleSteps : undefined);
      const edit = discord.requests.find((r) => r.kind === 'webhook-edit' && r.path.includes(`/${s.token}/`));
      if (!/^Scheduled/.test(edit?.body?.content ?? '')) failures++;
      if (!captured) {
        await bot.replay(captureReplay(discord.requests.slice(from), s.token));
        captured = true;
      }
      return took;
    };
    const baseline = () => timed(b, (r) => r.kind === 'webhook-edit' && r.path.includes(`/${b.token}/`), 2, round >= WARMUP ? baseSteps : undefined);
    // Which of the two goes first alternates, so neither always runs on the paths the other has just warmed.
    let scheduleTook: number;
    let baseTook: number;
    if (!captured || round % 2 === 0) {
      scheduleTook = await schedule();
      baseTook = await baseline();
    } else {
      baseTook = await baseline();
      scheduleTook = await schedule();
    }
    violations += discord.violations().length;
    if (discord.requests.length > 2_000) discord.requests.splice(0, discord.requests.length);
    if (round < WARMUP) continue;
    pongMs.push(pongTook);
    scheduleMs.push(scheduleTook);
    baseMs.push(baseTook);
  }
  const medians = (steps: number[][]) => steps.map((xs) => Math.round(summarize(xs).p50 * 100) / 100);
  return { pong: summarize(pongMs), schedule: summarize(scheduleMs), baseline: summarize(baseMs), failures, violations, steps: { schedule: medians(scheduleSteps), baseline: medians(baseSteps) } };
}

async function inProcess(guild: EmulatedGuild): Promise<Rounds & { rest: Summary }> {
  const { dir, storeUrl } = tempStore('sessions');
  const t = await startBenchBot({ guilds: [guild], storeUrl, commands: [...commands, pong, scheduleBaseline] });
  try {
    const rounds = await runRounds(
      {
        discord: t.discord,
        advance: async (ms) => t.clock.advance(ms),
        settle: () => t.bot.router.drain(),
        replay: async (r) => setReplay(r),
      },
      guild,
    );
    // One bare REST round trip through the bot's own REST client: the unit the older allowance is counted in.
    const restMs: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const r0 = performance.now();
      await t.bot.client.rest.get('/users/@me');
      if (i >= WARMUP) restMs.push(performance.now() - r0);
    }
    return { ...rounds, rest: summarize(restMs) };
  } finally {
    await t.close();
    removeDir(dir);
  }
}

async function ownProcess(guild: EmulatedGuild): Promise<Rounds> {
  const discord = new LoopbackDiscord({ guilds: [guild] });
  await discord.start();
  const { dir, storeUrl } = tempStore('sessions-child');
  const child: ChildProcess = fork(CHILD, [], {
    // `npm run bench -- --profile` sets BENCH_PROFILE_DIR: the bot process then writes a CPU profile there too.
    execArgv: [...startScriptNodeFlags(), ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), '--import', 'tsx'],
    env: childBotEnv({ DISCORD_API_URL: discord.apiBase, STORE_URL: storeUrl, BENCH_NOW: String(BENCH_NOW) }),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () =>
    new Promise<void>((resolve, reject) => {
      const onMessage = () => {
        child.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the sessions bot exited with ${code}`));
      };
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = (message: object) => {
    const answered = next();
    child.send(message);
    return answered;
  };
  try {
    await next(); // ready
    return await runRounds(
      {
        discord,
        advance: (ms) => ask({ advance: ms }),
        // The opener is the last request either command makes; the bot is idle once it has arrived.
        settle: async () => undefined,
        replay: (r) => ask({ replay: r }),
      },
      guild,
    );
  } finally {
    if (child.exitCode === null) child.send({ stop: true });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await discord.stop();
    removeDir(dir);
  }
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  // 1. `when` autocomplete in-process: every keystroke prefix of the phrases, in four zones.
  const inputs = PHRASES.flatMap((p) => Array.from({ length: p.length }, (_, i) => p.slice(0, i + 1)));
  for (let i = 0; i < 500; i++) whenChoices(inputs[i % inputs.length]!, ZONES[i % ZONES.length]!, BENCH_NOW);
  gc();
  const ac: number[] = [];
  for (let i = 0; i < AUTOCOMPLETE_CALLS; i++) {
    const t0 = performance.now();
    whenChoices(inputs[i % inputs.length]!, ZONES[i % ZONES.length]!, BENCH_NOW + i * 60_000);
    ac.push(performance.now() - t0);
  }
  const acSummary = summarize(ac);

  // 2. /session schedule end to end vs pong and the replay baseline: the bot in its own process (the target),
  // then in this process (for comparison).
  const [guild] = guildsFor(1);
  const own = await ownProcess(guild!);
  const shared = await inProcess(guild!);
  const over = own.schedule.p50 - own.baseline.p50;
  const allowance = shared.pong.p50 + EXTRA_REST_CALLS * shared.rest.p50;
  const problems = (r: Rounds) => (r.failures || r.violations ? { note: `${r.failures} failed, ${r.violations} payload violations` } : {});
  return {
    section: 'sessions',
    title: 'Reading sessions',
    figures: [
      figure('sessions', 'when-autocomplete.p99', '`when` autocomplete p99 (in-process)', acSummary.p99, 'ms', { target: { op: '<=', value: 5 } }),
      figure('sessions', 'when-autocomplete.p50', '`when` autocomplete p50 (in-process)', acSummary.p50, 'ms'),
      figure('sessions', 'pong.p50', 'pong p50 (dispatch → callback at the emulator; bot in its own process)', own.pong.p50, 'ms'),
      figure('sessions', 'schedule.p50', '/session schedule p50 (dispatch → final edit at the emulator; bot in its own process)', own.schedule.p50, 'ms'),
      figure('sessions', 'baseline.p50', 'same REST calls replayed p50 (bot in its own process)', own.baseline.p50, 'ms'),
      figure('sessions', 'schedule.over', '/session schedule p50 − same-REST-calls baseline p50 (bot in its own process)', over, 'ms', {
        target: { op: '<=', value: 1 },
        ...problems(own),
      }),
      figure('sessions', 'in-process.schedule.p50', '/session schedule p50, bot and emulator in one process', shared.schedule.p50, 'ms'),
      figure('sessions', 'in-process.baseline.p50', 'same REST calls replayed p50, bot and emulator in one process', shared.baseline.p50, 'ms'),
      figure('sessions', 'in-process.schedule.over', '/session schedule p50 − baseline p50, bot and emulator in one process', shared.schedule.p50 - shared.baseline.p50, 'ms', problems(shared)),
      figure('sessions', 'in-process.rest.p50', 'one REST round trip p50 (bot client → emulator, one process)', shared.rest.p50, 'ms'),
      figure('sessions', 'in-process.schedule.over-pong-rest', `/session schedule p50 − (pong p50 + ${EXTRA_REST_CALLS} × bare REST p50), one process`, shared.schedule.p50 - allowance, 'ms'),
    ],
    method: [
      `when autocomplete: whenChoices() called ${AUTOCOMPLETE_CALLS} times in this process on every keystroke prefix of ${PHRASES.length} phrases, in ${ZONES.length} zones, after 500 warm-up calls.`,
      `/session schedule: ${ROUNDS} rounds after ${WARMUP} warm-up, each a pong, then a schedule and the baseline taking turns to go first. The schedule's \`when\` is the typed text "${WHEN}" (no location, so no channel lookup), sent to \`when\` autocomplete first (untimed), as Discord does while the member types; the command then takes the time autocomplete showed instead of parsing again. Picking the suggestion sends an ISO instant instead, which parses faster still. Through the real bot and the loopback Discord on SQLite. Timed from the gateway dispatch to the emulator receiving the last request (pong: its callback; schedule and baseline: the deferred reply's edit); each waits for the thread opener as well before the next starts.`,
      `Scheduling makes ${EXTRA_REST_CALLS + 1} requests where pong makes one (deferral, create event, post announcement, start thread, post the thread opener, edit the reply). The target compares it with a baseline command, in the same rounds, that makes those same requests with the bodies a schedule sent (captured once after the warm-up), in the same order (deferral alongside the event, the thread opener alongside the edit), through the same REST client and emulator, so payload validation and routing cost the same on both sides and the difference is the store, parsing and rendering.`,
      `The target run has the bot in its own process (bench/children/sessions-bot.ts: startBot with the shipped commands plus pong and the baseline, npm start's node flags, tsx), as in production; the emulator, which validates every request against Discord's OpenAPI schema, runs in the bench process. The one-process run is shown for comparison: there the emulator's work and garbage run on the bot's thread between its steps, so every bot step runs on cold caches (measured there: Session.parse 0.12 ms against 0.007 ms in a tight loop, chrono's parse 3–9× slower after a garbage collection).`,
    ],
    details: { autocomplete: roundSummary(acSummary), ownProcess: { steps: own.steps, pong: roundSummary(own.pong), schedule: roundSummary(own.schedule), baseline: roundSummary(own.baseline), failures: own.failures, violations: own.violations }, inProcess: { steps: shared.steps, pong: roundSummary(shared.pong), schedule: roundSummary(shared.schedule), baseline: roundSummary(shared.baseline), rest: roundSummary(shared.rest), allowance, failures: shared.failures, violations: shared.violations } },
    durationMs: performance.now() - started,
  };
}
