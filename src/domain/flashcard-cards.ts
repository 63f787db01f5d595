/**
 * What a flashcard shows: one of three kinds of multiple-choice question about a glossary term, with distractors
 * from the same section or related terms so the choice takes thought. Everything is drawn from a random generator
 * seeded by (member, term, reviews so far), so the same card always looks the same, and pressing a button only
 * needs the choice's position to be checked again later.
 */
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm } from '../registry/schema.ts';
import { sectionsOf } from './flashcards.ts';

export type CardKind = 'term-to-gist' | 'gist-to-term' | 'definition-to-term';

export interface QuizChoice {
  termId: string;
  /** A gist (for term-to-gist) or a term name. */
  label: string;
}

export interface QuizCard {
  termId: string;
  kind: CardKind;
  /** The term's name (term-to-gist), or its gist or definition with the term's names blanked out. */
  prompt: string;
  choices: QuizChoice[];
  correct: number;
}

export const CHOICES = 4;
export const BLANK = '▢▢▢';

/** A small, fast, seeded generator (mulberry32) over a 32-bit FNV-1a hash of the seed text. */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const ABBREVIATIONS = /(?:\be\.g|\bi\.e|\betc|\bvs|\bcf|\bal|\bFig|\bEq|\bapprox)\.$/i;

/** The definition's first sentence (never cut inside an abbreviation such as "e.g."). */
export function firstSentence(text: string): string {
  const re = /[.!?](?=\s+["'(\[]?[A-Z0-9])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m.index + 1;
    if (ABBREVIATIONS.test(text.slice(Math.max(0, end - 8), end))) continue;
    return text.slice(0, end).trim();
  }
  return text.trim();
}

/** A term's one-line gist: the glossary's own, or the first sentence of its definition. */
export const gistOf = (term: GlossaryTerm): string => term.gist;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Blanks out a term's name and aliases (with a simple plural), so a prompt never gives its answer away. */
export function maskTerm(text: string, term: GlossaryTerm): string {
  const names = [term.term, ...term.aliases].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  if (names.length === 0) return text;
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map(escape).join('|')})(?:e?s)?(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(re, BLANK);
}

/** Candidate distractors: related terms and the term's section first, then neighbouring sections, then the rest. */
function distractors(registry: Registry, term: GlossaryTerm, random: () => number, distinct: (t: GlossaryTerm) => boolean): GlossaryTerm[] {
  const chosen: GlossaryTerm[] = [];
  const taken = new Set([term.id]);
  const take = (pool: GlossaryTerm[]) => {
    const unique = [...new Map(pool.filter((p) => !taken.has(p.id) && distinct(p)).map((p) => [p.id, p])).values()];
    for (const t of shuffle(unique, random)) {
      if (chosen.length >= CHOICES - 1) return;
      chosen.push(t);
      taken.add(t.id);
    }
  };
  const related = term.related.map((id) => registry.termById.get(id)).filter((t): t is GlossaryTerm => t !== undefined);
  take([...related, ...registry.terms.filter((t) => t.section === term.section)]);
  if (chosen.length < CHOICES - 1) {
    const sections = sectionsOf(registry);
    const at = sections.indexOf(term.section);
    const byDistance = [...sections].sort((a, b) => Math.abs(sections.indexOf(a) - at) - Math.abs(sections.indexOf(b) - at));
    for (const section of byDistance.slice(1)) {
      take(registry.terms.filter((t) => t.section === section));
      if (chosen.length >= CHOICES - 1) break;
    }
  }
  return chosen;
}

/** The card a member sees for a term after `reps` reviews of it. Deterministic in (member, term, reps, registry). */
export function buildCard(registry: Registry, term: GlossaryTerm, memberId: string, reps: number): QuizCard {
  const random = seededRandom(`${memberId}:${term.id}:${reps}`);
  const roll = random();
  const kind: CardKind = roll < 0.5 ? 'term-to-gist' : roll < 0.8 ? 'gist-to-term' : 'definition-to-term';
  const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const ownGist = fold(gistOf(term));
  const label = (t: GlossaryTerm) => (kind === 'term-to-gist' ? maskTerm(gistOf(t), t) : t.term);
  // Two choices that read the same would make a right answer a coin toss.
  const distinct = (t: GlossaryTerm) => (kind === 'term-to-gist' ? fold(gistOf(t)) !== ownGist : fold(t.term) !== fold(term.term));
  const others = distractors(registry, term, random, distinct);
  const terms = shuffle([term, ...others], random);
  const prompt = kind === 'term-to-gist' ? term.term : maskTerm(kind === 'gist-to-term' ? gistOf(term) : term.definition, term);
  return {
    termId: term.id,
    kind,
    prompt,
    choices: terms.map((t) => ({ termId: t.id, label: label(t) })),
    correct: terms.indexOf(term),
  };
}
