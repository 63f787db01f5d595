import { describe, expect, it } from 'vitest';
import { EMPTY_OVERLAY, overlaySafetyProblems, serverSlug, urlProblem, type Overlay } from '../../src/domain/overlay.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { applyHidden, buildView } from '../../src/registry/view.ts';
import { mergeOverlay, overlayProblems } from '../../src/curate/apply.ts';
import { parseAuthors, parseTermForm } from '../../src/curate/forms.ts';
import { exportFiles, parseImport } from '../../src/curate/portable.ts';
import type { GlossaryTerm } from '../../src/registry/schema.ts';
import { createGlossarySearch, glossarySearch } from '../../src/domain/glossary-search.ts';
import { FuzzyIndex } from '../../src/domain/fuzzy-index.ts';
import queries from '../fixtures/glossary-queries.json' with { type: 'json' };

const shipped = loadRegistry(DATA_DIR);
const term = (id: string, extra: Partial<GlossaryTerm> = {}): GlossaryTerm => ({
  id,
  term: id.replace(/^srv-/, '').replace(/-/g, ' '),
  aliases: [],
  section: 'Server',
  definition: 'A definition long enough to pass the glossary schema, which asks for eighty characters or more of prose.',
  gist: 'A server term used by the overlay tests.',
  related: [],
  resources: [],
  source: { label: 'example.org', url: 'https://example.org/x' },
  core: false,
  ...extra,
});
const withTerms = (...terms: GlossaryTerm[]): Overlay => ({ ...EMPTY_OVERLAY, terms });

describe('server overlay', () => {
  it('refuses unsafe URLs with the reason', () => {
    expect(urlProblem('https://example.org/paper')).toBeNull();
    expect(urlProblem('https://discord.com/channels/1/2/3')).toBeNull();
    expect(urlProblem('http://example.org')).toMatch(/https/);
    expect(urlProblem('https://a:b@example.org')).toMatch(/user name or password/);
    expect(urlProblem('https://example.org/x?token=abc')).toMatch(/token/);
    expect(urlProblem('https://discord.gg/abc')).toMatch(/invite/);
    expect(urlProblem('https://discord.com/invite/abc')).toMatch(/invite/);
    expect(urlProblem('https://www.discordapp.com/invite/abc')).toMatch(/invite/);
    expect(urlProblem('https://bit.ly/abc')).toMatch(/shorteners/);
    expect(urlProblem('https://grabify.link/abc')).toMatch(/IP-logging/);
    expect(urlProblem('not a url')).toMatch(/valid URL/);
  });

  it('namespaces server ids and refuses ids outside the namespace or invites in text', () => {
    expect(serverSlug('Logit Lens (cohort)')).toBe('srv-logit-lens-cohort');
    expect(serverSlug('!!!')).toBe('srv-entry');
    expect(serverSlug('a'.repeat(100)).length).toBeLessThanOrEqual(40);
    expect(overlaySafetyProblems(withTerms(term('logit-lens-2')))).toEqual([expect.stringContaining('must start with "srv-"')]);
    expect(overlaySafetyProblems(withTerms(term('srv-x', { definition: `Join us at discord.gg/abc ${'x'.repeat(80)}` })))).toEqual([expect.stringContaining('invite')]);
  });

  it('checks server entries with the same cross-reference checks as data/, against shipped + overlay', () => {
    expect(overlayProblems(shipped, withTerms(term('srv-a', { related: ['induction-head', 'srv-b'] }), term('srv-b')))).toEqual([]);
    expect(overlayProblems(shipped, withTerms(term('srv-a', { related: ['no-such-term'] })))).toEqual([expect.stringContaining('unknown glossary id "no-such-term"')]);
    expect(overlayProblems(shipped, withTerms(term('srv-a', { aliases: ['DLA'] })))).toEqual([expect.stringContaining('collides with entry "direct-logit-attribution"')]);
  });

  it('builds a view with server entries, links from shipped terms, and hides shipped ones without touching the shipped registry', () => {
    const overlay: Overlay = {
      ...withTerms(term('srv-a', { related: ['induction-head'] })),
      hidden: { ...EMPTY_OVERLAY.hidden, terms: ['logit-lens'], sets: [shipped.sets[0]!.id] },
    };
    const { registry: view, dropped } = buildView(shipped, overlay);
    expect(dropped).toEqual([]);
    expect(view.termById.get('srv-a')?.term).toBe('a');
    expect(view.termById.has('logit-lens')).toBe(false);
    expect(view.terms.some((t) => t.id === 'logit-lens')).toBe(false);
    expect(view.problems.some((p) => p.set === shipped.sets[0]!.id)).toBe(false);
    expect([...view.problemsByTerm.values()].flat().some((p) => p.set === shipped.sets[0]!.id)).toBe(false);
    expect(shipped.termById.has('logit-lens')).toBe(true);
    expect(shipped.termById.has('srv-a')).toBe(false);
    expect(applyHidden(shipped, EMPTY_OVERLAY.hidden)).toBe(shipped);
  });

  it('leaves out server entries that no longer pass after a release, not the whole server', () => {
    const { registry: view, dropped } = buildView(shipped, withTerms(term('srv-ok'), term('srv-stale', { related: ['a-term-a-release-removed'] })));
    expect(dropped).toEqual(['srv-stale']);
    expect(view.termById.has('srv-ok')).toBe(true);
  });

  it('parses a term form, resolving related names to ids', () => {
    const parsed = parseTermForm({ term: 'Cohort lens', aliases: 'c-lens, CL', definition: term('x').definition, source: 'https://www.example.org/a', related: 'induction head, nothing-like-this' }, shipped);
    expect(parsed).toEqual({ ok: false, problems: ['related: no glossary term "nothing-like-this"'] });
    const ok = parseTermForm({ term: 'Cohort lens', aliases: 'c-lens, CL', definition: term('x').definition, source: 'https://www.example.org/a', related: 'induction head' }, shipped);
    expect(ok.ok && ok.entry).toMatchObject({ id: 'srv-cohort-lens', aliases: ['c-lens', 'CL'], related: ['induction-head'], source: { label: 'example.org' } });
    expect(parseAuthors('A. Author, B. Author (2024)')).toEqual({ authors: ['A. Author', 'B. Author'], year: 2024 });
    expect(parseAuthors('')).toEqual({ authors: [], year: null });
  });

  it('exports in the data/ formats and imports them back to the same overlay; merging counts added and replaced', () => {
    const overlay: Overlay = { ...withTerms(term('srv-a'), term('srv-b')), hidden: { ...EMPTY_OVERLAY.hidden, terms: ['logit-lens'] } };
    const files = exportFiles(overlay);
    expect(files.map((f) => f.name)).toEqual(['glossary.json', 'hidden.json']);
    const back = parseImport(files);
    expect(back).toEqual({ ok: true, overlay });
    const { next, summary } = mergeOverlay(withTerms(term('srv-a', { aliases: ['old'] })), overlay);
    expect(next.terms.map((t) => t.id)).toEqual(['srv-a', 'srv-b']);
    expect(next.terms[0]!.aliases).toEqual([]);
    expect(summary.added.terms).toBe(1);
    expect(summary.replaced.terms).toBe(1);
    expect(summary.hidden).toBe(1);
    expect(parseImport([{ name: 'x.json', text: '{"nope": 1}' }]).ok).toBe(false);
    expect(parseImport([{ name: 'x.json', text: 'not json' }]).ok).toBe(false);
  });

  it("searches a server's view as the shipped index plus one over its own terms, exactly as one index over all of them", () => {
    const own = Array.from({ length: 60 }, (_, i) => term(`srv-cohort-word-${i}`, { term: `Cohort ${['lens', 'probe', 'circuit', 'head', 'feature'][i % 5]} ${i}`, aliases: i % 4 === 0 ? [`CW${i}`] : [] }));
    const hidden = ['induction-head', 'logit-lens'];
    const { registry: view } = buildView(shipped, { ...withTerms(...own), hidden: { ...EMPTY_OVERLAY.hidden, terms: hidden } });
    expect(view.termLayers?.extra).toHaveLength(60);
    const layered = glossarySearch(view);
    const single = createGlossarySearch(view.terms, new FuzzyIndex(view.terms, (t) => [t.term, ...t.aliases], (t) => (t.core ? 1 : 0)));
    const all = [...queries.map((q) => q.query), 'cohort', 'cohort lens 1', 'cw8', 'cohrt probe', 'induction head', 'logit lens', 'indu', 'zzzz', ''];
    for (const q of all) {
      expect(layered.suggest(q).map((m) => [m.item.id, m.tier, m.cost, m.label]), q).toEqual(single.suggest(q).map((m) => [m.item.id, m.tier, m.cost, m.label]));
      expect(layered.resolve(q)?.id, q).toBe(single.resolve(q)?.id);
      expect(layered.didYouMean(q).map((t) => t.id), q).toEqual(single.didYouMean(q).map((t) => t.id));
    }
    expect(layered.suggest('induction head').map((m) => m.item.id)).not.toContain('induction-head');
  });
});
