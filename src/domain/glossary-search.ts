/** Glossary lookup: one fuzzy index over every term and alias, built once per registry. */
import type { GlossaryTerm } from '../registry/schema.ts';
import type { Registry } from '../registry/load.ts';
import { FuzzyIndex, FuzzyUnion, MatchTier, type Match } from './fuzzy-index.ts';

export interface GlossarySearch {
  /** Ranked matches for autocomplete. An empty query gives the core terms a newcomer needs first. */
  suggest(query: string, limit?: number): Match<GlossaryTerm>[];
  /** The single term a query names without doubt (id, term or alias, up to spelling variants), if any. */
  resolve(query: string): GlossaryTerm | undefined;
  /** Up to three suggestions for a miss: the best matches, or the nearest spellings when nothing matched. */
  didYouMean(query: string): GlossaryTerm[];
}

/** Edits per character beyond which a spelling is too far from the query to suggest. */
export const NEAREST_MAX_DISTANCE = 0.35;

/** Keyed by the terms list, so server views that share the shipped terms also share the index. */
const cache = new WeakMap<readonly GlossaryTerm[], GlossarySearch>();

export function glossarySearch(registry: Registry): GlossarySearch {
  let search = cache.get(registry.terms);
  if (!search) {
    // A server's view: the shipped terms' index (built once, shared by every server) plus one over its own terms.
    const layers = registry.termLayers;
    const index = layers ? new FuzzyUnion([termIndex(layers.base), termIndex(layers.extra)], layers.hidden.size ? (t) => layers.hidden.has(t.id) : undefined) : termIndex(registry.terms);
    search = createGlossarySearch(registry.terms, index);
    cache.set(registry.terms, search);
  }
  return search;
}

const indexes = new WeakMap<readonly GlossaryTerm[], FuzzyIndex<GlossaryTerm>>();
function termIndex(terms: readonly GlossaryTerm[]): FuzzyIndex<GlossaryTerm> {
  let index = indexes.get(terms);
  if (!index) indexes.set(terms, (index = new FuzzyIndex(terms, (t) => [t.term, ...t.aliases], (t) => (t.core ? 1 : 0))));
  return index;
}

type TermIndex = Pick<FuzzyIndex<GlossaryTerm>, 'search' | 'nearest'>;

export function createGlossarySearch(terms: readonly GlossaryTerm[], index: TermIndex = termIndex(terms)): GlossarySearch {
  const byId = new Map(terms.map((t) => [t.id, t]));
  const core = terms.filter((t) => t.core);
  return {
    suggest(query, limit = 25) {
      if (query.trim() === '') {
        return core.slice(0, limit).map((item) => ({ item, label: item.term, primary: true, tier: MatchTier.Exact, cost: 0 }));
      }
      return index.search(query, limit);
    },
    resolve(query) {
      const trimmed = query.trim();
      const direct = byId.get(trimmed);
      if (direct) return direct;
      const exact = index.search(trimmed, 2).filter((m) => m.tier === MatchTier.Exact);
      return exact.length === 1 ? exact[0]!.item : undefined;
    },
    didYouMean(query) {
      const matches = index.search(query, 3);
      // A spelling within about a third of the letters is worth suggesting; "quantum blockchain" → "Logits" is not.
      const picks = matches.length > 0 ? matches : index.nearest(query, 3, NEAREST_MAX_DISTANCE);
      return picks.map((m) => m.item);
    },
  };
}
