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

// Per-term work that never changes for a loaded registry (folded text, the masking pattern, the terms of
// a section) is memoised by the term or registry object, so drawing a card costs microseconds, not a re-scan.
const foldedGists = new WeakMap<GlossaryTerm, string>();
const masks = new WeakMap<GlossaryTerm, RegExp | null>();
const sectionTerms = new WeakMap<Registry, Map<string, GlossaryTerm[]>>();

/** A term's one-line gist (every glossary term has one). */
export const gistOf = (term: GlossaryTerm): string => term.gist;

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
const foldedNames = new WeakMap<GlossaryTerm, string>();
const foldedName = (term: GlossaryTerm): string => {
  let folded = foldedNames.get(term);
  if (folded === undefined) foldedNames.set(term, (folded = fold(term.term)));
  return folded;
};
const foldedGist = (term: GlossaryTerm): string => {
  let folded = foldedGists.get(term);
  if (folded === undefined) foldedGists.set(term, (folded = fold(gistOf(term))));
  return folded;
};

function termsOfSection(registry: Registry, section: string): GlossaryTerm[] {
  let sections = sectionTerms.get(registry);
  if (!sections) {
    sections = new Map();
    for (const t of registry.terms) sections.set(t.section, [...(sections.get(t.section) ?? []), t]);
    sectionTerms.set(registry, sections);
  }
  return sections.get(section) ?? [];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A letter or digit in any script ending, or starting, a piece of text. Compiled once. */
const ENDS_IN_WORD = /[\p{L}\p{N}]$/u;
const STARTS_WORD = /^[\p{L}\p{N}]/u;
const strictMasks = new WeakMap<GlossaryTerm, RegExp>();

const namesOf = (term: GlossaryTerm) => [term.term, ...term.aliases].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);

/**
 * Blanks out a term's name and aliases (with a simple plural), so a prompt never gives its answer away. The
 * per-term pattern holds only the names, and the "not inside a word" check looks at the characters either side
 * of each match with one shared pattern: compiling Unicode property classes into every term's own pattern cost
 * about 0.4 ms per term, paid by the first card of each term in a process. When a match is refused (a name
 * inside a longer word, where a shorter alias might still fit), the text is masked again with the full pattern
 * with lookarounds, so the result is always exactly what that pattern gives.
 */
export function maskTerm(text: string, term: GlossaryTerm): string {
  let re = masks.get(term);
  if (re === undefined) {
    const names = namesOf(term);
    re = names.length === 0 ? null : new RegExp(`(?:${names.map(escape).join('|')})(?:e?s)?`, 'giu');
    masks.set(term, re);
  }
  if (!re) return text;
  let refused = false;
  // replace() with a global pattern always starts from the beginning, so sharing the pattern is safe.
  const masked = text.replace(re, (match: string, offset: number) => {
    const end = offset + match.length;
    if (ENDS_IN_WORD.test(text.slice(Math.max(0, offset - 2), offset)) || STARTS_WORD.test(text.slice(end, end + 2))) {
      refused = true;
      return match;
    }
    return BLANK;
  });
  if (!refused) return masked;
  let strict = strictMasks.get(term);
  if (!strict) strictMasks.set(term, (strict = new RegExp(`(?<![\\p{L}\\p{N}])(?:${namesOf(term).map(escape).join('|')})(?:e?s)?(?![\\p{L}\\p{N}])`, 'giu')));
  return text.replace(strict, BLANK);
}

const maskedGists = new WeakMap<GlossaryTerm, string>();
const maskedDefinitions = new WeakMap<GlossaryTerm, string>();
const maskedGist = (term: GlossaryTerm): string => {
  let masked = maskedGists.get(term);
  if (masked === undefined) maskedGists.set(term, (masked = maskTerm(gistOf(term), term)));
  return masked;
};
const maskedDefinition = (term: GlossaryTerm): string => {
  let masked = maskedDefinitions.get(term);
  if (masked === undefined) maskedDefinitions.set(term, (masked = maskTerm(term.definition, term)));
  return masked;
};

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
  take([...related, ...termsOfSection(registry, term.section)]);
  if (chosen.length < CHOICES - 1) {
    const sections = sectionsOf(registry);
    const at = sections.indexOf(term.section);
    const byDistance = [...sections].sort((a, b) => Math.abs(sections.indexOf(a) - at) - Math.abs(sections.indexOf(b) - at));
    for (const section of byDistance.slice(1)) {
      take(termsOfSection(registry, section));
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
  const ownGist = foldedGist(term);
  const label = (t: GlossaryTerm) => (kind === 'term-to-gist' ? maskedGist(t) : t.term);
  // Two choices that read the same would make a right answer a coin toss.
  const distinct = (t: GlossaryTerm) => (kind === 'term-to-gist' ? foldedGist(t) !== ownGist : foldedName(t) !== foldedName(term));
  const others = distractors(registry, term, random, distinct);
  const terms = shuffle([term, ...others], random);
  const prompt = kind === 'term-to-gist' ? term.term : kind === 'gist-to-term' ? maskedGist(term) : maskedDefinition(term);
  return {
    termId: term.id,
    kind,
    prompt,
    choices: terms.map((t) => ({ termId: t.id, label: label(t) })),
    correct: terms.indexOf(term),
  };
}
