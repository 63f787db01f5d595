/**
 * Section 2: glossary autocomplete in-process. Our ranking (createGlossarySearch over FuzzyIndex) against fuse.js
 * on the same queries, over the real glossary and a synthetic 5,000-term one: latency per query and top-1 accuracy.
 */
import { performance } from 'node:perf_hooks';
import Fuse, { type IFuseOptions } from 'fuse.js';
import queries from '../../test/fixtures/glossary-queries.json' with { type: 'json' };
import { createGlossarySearch } from '../../src/domain/glossary-search.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import type { GlossaryTerm } from '../../src/registry/schema.ts';
import { figure, type Figure, type SectionResult } from '../lib/figures.ts';
import { gc, pick, rng, roundSummary, summarize, type Summary } from '../lib/stats.ts';
import { AUTOCOMPLETE_QUERIES } from '../lib/workload.ts';

const LIMIT = 25;
export const FUSE_OPTIONS: IFuseOptions<GlossaryTerm> = {
  keys: ['term', 'aliases'],
  threshold: 0.4,
  ignoreLocation: true,
  includeScore: true,
};
const FUSE_TEXT = "fuse.js 7.5, keys ['term', 'aliases'], threshold 0.4, ignoreLocation true, includeScore true, search(q, { limit: 25 }); index built once, outside the timings";

/** The real terms plus generated ones up to `size`: 2–3 words drawn from the real glossary's vocabulary, a third with an abbreviation. */
export function syntheticGlossary(real: readonly GlossaryTerm[], size: number): GlossaryTerm[] {
  const random = rng(2024);
  const vocabulary = [...new Set(real.flatMap((t) => t.term.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 3))];
  const seen = new Set(real.map((t) => t.term.toLowerCase()));
  const out = [...real];
  while (out.length < size) {
    const words = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(vocabulary, random));
    const term = words.join(' ');
    if (seen.has(term) || new Set(words).size !== words.length) continue;
    seen.add(term);
    const n = out.length;
    out.push({
      id: `synthetic-${n}`,
      term: term[0]!.toUpperCase() + term.slice(1),
      aliases: random() < 0.33 ? [words.map((w) => w[0]).join('').toUpperCase() + (n % 97)] : [],
      section: 'Synthetic',
      definition: 'A generated entry used only to measure how lookup scales with the size of the glossary.',
      gist: 'A generated entry for the benchmark.',
      related: [],
      resources: [],
      source: { label: 'benchmark', url: 'https://example.invalid/' },
      core: false,
    } as GlossaryTerm);
  }
  return out;
}

interface Measured {
  ours: Summary;
  fuse: Summary;
  oursTotalMs: number;
  fuseTotalMs: number;
  oursTop1: number;
  fuseTop1: number;
  oursBuildMs: number;
  fuseBuildMs: number;
  misses: { ours: string[]; fuse: string[] };
}

function measure(terms: readonly GlossaryTerm[], passes: { ours: number; fuse: number }): Measured {
  let t0 = performance.now();
  const ours = createGlossarySearch(terms);
  const oursBuildMs = performance.now() - t0;
  t0 = performance.now();
  const fuse = new Fuse([...terms], FUSE_OPTIONS);
  const fuseBuildMs = performance.now() - t0;

  const oursTop = (q: string) => ours.suggest(q, LIMIT)[0]?.item.id;
  const fuseTop = (q: string) => fuse.search(q, { limit: LIMIT })[0]?.item.id;
  const oursMisses = queries.filter((q) => oursTop(q.query) !== q.expected).map((q) => `${q.query} → ${oursTop(q.query) ?? '∅'}`);
  const fuseMisses = queries.filter((q) => fuseTop(q.query) !== q.expected).map((q) => `${q.query} → ${fuseTop(q.query) ?? '∅'}`);

  const list = AUTOCOMPLETE_QUERIES;
  // Warm-up: the accuracy pass above, plus one pass of ours and a sample for fuse.js (which is slow at 5,000 terms).
  for (const q of list) ours.suggest(q, LIMIT);
  for (const q of list.slice(0, 100)) fuse.search(q, { limit: LIMIT });
  gc();
  const oursMs: number[] = [];
  const fuseMs: number[] = [];
  const timeOurs = (q: string) => {
    const s = performance.now();
    ours.suggest(q, LIMIT);
    oursMs.push(performance.now() - s);
  };
  const timeFuse = (q: string) => {
    const s = performance.now();
    fuse.search(q, { limit: LIMIT });
    fuseMs.push(performance.now() - s);
  };
  for (let pass = 0; pass < Math.max(passes.ours, passes.fuse); pass++) {
    for (const q of list) {
      // Interleaved per query, alternating which engine goes first, so both see the same machine noise.
      const both = pass < passes.fuse && pass < passes.ours;
      if (both && pass % 2 === 1) (timeFuse(q), timeOurs(q));
      else {
        if (pass < passes.ours) timeOurs(q);
        if (pass < passes.fuse) timeFuse(q);
      }
    }
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    ours: summarize(oursMs),
    fuse: summarize(fuseMs),
    oursTotalMs: sum(oursMs),
    fuseTotalMs: sum(fuseMs),
    oursTop1: 1 - oursMisses.length / queries.length,
    fuseTop1: 1 - fuseMisses.length / queries.length,
    oursBuildMs,
    fuseBuildMs,
    misses: { ours: oursMisses, fuse: fuseMisses },
  };
}

export async function run(): Promise<SectionResult> {
  const started = performance.now();
  const registry = loadRegistry(DATA_DIR);
  const real = measure(registry.terms, { ours: 4, fuse: 2 });
  const big = syntheticGlossary(registry.terms, 5_000);
  const large = measure(big, { ours: 3, fuse: 1 });

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const figures: Figure[] = [];
  for (const [key, name, m, p99Target] of [
    ['real', `real glossary (${registry.terms.length} terms)`, real, 1],
    ['5k', 'synthetic 5,000 terms', large, 5],
  ] as const) {
    const speed = m.fuse.mean / m.ours.mean;
    figures.push(
      figure('glossary', `${key}.p50`, `${name}: p50`, m.ours.p50, 'ms'),
      figure('glossary', `${key}.p99`, `${name}: p99`, m.ours.p99, 'ms', { target: { op: '<=', value: p99Target } }),
      figure('glossary', `${key}.speedup`, `${name}: fuse.js time ÷ ours`, speed, '×', {
        target: { op: '>=', value: 5 },
        display: `${speed.toFixed(1)}× (mean ${m.ours.mean.toFixed(3)} vs ${m.fuse.mean.toFixed(3)} ms; p50 ${(m.fuse.p50 / m.ours.p50).toFixed(1)}×)`,
      }),
      figure('glossary', `${key}.top1`, `${name}: top-1, ours − fuse.js`, (m.oursTop1 - m.fuseTop1) * 100, 'pp', {
        target: { op: '>=', value: 0 },
        display: `ours ${pct(m.oursTop1)} vs fuse.js ${pct(m.fuseTop1)}`,
      }),
    );
  }

  const detail = (m: Measured) => ({
    ours: roundSummary(m.ours, 4),
    fuse: roundSummary(m.fuse, 4),
    oursTotalMs: m.oursTotalMs,
    fuseTotalMs: m.fuseTotalMs,
    oursTop1: m.oursTop1,
    fuseTop1: m.fuseTop1,
    buildMs: { ours: m.oursBuildMs, fuse: m.fuseBuildMs },
    misses: m.misses,
  });
  return {
    section: 'glossary',
    title: 'Glossary autocomplete (in-process)',
    figures,
    method: [
      `Ours: createGlossarySearch(terms).suggest(query, 25), which is what /glossary autocomplete calls. Against: ${FUSE_TEXT}.`,
      `Queries: the ${queries.length} queries of test/fixtures/glossary-queries.json plus the keystroke prefixes leading to each (every 3rd length), ${AUTOCOMPLETE_QUERIES.length} in all; each call timed singly, the two engines interleaved query by query, after a warm-up pass; ours 4 passes (real) / 3 (5k), fuse.js 2 / 1.`,
      `Top-1 accuracy: the fixture's expected term is the first result. The 5,000-term glossary is the real ${registry.terms.length} terms plus generated 2–3-word terms from the real vocabulary (a third with an abbreviation), so the fixture still applies.`,
      'Speed ratio: mean fuse.js time per query ÷ mean of ours over the same queries (the throughput ratio); the p50 ratio is shown beside it.',
    ],
    details: { queries: AUTOCOMPLETE_QUERIES.length, fuse: FUSE_OPTIONS, real: detail(real), synthetic5k: { terms: big.length, ...detail(large) } },
    durationMs: performance.now() - started,
  };
}
