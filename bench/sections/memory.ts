/**
 * Section 5: memory. The real bot entry point runs in a child process (the compiled build, as `npm start` runs
 * it) against a loopback Discord with 100 guilds served from this process; 10,000 interactions are spread over
 * the guilds, then the child reports its RSS after a forced GC. The emulator and this harness are not counted.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { LoopbackDiscord } from '../../test/harness/loopback-discord.ts';
import { figure, type SectionResult } from '../lib/figures.ts';
import { CallbackTracker, guildsFor, removeDir, tempStore } from '../lib/bot.ts';
import { DIST_ENTRY } from '../lib/build.ts';
import { spawnBot, startScriptEnv, startScriptNodeFlags, type Flavour } from '../lib/child.ts';
import { memberId } from '../lib/seed.ts';
import { pick, rng } from '../lib/stats.ts';
import { failureOf, WORKLOADS, type Context } from '../lib/workload.ts';

const GUILDS = 100;
const INTERACTIONS = Number(process.env.BENCH_MEMORY_INTERACTIONS ?? 10_000);
const MEMBERS_PER_GUILD = 50;
const CONCURRENCY = 8;
const TARGET_MB = 120;
const PROBE = pathToFileURL(join(fileURLToPath(new URL('..', import.meta.url)), 'children', 'memory-probe.mjs')).href;
const MB = 1024 * 1024;

interface MemoryReport {
  usage: NodeJS.MemoryUsage;
  /** Read straight after the GC, before the settle delay. */
  immediate: { usage: NodeJS.MemoryUsage };
  mappings: { mapping: string; rss: number }[] | null;
  peakRss: number | null;
  gcAvailable: boolean;
  gcRan: boolean;
}

const SETTLE_MS = 2_000;

function measure(child: ChildProcess, gc: boolean): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('memory probe did not answer')), 10_000);
    const onMessage = (message: any) => {
      if (message?.type !== 'memory') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as MemoryReport);
    };
    child.on('message', onMessage);
    child.send({ type: 'measure', gc, settleMs: gc ? SETTLE_MS : 0 });
  });
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);
  const flavour: Flavour = existsSync(DIST_ENTRY) ? 'compiled' : 'tsx';
  const guilds = guildsFor(GUILDS);
  const discord = new LoopbackDiscord({ guilds });
  await discord.start();
  const tracker = new CallbackTracker(discord);
  const { dir, storeUrl } = tempStore('memory');

  const bot = spawnBot({ flavour, env: { DISCORD_API_URL: discord.apiBase, STORE_URL: storeUrl }, nodeArgs: ['--expose-gc', '--import', PROBE], ipc: true });
  try {
    await bot.ready;
    const atReady = await measure(bot.child, true);

    const random = rng(3);
    const claimants = new Array<number>(GUILDS).fill(0);
    const context = (g: number): Context => ({
      registry,
      random,
      guildId: guilds[g]!.id,
      channelId: guilds[g]!.channels[0]!.id,
      member: () => ({ id: memberId(g * 1_000 + Math.floor(random() * MEMBERS_PER_GUILD)), username: 'member' }),
      newClaimant: () => ({ id: memberId(g * 1_000 + 500 + claimants[g]!++), username: 'claimant' }),
    });
    const contexts = guilds.map((_, g) => context(g));
    const counts = new Map<string, number>();
    const failures: string[] = [];
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      while (next < INTERACTIONS) {
        const i = next++;
        const workload = pick(WORKLOADS, random);
        const payload = workload.build(contexts[i % GUILDS]!);
        const callback = tracker.expect(payload.id, 15_000);
        discord.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
        const { request } = await callback;
        counts.set(workload.name, (counts.get(workload.name) ?? 0) + 1);
        const failure = failureOf(request.body);
        if (failure) failures.push(`${workload.name}: ${failure}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sendMs = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 500)); // let handlers finish what they do after answering
    const noGc = await measure(bot.child, false);
    const afterGc = await measure(bot.child, true);
    const code = await bot.stop();

    const rss = afterGc.usage.rss / MB;
    const mapped = (r: MemoryReport, test: (m: string) => boolean) => (r.mappings ?? []).filter((m) => test(m.mapping)).reduce((n, m) => n + m.rss, 0) / MB;
    const anatomy = (r: MemoryReport) =>
      `RSS ${(r.usage.rss / MB).toFixed(0)} MB: V8 heap committed ${(r.usage.heapTotal / MB).toFixed(0)} MB (used ${(r.usage.heapUsed / MB).toFixed(0)}), ` +
      `node binary mapped ${mapped(r, (m) => /\/node$/.test(m)).toFixed(0)} MB, anonymous ${mapped(r, (m) => m === '[anonymous]').toFixed(0)} MB (includes the V8 heap), ` +
      `malloc [heap] ${mapped(r, (m) => m === '[heap]').toFixed(0)} MB`;
    return {
      section: 'memory',
      title: 'Memory after 10,000 interactions over 100 guilds',
      figures: [
        figure('memory', 'rssAfterGc', `RSS after ${INTERACTIONS.toLocaleString('en')} interactions${afterGc.gcRan ? ', forced GC + 2 s' : ' (no GC available)'}`, rss, 'MB', {
          target: { op: '<=', value: TARGET_MB },
          note: `${failures.length ? `${failures.length} error replies; ` : ''}after GC ${anatomy(afterGc)}; at ready ${anatomy(atReady)}`,
        }),
        figure('memory', 'rssBeforeGc', 'RSS before the forced GC', noGc.usage.rss / MB, 'MB'),
        figure('memory', 'rssAtReady', 'RSS at ready (forced GC + 2 s)', atReady.usage.rss / MB, 'MB'),
        figure('memory', 'heapUsedAfterGc', 'V8 heap used after GC', afterGc.usage.heapUsed / MB, 'MB'),
        figure('memory', 'peakRss', 'peak RSS during the run (VmHWM)', afterGc.peakRss === null ? null : afterGc.peakRss / MB, 'MB'),
      ],
      method: [
        `Child process: ${Object.entries(startScriptEnv()).map(([k, v]) => `${k}=${v} `).join('')}node ${startScriptNodeFlags().join(' ')} (the flags npm start uses) ${process.env.BENCH_BOT_NODE_ARGS ? `${process.env.BENCH_BOT_NODE_ARGS} (BENCH_BOT_NODE_ARGS) ` : ''}--expose-gc --import bench/children/memory-probe.mjs ${flavour === 'compiled' ? 'dist/src/index.js (the compiled build npm start runs)' : 'src/index.ts via tsx (dist/ was not available)'}, a fresh SQLite file, LOG_LEVEL=info; the probe only reports process.memoryUsage() over IPC.`,
        `RSS is read ${SETTLE_MS / 1000} s after a forced full GC (gc() twice): V8 hands the freed pages back to the OS from a background task, and reading at once overstates RSS by 10–30 MB (the immediate reading is in results.json).`,
        `${INTERACTIONS.toLocaleString('en')} interactions, the 12 measured commands drawn at random, round-robin over ${GUILDS} guilds, ${MEMBERS_PER_GUILD} members per guild (${(GUILDS * MEMBERS_PER_GUILD).toLocaleString('en')} distinct users), ${CONCURRENCY} in flight; sent in ${(sendMs / 1000).toFixed(1)} s.`,
      ],
      details: {
        flavour,
        sendMs,
        perCommand: Object.fromEntries(counts),
        failures: failures.length,
        failureExamples: failures.slice(0, 5),
        atReady,
        beforeGc: noGc,
        afterGc,
        exitCode: code,
      },
      durationMs: performance.now() - started,
    };
  } finally {
    await bot.stop();
    await discord.stop();
    removeDir(dir);
  }
}
