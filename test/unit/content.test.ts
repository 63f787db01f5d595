/** The shipped registry content: the data files are the product, so their promises are tested here. */
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { GlossaryTerm } from '../../src/registry/schema.ts';

const registry = loadRegistry(DATA_DIR);
const sentences = (text: string) => text.split(/(?<=[.!?])\s+(?=[A-Z`"(])/).filter((s) => s.trim().length > 0);

describe('registry content', () => {
  it('validates: schemas, unique ids, non-colliding aliases and resolved cross-references', () => {
    // loadRegistry throws on any of these; reaching here means they all hold.
    expect(registry.resources.length).toBeGreaterThan(0);
  });

  it('has at least 200 resources, 70 papers with title, authors, year and URL, and the key tools and programmes', () => {
    expect(registry.resources.length).toBeGreaterThanOrEqual(200);
    const papers = registry.resources.filter((r) => r.kind === 'paper');
    expect(papers.length).toBeGreaterThanOrEqual(70);
    for (const p of papers) {
      expect(p.authors.length, p.id).toBeGreaterThan(0);
      expect(p.year, p.id).not.toBeNull();
    }
    const titles = registry.resources.map((r) => r.title.toLowerCase()).join('\n');
    for (const name of ['transformerlens', 'saelens', 'nnsight', 'neuronpedia', 'circuitsvis', 'arena', 'mats', 'bluedot']) {
      expect(titles, name).toContain(name);
    }
  });

  it('puts every ARENA chapter-1 section under its parent, in order', () => {
    const sections = registry.childrenOf.get('arena-ch1') ?? [];
    expect(sections.length).toBeGreaterThanOrEqual(12);
    for (const id of ['arena-1-1-transformer-from-scratch', 'arena-1-2-intro-mech-interp', 'arena-1-4-1-ioi']) {
      expect(sections.map((s) => s.id)).toContain(id);
    }
    const orders = sections.map((s) => s.order);
    expect(orders).toEqual([...orders].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('has at least 350 glossary terms with 2–6 sentence definitions that link onward', () => {
    expect(registry.terms.length).toBeGreaterThanOrEqual(350);
    for (const t of registry.terms) {
      const n = sentences(t.definition).length;
      expect(n, `${t.id}: ${n} sentences`).toBeGreaterThanOrEqual(2);
      expect(n, `${t.id}: ${n} sentences`).toBeLessThanOrEqual(7);
      expect(t.related.length + (registry.resourcesByTerm.get(t.id)?.length ?? 0), `${t.id} links nowhere`).toBeGreaterThan(0);
    }
    const ids = new Set(registry.terms.map((t) => t.id));
    for (const id of ['sparse-autoencoder', 'transcoder', 'crosscoder', 'attribution-graph', 'steering-vector']) expect(ids).toContain(id);
  });

  it('gives every glossary term a one-line gist of at most 120 characters that is not its definition copied', () => {
    for (const t of registry.terms) {
      expect(t.gist.length, t.id).toBeLessThanOrEqual(120);
      expect(t.gist, t.id).not.toMatch(/\n/);
      expect(t.definition.startsWith(t.gist.replace(/\.$/, '')), `${t.id}: gist copies the definition's opening`).toBe(false);
    }
  });

  it('refuses a term without a gist when the registry loads', () => {
    const term = { ...registry.terms[0]! } as Record<string, unknown>;
    delete term.gist;
    expect(GlossaryTerm.safeParse(term).success).toBe(false);
    expect(GlossaryTerm.safeParse({ ...term, gist: 'x'.repeat(121) }).success).toBe(false);
    expect(GlossaryTerm.safeParse({ ...term, gist: registry.terms[0]!.gist }).success).toBe(true);
  });

  it("puts ARENA's chapters 0–4 under ARENA in order, each with its sections", () => {
    const chapters = registry.childrenOf.get('arena') ?? [];
    expect(chapters.map((c) => c.id)).toEqual(['arena-ch0', 'arena-ch1', 'arena-ch2', 'arena-ch3', 'arena-ch4']);
    const sectionCount = Object.fromEntries(chapters.map((c) => [c.id, registry.childrenOf.get(c.id)?.length ?? 0]));
    expect(sectionCount).toMatchObject({ 'arena-ch0': 6, 'arena-ch2': 5, 'arena-ch3': 4, 'arena-ch4': 5 });
    expect(registry.childrenOf.get('arena-ch4')?.map((s) => s.title.slice(0, 5))).toEqual(['[4.1]', '[4.2]', '[4.3]', '[4.4]', '[4.5]']);
  });

  it('has every 200 COP problem, ids as strings, with the published counts per category', () => {
    const cop = registry.problems.filter((p) => p.set === 'concrete-open-problems');
    expect(cop).toHaveLength(339);
    const counts = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => cop.filter((p) => p.category === String(c)).length);
    expect(counts).toEqual([23, 38, 33, 45, 38, 59, 18, 22, 63]);
    expect(registry.problemByKey.get('concrete-open-problems:1.10')?.id).toBe('1.10');
    expect(registry.problemByKey.get('concrete-open-problems:1.1')?.id).toBe('1.1');
    for (const p of cop) expect(p.id, p.id).toMatch(new RegExp(`^${p.category}\\.\\d+$`));
  });

  it('rates difficulty only A–D or null, and keeps the dated-list caveat on 200 COP', () => {
    for (const p of registry.problems) expect([null, 'A', 'B', 'C', 'D']).toContain(p.difficulty);
    expect(registry.setById.get('concrete-open-problems')?.caveat).toMatch(/2024/);
    expect(registry.problems.filter((p) => p.difficulty === 'A').length).toBeGreaterThan(10);
  });

  it('leaves a summary empty only for the problems whose text was never recovered', () => {
    const missing = registry.problems.filter((p) => p.summary === null).map((p) => p.id);
    expect(missing.sort()).toEqual(['2.12', '5.24']);
  });

  it('uses well-formed https URLs everywhere', () => {
    const urls = [
      ...registry.resources.map((r) => r.url),
      ...registry.terms.map((t) => t.source.url),
      ...registry.problems.map((p) => p.url),
      ...registry.sets.flatMap((s) => [s.url, ...s.categories.map((c) => c.url)]),
    ];
    for (const url of urls) {
      expect(() => new URL(url), url).not.toThrow();
      expect(url, url).toMatch(/^https:\/\/[^\s]+$/);
    }
  });
});
