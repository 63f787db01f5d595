/**
 * Reading sessions: `when` autocomplete in-process (chrono-node parsing in the group's zone plus the choice
 * labels), and /session schedule end to end through the loopback Discord against a baseline that makes the same
 * REST calls: a bench-only command that defers and replays the very requests a schedule sent (create event, post
 * announcement, start thread, post thread opener, edit the reply), with the same bodies and in the same order,
 * but reads and writes nothing and renders nothing. The difference is the bot's own work.
 */
import { performance } from 'node:perf_hooks';
import { MessageFlags, Routes } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { defineCommand } from '../../src/discord/command.ts';
import { whenChoices } from '../../src/domain/when.ts';
import { figure, type SectionResult } from '../lib/figures.ts';
import { BENCH_NOW, guildsFor, removeDir, startBenchBot, tempStore } from '../lib/bot.ts';
import { gc, roundSummary, summarize } from '../lib/stats.ts';
import { pong } from '../lib/workload.ts';
import { ADMIN, chatInput, str, sub } from '../../test/harness/interactions.ts';
import type { CapturedRequest } from '../../test/harness/loopback-discord.ts';

const PHRASES = ['next tuesday 18:00', 'in 3 days at 5pm', '2027-01-12 19:30', 'tomorrow at 7pm', 'friday 18:30', 'tuesday 6', '25 october 2026 01:30', 'in 2 hours'];
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'];
const AUTOCOMPLETE_CALLS = 5_000;
const ROUNDS = Number(process.env.BENCH_SESSIONS_ROUNDS ?? 150);
const WARMUP = 20;
/** Requests /session schedule makes beyond pong's one callback. */
const EXTRA_REST_CALLS = 5;

/** The requests a schedule sent, captured once after the warm-up, for the baseline to replay. */
interface Replay {
  event: unknown;
  announcementChannel: string;
  announcement: unknown;
  thread: unknown;
  opener: unknown;
  edit: string;
}
let replay: Replay | null = null;

/** The baseline: defer, then the same four REST calls with the same bodies, then the same edit; nothing else. */
const scheduleBaseline = defineCommand({
  data: { name: 'schedulebase', description: 'Benchmark baseline: replays the REST calls of /session schedule' },
  async execute(interaction) {
    const r = replay!;
    const rest = interaction.client.rest;
    const deferred = interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await rest.post(Routes.guildScheduledEvents(interaction.guildId!), { body: r.event });
    const message = (await rest.post(Routes.channelMessages(r.announcementChannel), { body: r.announcement })) as { id: string };
    const thread = (await rest.post(Routes.threads(r.announcementChannel, message.id), { body: r.thread })) as { id: string };
    // As the command does: the thread's opening message and the answer travel side by side.
    const opener = rest.post(Routes.channelMessages(thread.id), { body: r.opener });
    await deferred;
    await interaction.editReply({ content: r.edit });
    await opener;
  },
});

function captureReplay(requests: readonly CapturedRequest[], token: string): Replay {
  const post = (test: (path: string) => boolean) => {
    const found = requests.find((r) => r.method === 'POST' && test(r.path));
    if (!found) throw new Error('could not capture a /session schedule request to replay');
    return found;
  };
  const event = post((p) => /\/guilds\/\d+\/scheduled-events$/.test(p));
  const announcement = post((p) => /\/channels\/\d+\/messages$/.test(p));
  const thread = post((p) => /\/channels\/\d+\/messages\/\d+\/threads$/.test(p));
  const threadId = requests.filter((r) => r.method === 'POST' && /\/channels\/\d+\/messages$/.test(r.path) && r !== announcement);
  const edit = requests.find((r) => r.kind === 'webhook-edit' && r.path.includes(`/${token}/`));
  if (!threadId[0] || !edit) throw new Error('could not capture a /session schedule request to replay');
  return {
    event: event.body,
    announcementChannel: /\/channels\/(\d+)\//.exec(announcement.path)![1]!,
    announcement: announcement.body,
    thread: thread.body,
    opener: threadId[0].body,
    edit: edit.body.content,
  };
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

  // 2. /session schedule end to end vs pong, both timed from dispatch to the last request the emulator receives.
  const [guild] = guildsFor(1);
  const { dir, storeUrl } = tempStore('sessions');
  const t = await startBenchBot({ guilds: [guild!], storeUrl, commands: [...commands, pong, scheduleBaseline] });
  const where = { guildId: guild!.id, channelId: guild!.channels[0]!.id, user: ADMIN };
  const until = (match: (r: CapturedRequest) => boolean) =>
    new Promise<number>((resolve) => {
      const listener = (r: CapturedRequest) => {
        if (!match(r)) return;
        t.discord.off('request', listener);
        resolve(performance.now());
      };
      t.discord.on('request', listener);
    });
  const pongMs: number[] = [];
  const scheduleMs: number[] = [];
  const restMs: number[] = [];
  const baseMs: number[] = [];
  let failures = 0;
  let violations = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    t.clock.advance(60_000);
    const p = chatInput('pong', [], where);
    const pongDone = until((r) => r.kind === 'callback' && r.path.includes(`/${p.id}/`));
    const p0 = performance.now();
    t.discord.dispatch('INTERACTION_CREATE', p, guild!.id);
    const pongAt = await pongDone;
    await t.bot.router.drain();
    const s = chatInput('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', 'in 3 days at 5pm')])], where);
    const scheduleDone = until((r) => r.kind === 'webhook-edit' && r.path.includes(`/${s.token}/`));
    const s0 = performance.now();
    t.discord.dispatch('INTERACTION_CREATE', s, guild!.id);
    const scheduleAt = await scheduleDone;
    await t.bot.router.drain();
    const edit = t.discord.requests.find((r) => r.kind === 'webhook-edit' && r.path.includes(`/${s.token}/`));
    if (!/^Scheduled/.test(edit?.body?.content ?? '')) failures++;
    if (!replay) {
      const from = t.discord.requests.findIndex((r) => r.kind === 'callback' && r.path.includes(`/${s.id}/`));
      replay = captureReplay(t.discord.requests.slice(Math.max(0, from)), s.token);
    }
    // The baseline: the same REST calls, replayed by a handler that does nothing else.
    const b = chatInput('schedulebase', [], where);
    const baseDone = until((r) => r.kind === 'webhook-edit' && r.path.includes(`/${b.token}/`));
    const b0 = performance.now();
    t.discord.dispatch('INTERACTION_CREATE', b, guild!.id);
    const baseAt = await baseDone;
    await t.bot.router.drain();
    violations += t.discord.violations().length;
    if (t.discord.requests.length > 2_000) t.discord.requests.splice(0, t.discord.requests.length);
    // One bare REST round trip through the bot's own REST client: the unit the allowance is counted in.
    const r0 = performance.now();
    await t.bot.client.rest.get('/users/@me');
    const restAt = performance.now();
    if (round < WARMUP) continue;
    pongMs.push(pongAt - p0);
    scheduleMs.push(scheduleAt - s0);
    restMs.push(restAt - r0);
    baseMs.push(baseAt - b0);
  }
  await t.close();
  removeDir(dir);
  const pongS = summarize(pongMs);
  const schedS = summarize(scheduleMs);
  const restS = summarize(restMs);
  const baseS = summarize(baseMs);
  const allowance = pongS.p50 + EXTRA_REST_CALLS * restS.p50;
  const over = schedS.p50 - baseS.p50;
  return {
    section: 'sessions',
    title: 'Reading sessions',
    figures: [
      figure('sessions', 'when-autocomplete.p99', '`when` autocomplete p99 (in-process)', acSummary.p99, 'ms', { target: { op: '<=', value: 5 } }),
      figure('sessions', 'when-autocomplete.p50', '`when` autocomplete p50 (in-process)', acSummary.p50, 'ms'),
      figure('sessions', 'pong.p50', 'pong p50 (dispatch → callback at the emulator)', pongS.p50, 'ms'),
      figure('sessions', 'rest.p50', 'one REST round trip p50 (bot client → emulator)', restS.p50, 'ms'),
      figure('sessions', 'schedule.p50', '/session schedule p50 (dispatch → final edit at the emulator)', schedS.p50, 'ms'),
      figure('sessions', 'baseline.p50', 'same REST calls replayed p50 (defer, event, announcement, thread, then opener alongside the edit)', baseS.p50, 'ms'),
      figure('sessions', 'schedule.over-pong-rest', `/session schedule p50 − (pong p50 + ${EXTRA_REST_CALLS} × bare REST p50)`, schedS.p50 - allowance, 'ms'),
      figure('sessions', 'schedule.over', '/session schedule p50 − same-REST-calls baseline p50', over, 'ms', {
        target: { op: '<=', value: 1 },
        ...(failures || violations ? { note: `${failures} failed, ${violations} payload violations` } : {}),
      }),
    ],
    method: [
      `when autocomplete: whenChoices() called ${AUTOCOMPLETE_CALLS} times in this process on every keystroke prefix of ${PHRASES.length} phrases, in ${ZONES.length} zones, after 500 warm-up calls.`,
      `/session schedule: ${ROUNDS} rounds after ${WARMUP} warm-up, each a pong then a schedule (no location, so no channel lookup), through the real bot and the loopback Discord on SQLite. Timed from the gateway dispatch to the emulator receiving the last request (pong: its callback; schedule: the deferred reply's edit).`,
      `Scheduling makes ${EXTRA_REST_CALLS + 1} requests where pong makes one (deferral, create event, post announcement, start thread, post the thread opener, edit the reply). The target compares it with a baseline command, in the same rounds, that makes those same requests with the bodies a schedule sent (captured once after the warm-up), in the same order (deferral alongside the event, the thread opener alongside the edit), through the same REST client and emulator, so payload validation and routing cost the same on both sides and the difference is the store, parsing and rendering. Every request the emulator receives is validated against Discord's OpenAPI schema, so a bare GET /users/@me (the older pong + ${EXTRA_REST_CALLS} × REST allowance, still shown) undercounts what a POST with an embed costs.`,
    ],
    details: { autocomplete: roundSummary(acSummary), pong: roundSummary(pongS), schedule: roundSummary(schedS), rest: roundSummary(restS), baseline: roundSummary(baseS), allowance, failures, violations },
    durationMs: performance.now() - started,
  };
}
