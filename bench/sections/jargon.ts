/**
 * Explain jargon (issue #16): detection in-process on 2,000-character study-channel messages, and the two ways a
 * member asks for it (the "Explain jargon" message command and /glossary explain) end to end through the loopback
 * Discord, against the pong baseline handled by the same client in the same rounds.
 */
import { performance } from 'node:perf_hooks';
import fixture from '../../test/fixtures/jargon-messages.json' with { type: 'json' };
import { commands } from '../../commands/index.ts';
import { findJargon, jargonMatcher } from '../../src/glossary/explain.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { EXPLAIN_JARGON_COMMAND } from '../../src/render/jargon.ts';
import { channelMessage, chatInput, messageCommand, str, sub } from '../../test/harness/interactions.ts';
import { figure, type SectionResult } from '../lib/figures.ts';
import { guildsFor, removeDir, startBenchBot, tempStore } from '../lib/bot.ts';
import { gc, pick, rng, roundSummary, shuffle, summarize } from '../lib/stats.ts';
import { failureOf, pong } from '../lib/workload.ts';

const LENGTH = 2_000;
const DETECTIONS = 5_000;
const ROUNDS = Number(process.env.BENCH_JARGON_ROUNDS ?? 300);
const WARMUP = 40;

/** Fixture messages joined in a seeded random order and cut at a word boundary to `length` characters. */
export function longMessages(count: number, length: number, seed = 16): string[] {
  const random = rng(seed);
  const texts = fixture.messages.map((m) => m.text);
  return Array.from({ length: count }, () => {
    let out = '';
    while (out.length < length) out += (out ? ' ' : '') + pick(texts, random);
    const cut = out.lastIndexOf(' ', length);
    return out.slice(0, cut > 0 ? cut : length);
  });
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);

  // 1. Detection in-process: the matcher is built once (app start-up does this), then each message scanned.
  let t0 = performance.now();
  jargonMatcher(registry);
  const buildMs = performance.now() - t0;
  const messages = longMessages(64, LENGTH);
  for (let i = 0; i < 500; i++) findJargon(registry, messages[i % messages.length]!);
  gc();
  const detect: number[] = [];
  let hits = 0;
  for (let i = 0; i < DETECTIONS; i++) {
    t0 = performance.now();
    hits += findJargon(registry, messages[i % messages.length]!).length;
    detect.push(performance.now() - t0);
  }
  const detectS = summarize(detect);

  // 2. End to end: pong, the message command on a 2,000-character message, and /glossary explain with the same text.
  const [guild] = guildsFor(1);
  const where = { guildId: guild!.id, channelId: guild!.channels[0]!.id };
  const { dir, storeUrl } = tempStore('jargon');
  const t = await startBenchBot({ guilds: [guild!], storeUrl, commands: [...commands, pong] });
  const random = rng(11);
  const kinds = {
    pong: () => chatInput('pong', [], where),
    'Explain jargon': () => messageCommand(EXPLAIN_JARGON_COMMAND, channelMessage({ content: pick(messages, random) }, undefined, where), where),
    '/glossary explain': () => chatInput('glossary', [sub('explain', [str('text', pick(messages, random))])], where),
  } as const;
  type Kind = keyof typeof kinds;
  const samples: Record<Kind, number[]> = { pong: [], 'Explain jargon': [], '/glossary explain': [] };
  let failures = 0;
  let violations = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const kind of shuffle(Object.keys(kinds) as Kind[], random)) {
      const answer = await t.send(kinds[kind]());
      await t.bot.router.drain();
      if (round < WARMUP) continue;
      samples[kind].push(answer.botMs);
      if (failureOf(answer.body)) failures++;
      violations += answer.violations.length;
    }
  }
  await t.close();
  removeDir(dir);

  const pongS = summarize(samples.pong);
  const figures = [
    figure('jargon', 'detect.p99', `detection on a ${LENGTH.toLocaleString('en')}-character message, p99 (in-process)`, detectS.p99, 'ms', { target: { op: '<=', value: 1 } }),
    figure('jargon', 'detect.p50', `detection on a ${LENGTH.toLocaleString('en')}-character message, p50`, detectS.p50, 'ms'),
    figure('jargon', 'pong.p50', 'pong p50', pongS.p50, 'ms'),
  ];
  const perCommand: Record<string, unknown> = { pong: roundSummary(pongS) };
  for (const kind of ['Explain jargon', '/glossary explain'] as const) {
    const s = summarize(samples[kind]);
    perCommand[kind] = roundSummary(s);
    figures.push(
      figure('jargon', `${kind}.delta`, `${kind} p50 − pong p50`, s.p50 - pongS.p50, 'ms', {
        target: { op: '<=', value: 1 },
        display: `+${(s.p50 - pongS.p50).toFixed(2)} ms (${s.p50.toFixed(2)} vs ${pongS.p50.toFixed(2)} ms)`,
        ...(failures || violations ? { note: `${failures} error replies, ${violations} payload violations` } : {}),
      }),
    );
  }
  return {
    section: 'jargon',
    title: 'Explain jargon',
    figures,
    method: [
      `Detection: findJargon() (the Aho-Corasick matcher over ${registry.terms.length} terms and their aliases, built once in ${buildMs.toFixed(1)} ms) on 64 messages of ${LENGTH.toLocaleString('en')} characters made by joining test/fixtures/jargon-messages.json texts in a seeded order; ${DETECTIONS.toLocaleString('en')} timed calls after 500 warm-up calls; ${(hits / DETECTIONS).toFixed(1)} terms found per message on average.`,
      `End to end: ${ROUNDS} rounds after ${WARMUP} warm-up, each sending pong, "Explain jargon" on a ${LENGTH.toLocaleString('en')}-character message and /glossary explain with such a text, in a fresh random order, through the real bot and the loopback Discord; time from gateway dispatch to the bot's REST client issuing the callback (as in the latency section).`,
    ],
    details: { detection: roundSummary(detectS, 4), matcherBuildMs: buildMs, perCommand, failures, violations },
    durationMs: performance.now() - started,
  };
}
