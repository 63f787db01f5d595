import { describe, expect, it } from 'vitest';
import queries from '../fixtures/glossary-queries.json' with { type: 'json' };
import { createGlossarySearch } from '../../src/domain/glossary-search.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { editDistance, MatchTier, normalise } from '../../src/domain/fuzzy-index.ts';

const registry = loadRegistry(DATA_DIR);
const search = createGlossarySearch(registry.terms);

describe('glossary ranking', () => {
  it('has a fixture of at least 80 realistic queries whose expected terms exist', () => {
    expect(queries.length).toBeGreaterThanOrEqual(80);
    for (const q of queries) expect(registry.termById.has(q.expected), q.expected).toBe(true);
    for (const kind of ['typo', 'abbreviation', 'plural', 'hyphen', 'spelling', 'partial']) {
      expect(queries.filter((q) => q.kind === kind).length, kind).toBeGreaterThanOrEqual(8);
    }
  });

  it('puts the expected term first for at least 95% of the fixture', () => {
    const misses = queries.filter((q) => search.suggest(q.query)[0]?.item.id !== q.expected);
    const top1 = 1 - misses.length / queries.length;
    expect(top1, `misses: ${misses.map((m) => `${m.query} → ${search.suggest(m.query)[0]?.item.id}`).join('; ')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('ranks exact before prefix before word-prefix before fuzzy', () => {
    const tiers = search.suggest('induction').map((m) => m.tier);
    expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
    expect(search.suggest('induction head')[0]).toMatchObject({ tier: MatchTier.Exact });
  });

  it('returns at most 25 choices and the core terms for an empty query', () => {
    expect(search.suggest('a').length).toBeLessThanOrEqual(25);
    const core = search.suggest('');
    expect(core.length).toBeGreaterThan(0);
    expect(core.every((m) => m.item.core)).toBe(true);
  });

  it('resolves only unambiguous names and never auto-picks a weak match', () => {
    expect(search.resolve('DLA')?.id).toBe('direct-logit-attribution');
    expect(search.resolve('Induction Heads')?.id).toBe('induction-head');
    expect(search.resolve('induction')).toBeUndefined();
    expect(search.resolve('indcution hed')).toBeUndefined();
    // A miss suggests only spellings close enough to be worth a click, and nothing for nonsense.
    expect(search.didYouMean('qqqzzzxxx')).toEqual([]);
    expect(search.didYouMean('quantum blockchain')).toEqual([]);
    expect(search.didYouMean('superpositoin').map((t) => t.id)).toContain('superposition');
  });

  it('folds spelling variants and counts a transposition as one edit', () => {
    expect(normalise('Feature Visualisation')).toBe(normalise('feature-visualization'));
    expect(editDistance('indcution', 'induction')).toBe(1);
    expect(editDistance('abcd', 'dcba')).toBe(4);
  });
});
