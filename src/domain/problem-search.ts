/**
 * Finding problems: by bare id (ids are unique across sets), by id or summary words for autocomplete and
 * did-you-mean, and by the /problem random filters, with a hint about which filter to relax when nothing matches.
 */
import type { Registry } from '../registry/load.ts';
import { NEAREST_MAX_DISTANCE } from './glossary-search.ts';
import { problemKey } from '../registry/load.ts';
import type { Difficulty, Problem, ProblemSet } from '../registry/schema.ts';
import { FuzzyIndex, MAX_QUERY_LENGTH, MatchTier } from './fuzzy-index.ts';

export interface CategoryRef {
  set: ProblemSet;
  id: string;
  name: string;
}

export interface ProblemSearch {
  /** The problem with this id, ignoring case and surrounding space ("op-3" finds "OP-3"). */
  byId(id: string): Problem | undefined;
  /** Ranked matches on id and summary words; an empty query lists problems in registry order. */
  suggest(query: string, limit?: number): Problem[];
  /** Up to three problems for a miss: the best matches, or the nearest ids when nothing matched. */
  didYouMean(query: string): Problem[];
  /** Ranked categories, optionally within one set. */
  categories(query: string, setId?: string): CategoryRef[];
  /** The category a typed value names without doubt: its id, or a name only one category matches exactly. */
  resolveCategory(query: string, setId?: string): CategoryRef | undefined;
}

const cache = new WeakMap<Registry, ProblemSearch>();

export function problemSearch(registry: Registry): ProblemSearch {
  let search = cache.get(registry);
  if (!search) {
    search = createProblemSearch(registry);
    cache.set(registry, search);
  }
  return search;
}

/**
 * FuzzyIndex reads at most MAX_QUERY_LENGTH characters of a label, so a summary is indexed as several labels cut
 * at word boundaries; every word of it can then be found.
 */
export function chunkWords(text: string, max = MAX_QUERY_LENGTH): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > max) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current} ${word}` : word.slice(0, max);
  }
  if (current) chunks.push(current);
  return chunks;
}

function createProblemSearch(registry: Registry): ProblemSearch {
  const byLowerId = new Map(registry.problems.map((p) => [p.id.toLowerCase(), p]));
  // Summary and subcategory labels start with the id: otherwise a chunk that happens to begin with the query word
  // would rank as a prefix match, above the same word in the middle of another summary.
  const labels = (p: Problem) => [
    p.id,
    ...[...chunkWords(p.summary ?? '', MAX_QUERY_LENGTH - p.id.length - 1), ...(p.subcategory ? [p.subcategory] : [])].map((text) => `${p.id} ${text}`),
  ];
  const index = new FuzzyIndex(registry.problems, labels);
  const idsOnly = new FuzzyIndex(registry.problems, (p) => [p.id]);
  const categories: CategoryRef[] = registry.sets.flatMap((set) => set.categories.map((c) => ({ set, id: c.id, name: c.name })));
  const categoryIndex = new FuzzyIndex(categories, (c) => [c.name, c.id]);
  const inSet = (setId?: string) => (c: CategoryRef) => setId === undefined || c.set.id === setId;

  return {
    byId: (id) => byLowerId.get(id.trim().toLowerCase()),
    suggest(query, limit = 25) {
      if (query.trim() === '') return registry.problems.slice(0, limit);
      return index.search(query, limit).map((m) => m.item);
    },
    didYouMean(query) {
      const matches = index.search(query, 3);
      // Close spellings of an id only ("1.1O" → 1.10); nonsense gets no suggestion.
      return (matches.length > 0 ? matches : idsOnly.nearest(query, 3, NEAREST_MAX_DISTANCE)).map((m) => m.item);
    },
    categories(query, setId) {
      if (query.trim() === '') return categories.filter(inSet(setId));
      return categoryIndex.search(query, 50).map((m) => m.item).filter(inSet(setId));
    },
    resolveCategory(query, setId) {
      const trimmed = query.trim();
      const direct = categories.filter(inSet(setId)).filter((c) => c.id.toLowerCase() === trimmed.toLowerCase());
      if (direct.length === 1) return direct[0];
      const exact = categoryIndex
        .search(trimmed, 10)
        .filter((m) => m.tier === MatchTier.Exact && inSet(setId)(m.item));
      return exact.length === 1 ? exact[0]!.item : undefined;
    },
  };
}

// ---- /problem random ----

export interface RandomFilters {
  set?: string | undefined;
  category?: string | undefined;
  difficulty?: Difficulty | undefined;
  /** Only problems nobody in this server has a current claim on. */
  unclaimed: boolean;
}

export type FilterName = 'set' | 'category' | 'difficulty' | 'unclaimed';

/**
 * Problems a draw can land on. Problems whose text was never recovered are left out of draws (there is nothing
 * to read on the card); /problem show still finds them.
 */
export function matchProblems(problems: readonly Problem[], filters: RandomFilters, claimed: ReadonlySet<string>): Problem[] {
  return problems.filter(
    (p) =>
      p.summary !== null &&
      (filters.set === undefined || p.set === filters.set) &&
      (filters.category === undefined || p.category === filters.category) &&
      // Unrated problems never match a difficulty: their difficulty is unknown, not easy.
      (filters.difficulty === undefined || p.difficulty === filters.difficulty) &&
      (!filters.unclaimed || !claimed.has(problemKey(p.set, p.id))),
  );
}

/** For each filter in use, how many problems match with only that filter dropped (most helpful first). */
export function relaxations(problems: readonly Problem[], filters: RandomFilters, claimed: ReadonlySet<string>): { filter: FilterName; count: number }[] {
  const used: FilterName[] = (['unclaimed', 'difficulty', 'category', 'set'] as const).filter((f) =>
    f === 'unclaimed' ? filters.unclaimed : filters[f] !== undefined,
  );
  return used
    .map((filter) => ({ filter, count: matchProblems(problems, { ...filters, [filter]: filter === 'unclaimed' ? false : undefined }, claimed).length }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count);
}

/** One problem at random, avoiding `avoid` (the one on screen) when there is any other choice. */
export function drawProblem(candidates: readonly Problem[], random: () => number = Math.random, avoid?: string): Problem | undefined {
  const pool = candidates.length > 1 && avoid !== undefined ? candidates.filter((p) => p.id !== avoid) : candidates;
  return pool[Math.floor(random() * pool.length)];
}
