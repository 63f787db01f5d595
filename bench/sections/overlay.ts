/**
 * Section: a server's overlay on the registry (issue #18). Glossary autocomplete over the real glossary plus 200
 * server terms, in-process; and /resources and /glossary lookup end to end in a server with an overlay against a
 * server without one, in the same bot and the same rounds.
 */
import { performance } from 'node:perf_hooks';
import { commands } from '../../commands/index.ts';
import { glossarySearch } from '../../src/domain/glossary-search.ts';
import type { Overlay } from '../../src/domain/overlay.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import type { GlossaryTerm, Resource } from '../../src/registry/schema.ts';
import { buildView } from '../../src/registry/view.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createRepositories } from '../../src/services.ts';
import { figure, type Figure, type SectionResult } from '../lib/figures.ts';
import { guildsFor, removeDir, startBenchBot, tempStore } from '../lib/bot.ts';
import { gc, median, pick, rng, roundSummary, shuffle, summarize } from '../lib/stats.ts';
import { AUTOCOMPLETE_QUERIES, pong, WORKLOADS, type Context } from '../lib/workload.ts';
import { syntheticGlossary } from './glossary.ts';

const SERVER_TERMS = 200;
const SERVER_RESOURCES = 40;
const AUTOCOMPLETE_PASSES = 20;
const ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 300);
const WARMUP_ROUNDS = 40;
const P99_TARGET_MS = 1;
const RATIO_TARGET = 1.1;

/** 200 server terms (generated from the real glossary's words, linked to shipped terms) and 40 resources. */
function serverOverlay(real: readonly GlossaryTerm[], shippedTopics: readonly string[]): Overlay {
  const random = rng(18);
  const generated = syntheticGlossary(real, real.length + SERVER_TERMS).slice(real.length);
  const terms = generated.map((t, i) => ({ ...t, id: `srv-${t.id}`, section: 'Server', related: [pick(real, random).id], ...(i % 3 === 0 ? { aliases: [] } : {}) }));
  const resources: Resource[] = Array.from({ length: SERVER_RESOURCES }, (_, i) => ({
    id: `srv-cohort-notes-${i}`,
    title: `Cohort notes week ${i}: ${terms[i]!.term}`,
    url: `https://example.org/cohort/${i}`,
    kind: 'guide',
    level: 'intro',
    topics: [pick(shippedTopics, random)],
    estMinutes: 30,
    prerequisites: [],
    authors: [],
    year: null,
    summary: 'Notes a cohort wrote for itself, used here only to measure a server overlay of realistic size.',
    terms: [terms[i]!.id, pick(real, random).id],
    unverified: [],
  }));
  return { topics: [], resources, terms, sets: [], problems: [], hidden: { terms: [real[3]!.id], resources: [], topics: [], sets: [], problems: [] } };
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);
  const overlay = serverOverlay(registry.terms, registry.topics.map((t) => t.id));

  // The view as a server sees it, built the way RegistryViews builds it after a change.
  const buildStart = performance.now();
  const { registry: view, dropped } = buildView(registry, overlay);
  const buildMs = performance.now() - buildStart;
  if (dropped.length) throw new Error(`overlay entries dropped: ${dropped.slice(0, 5).join(', ')}`);
  if (view.terms.length !== registry.terms.length + SERVER_TERMS - 1) throw new Error(`view has ${view.terms.length} terms`);
  const indexStart = performance.now();
  const search = glossarySearch(view);
  const indexMs = performance.now() - indexStart;

  // The shipped glossary alone, interleaved query by query, so machine noise shows in both.
  const shippedSearch = glossarySearch(registry);
  for (const q of AUTOCOMPLETE_QUERIES) (search.suggest(q, 25), shippedSearch.suggest(q, 25));
  gc();
  const autocompleteMs: number[] = [];
  const shippedMs: number[] = [];
  const time = (s: typeof search, q: string, into: number[]) => {
    const t0 = performance.now();
    s.suggest(q, 25);
    into.push(performance.now() - t0);
  };
  for (let pass = 0; pass < AUTOCOMPLETE_PASSES; pass++) {
    for (const q of AUTOCOMPLETE_QUERIES) {
      if (pass % 2 === 0) (time(search, q, autocompleteMs), time(shippedSearch, q, shippedMs));
      else (time(shippedSearch, q, shippedMs), time(search, q, autocompleteMs));
    }
  }
  const auto = summarize(autocompleteMs);
  const shippedAuto = summarize(shippedMs);

  // End to end: guild 0 has no overlay, guild 1 has the one above; both in one bot, interleaved in each round.
  const guilds = guildsFor(2);
  const { dir, storeUrl } = tempStore('overlay');
  const store = await openStore(storeUrl);
  const repos = createRepositories(store.keyv, store.locks);
  await repos.overlays.mutate(guilds[1]!.id, () => ({ next: overlay, result: undefined }));
  await store.close();
  const t = await startBenchBot({ guilds, storeUrl, commands: [...commands, pong] });
  const random = rng(11);
  const ctxFor = (i: number, reg: typeof registry): Context => ({
    registry: reg,
    random,
    guildId: guilds[i]!.id,
    channelId: guilds[i]!.channels[0]!.id,
    member: () => ({ id: String(300000000000100000n + BigInt(Math.floor(random() * 1000))), username: 'member' }),
    newClaimant: () => ({ id: '300000000000000099', username: 'claimant' }),
  });
  // Lookups in the overlay server draw from its view, so a third of them or so are server terms.
  const ctxs = [ctxFor(0, registry), ctxFor(1, view)];
  const measured = WORKLOADS.filter((w) => w.name === '/resources' || w.name === '/glossary lookup');
  const samples = new Map(measured.flatMap((w) => [0, 1].map((g) => [`${w.name}|${g}`, [] as number[]] as const)));
  const pairs = new Map(measured.map((w) => [w.name, [] as number[]]));
  let failures = 0;
  let violations = 0;
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    if (round === WARMUP_ROUNDS) gc();
    t.clock.advance(31_000);
    for (const workload of shuffle([...measured], random)) {
      const times: number[] = [];
      for (const g of shuffle([0, 1], random)) {
        const answer = await t.send(workload.build(ctxs[g]!));
        await t.bot.router.drain();
        if (round < WARMUP_ROUNDS) continue;
        samples.get(`${workload.name}|${g}`)!.push(answer.botMs);
        times[g] = answer.botMs;
        if (answer.body?.type !== 4) failures++;
        violations += answer.violations.length;
      }
      if (round >= WARMUP_ROUNDS) pairs.get(workload.name)!.push(times[1]! / times[0]!);
    }
  }
  await t.close();
  removeDir(dir);

  const figures: Figure[] = [
    figure('overlay', 'autocomplete.p99', `glossary autocomplete p99, real glossary + ${SERVER_TERMS} server terms`, auto.p99, 'ms', { target: { op: '<=', value: P99_TARGET_MS } }),
    figure('overlay', 'autocomplete.p50', 'glossary autocomplete p50, same', auto.p50, 'ms'),
    figure('overlay', 'autocomplete.shipped.p99', 'for comparison: the shipped glossary alone, p99 (same passes)', shippedAuto.p99, 'ms'),
    figure('overlay', 'view.build', 'building a server view after a change (checks + merge)', buildMs, 'ms'),
    figure('overlay', 'view.index', 'building its glossary search (the shipped index too, on first use)', indexMs, 'ms'),
  ];
  const perCommand: Record<string, unknown> = {};
  for (const w of measured) {
    const without = summarize(samples.get(`${w.name}|0`)!);
    const withOverlay = summarize(samples.get(`${w.name}|1`)!);
    const ratio = withOverlay.p50 / without.p50;
    perCommand[w.name] = { without: roundSummary(without), withOverlay: roundSummary(withOverlay), p50Ratio: ratio, pairRatioMedian: median(pairs.get(w.name)!) };
    const f = figure('overlay', `${w.name}.ratio`, `${w.name} p50 with an overlay ÷ without`, ratio, '×', {
      target: { op: '<=', value: RATIO_TARGET },
      display: `${ratio.toFixed(2)}× (${withOverlay.p50.toFixed(2)} vs ${without.p50.toFixed(2)} ms)`,
    });
    if (failures || violations) f.pass = false;
    figures.push(f);
  }

  return {
    section: 'overlay',
    title: 'A server overlay on the registry',
    figures,
    method: [
      `Overlay: ${SERVER_TERMS} generated server terms (2–3 words from the real glossary's vocabulary, a third with an abbreviation, each related to a shipped term), ${SERVER_RESOURCES} server resources, one shipped term hidden; built with buildView, as RegistryViews does once after a change.`,
      `Autocomplete: glossarySearch(view).suggest(q, 25) in-process over ${AUTOCOMPLETE_QUERIES.length} queries (the fixture's queries and their keystroke prefixes), ${AUTOCOMPLETE_PASSES} passes after one warm-up pass, interleaved query by query with the shipped glossary's own search (alternating which goes first). A view's search is the shipped index plus an index over the server's terms, merged (FuzzyUnion).`,
      `End to end: one real bot (startBot) against the loopback Discord, two guilds on one SQLite store, one with the overlay and one without; ${ROUNDS} measured rounds after ${WARMUP_ROUNDS} warm-up, each sending /resources and /glossary lookup (the latency section's workloads) to both guilds in a random order. Lookups draw terms from the guild's own view. Ratio = p50 with ÷ p50 without; the median of per-round pair ratios is in results.json.`,
    ],
    details: { autocomplete: roundSummary(auto), shippedAutocomplete: roundSummary(shippedAuto), buildMs, indexMs, perCommand, failures, violations, rounds: ROUNDS },
    durationMs: performance.now() - started,
  };
}
