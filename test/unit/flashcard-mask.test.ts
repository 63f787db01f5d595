/** maskTerm's fast path gives exactly what the full lookaround pattern gives, on every glossary text. */
import { describe, expect, it } from 'vitest';
import { BLANK, gistOf, maskTerm } from '../../src/domain/flashcard-cards.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import type { GlossaryTerm } from '../../src/registry/schema.ts';

const registry = loadRegistry(DATA_DIR);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function reference(text: string, term: GlossaryTerm): string {
  const names = [term.term, ...term.aliases].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  if (names.length === 0) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map(escape).join('|')})(?:e?s)?(?![\\p{L}\\p{N}])`, 'giu'), BLANK);
}

describe('maskTerm', () => {
  it('matches the reference pattern on every term’s own gist and definition, and on its neighbours’ texts', () => {
    let masked = 0;
    registry.terms.forEach((term, i) => {
      const neighbour = registry.terms[(i + 1) % registry.terms.length]!;
      for (const text of [gistOf(term), term.definition, neighbour.definition, `${term.term}s and x${term.term}y, ${term.term.toUpperCase()}.`]) {
        const out = maskTerm(text, term);
        expect(out, `${term.id}: ${text.slice(0, 60)}`).toBe(reference(text, term));
        if (out !== text) masked++;
      }
    });
    expect(masked).toBeGreaterThan(registry.terms.length);
  });

  it('handles a name inside a longer word where a shorter alias still fits, like the reference', () => {
    const term = { ...registry.terms[0]!, term: 'foo bar', aliases: ['foo'] } as GlossaryTerm;
    for (const text of ['foo barx', 'a foo bar.', 'ÉfooÉ foo', '😀foo bars']) expect(maskTerm(text, term)).toBe(reference(text, term));
    expect(maskTerm('foo barx', term)).toBe(`${BLANK} barx`);
  });
});
