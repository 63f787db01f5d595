/**
 * Typo-tolerant lookup over labelled items (glossary terms and aliases, resource titles, topics, time zones).
 * Ranking is tiered, so a strong match always beats a weak one:
 *   exact → prefix → word-prefix → substring → fuzzy (typos, transpositions, missing or extra letters).
 * Spelling variants are folded before matching: case, accents, hyphens and spaces, simple plurals, and British
 * versus American endings (-ise/-ize, -isation/-ization, -our/-or, -tre/-ter). Edit distances come from
 * fastest-levenshtein; transpositions are counted as one edit.
 */
import { distance } from 'fastest-levenshtein';

export const MAX_QUERY_LENGTH = 100;

export enum MatchTier {
  Exact = 0,
  Prefix = 1,
  WordPrefix = 2,
  Substring = 3,
  Fuzzy = 4,
}

export interface Match<T> {
  item: T;
  /** The label (term or alias) that matched best. */
  label: string;
  /** Whether that label is the item's primary label. */
  primary: boolean;
  tier: MatchTier;
  /** Edits needed within the tier (0 except for fuzzy matches). */
  cost: number;
}

export interface Label<T> {
  item: T;
  index: number;
  text: string;
  primary: boolean;
  norm: string;
  compact: string;
  words: string[];
  /** charMask of each word and of the compact form, for a cheap lower bound on edit distance. */
  masks: number[];
  compactMask: number;
  /** Items flagged as important win ties (for example core glossary terms). */
  boost: number;
}

const VARIANTS: [RegExp, string][] = [
  [/isation$/, 'ization'],
  [/ise$/, 'ize'],
  [/ised$/, 'ized'],
  [/ising$/, 'izing'],
  [/yse$/, 'yze'],
  [/our$/, 'or'],
  [/tre$/, 'ter'],
];

function foldWord(word: string): string {
  let w = word;
  if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const [re, to] of VARIANTS) {
    if (w.length > 4 && re.test(w)) {
      w = w.replace(re, to);
      break;
    }
  }
  return w;
}

export function normalise(text: string): string {
  return text
    .slice(0, MAX_QUERY_LENGTH)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map(foldWord)
    .join(' ');
}

/** Edits allowed for a word of this length: none for very short words, then one, then two. */
const allowance = (length: number) => (length <= 2 ? 0 : length <= 5 ? 1 : 2);

/** Levenshtein distance, counting one adjacent transposition as a single edit. */
export function editDistance(a: string, b: string): number {
  const d = distance(a, b);
  if (d !== 2 || a.length !== b.length) return d;
  for (let i = 0; i < a.length - 1; i++) {
    if (a[i] !== b[i]) return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2) ? 1 : 2;
  }
  return d;
}

/** Best cost of matching a query word against a label word, either whole or as a typo'd prefix. */
function wordCost(q: string, w: string, allowPrefix: boolean): number {
  const limit = allowance(q.length);
  if (Math.abs(q.length - w.length) <= limit) {
    const d = editDistance(q, w);
    if (d <= limit) return d;
  }
  if (allowPrefix && w.length > q.length && q.length >= 3) {
    const d = editDistance(q, w.slice(0, q.length));
    if (d <= limit) return d + 0.5;
  }
  return Infinity;
}

export class FuzzyIndex<T> {
  readonly #labels: Label<T>[] = [];

  constructor(items: readonly T[], labelsOf: (item: T) => readonly string[], boostOf: (item: T) => number = () => 0) {
    items.forEach((item, index) => {
      labelsOf(item).forEach((text, i) => {
        const norm = normalise(text);
        if (!norm) return;
        const words = norm.split(' ');
        const compact = norm.replace(/ /g, '');
        this.#labels.push({ item, index, text, primary: i === 0, norm, compact, words, masks: words.map(charMask), compactMask: charMask(compact), boost: boostOf(item) });
      });
    });
  }

  /** Ranked matches, best first, one per item; `exclude` leaves items out before the limit applies. */
  search(query: string, limit = 25, exclude?: (item: T) => boolean): Match<T>[] {
    return this.scored(query, limit, exclude).map((entry) => entry.match);
  }

  /** search() with each match's label, so FuzzyUnion can rank matches from several indexes as one. */
  scored(query: string, limit: number, exclude?: (item: T) => boolean): Scored<T>[] {
    const norm = normalise(query);
    if (!norm) return [];
    const compact = norm.replace(/ /g, '');
    const qWords = norm.split(' ');
    const best = new Map<number, Scored<T>>();
    const keep = (label: Label<T>, scored: { tier: MatchTier; cost: number } | null) => {
      if (!scored) return;
      const current = best.get(label.index);
      if (!current || compare(scored, label, current.match, current.label) < 0) {
        best.set(label.index, { match: { item: label.item, label: label.text, primary: label.primary, ...scored }, label });
      }
    };

    // Cheap tiers first. Fuzzy matches always rank below them, so when the cheap tiers already fill the list
    // (a short prefix while typing) the edit-distance pass cannot change the result and is skipped.
    const unmatched: Label<T>[] = [];
    for (const label of this.#labels) {
      if (exclude && exclude(label.item)) continue;
      const scored = this.#scoreExact(label, norm, compact, qWords);
      if (scored) keep(label, scored);
      else unmatched.push(label);
    }
    if (best.size < limit) {
      const query = { compact, words: qWords, masks: qWords.map(charMask), compactMask: charMask(compact) };
      for (const label of unmatched) keep(label, this.#scoreFuzzy(label, query));
    }
    return [...best.values()].sort((a, b) => compare(a.match, a.label, b.match, b.label)).slice(0, limit);
  }

  #scoreExact(label: Label<T>, norm: string, compact: string, qWords: string[]): { tier: MatchTier; cost: number } | null {
    if (label.norm === norm || label.compact === compact) return { tier: MatchTier.Exact, cost: 0 };
    if (label.norm.startsWith(norm) || label.compact.startsWith(compact)) return { tier: MatchTier.Prefix, cost: 0 };
    if (wordPrefixMatch(label.words, qWords)) return { tier: MatchTier.WordPrefix, cost: 0 };
    if (compact.length >= 3 && label.compact.includes(compact)) return { tier: MatchTier.Substring, cost: 0 };
    return null;
  }

  #scoreFuzzy(label: Label<T>, query: { compact: string; words: string[]; masks: number[]; compactMask: number }): { tier: MatchTier; cost: number } | null {
    const { compact, words: qWords, masks: qMasks } = query;
    // Fuzzy: every query word must match a distinct label word within its edit allowance.
    let cost = 0;
    const used = new Set<number>();
    const words = label.words;
    for (let k = 0; k < qWords.length; k++) {
      const q = qWords[k]!;
      let bestCost = Infinity;
      let bestIndex = -1;
      for (let j = 0; j < words.length; j++) {
        if (used.size > 0 && used.has(j)) continue;
        // Each distinct query letter missing from the word costs at least one edit: skip words that cannot match.
        if (bitCount(qMasks[k]! & ~label.masks[j]!) > allowance(q.length)) continue;
        const c = wordCost(q, words[j]!, k === qWords.length - 1);
        if (c < bestCost) {
          bestCost = c;
          bestIndex = j;
        }
      }
      if (bestIndex < 0) {
        cost = Infinity;
        break;
      }
      used.add(bestIndex);
      cost += bestCost;
    }
    if (cost === Infinity) {
      // Missing or extra spaces ("autoencoder" vs "auto encoder") with a typo or two.
      const limit = allowance(compact.length);
      if (Math.abs(compact.length - label.compact.length) <= limit && bitCount(query.compactMask & ~label.compactMask) <= limit) {
        const d = editDistance(compact, label.compact);
        if (d <= limit) return { tier: MatchTier.Fuzzy, cost: d + 0.25 };
      }
      return null;
    }
    return { tier: MatchTier.Fuzzy, cost };
  }

  /**
   * The closest labels by plain edit distance, for "did you mean" when nothing matched well. `maxDistance` (edits
   * per character of the longer label, 0–1) drops labels too far away to be worth suggesting.
   */
  nearest(query: string, count = 3, maxDistance = 1, exclude?: (item: T) => boolean): Match<T>[] {
    return this.scoredNearest(query, count, maxDistance, exclude).map(toNearestMatch);
  }

  scoredNearest(query: string, count: number, maxDistance: number, exclude?: (item: T) => boolean): { label: Label<T>; d: number }[] {
    const norm = normalise(query);
    if (!norm) return [];
    const scored = new Map<number, { label: Label<T>; d: number }>();
    for (const label of this.#labels) {
      if (exclude && exclude(label.item)) continue;
      const d = editDistance(norm, label.norm) / Math.max(norm.length, label.norm.length);
      const current = scored.get(label.index);
      if (!current || d < current.d) scored.set(label.index, { label, d });
    }
    return [...scored.values()]
      .filter((s) => s.d <= maxDistance)
      .sort(byDistance)
      .slice(0, count);
  }
}

/** A match with the label it came from (opaque outside this module), for merging results of several indexes. */
export interface Scored<T> {
  match: Match<T>;
  label: Label<T>;
}

const byDistance = <T>(a: { label: Label<T>; d: number }, b: { label: Label<T>; d: number }) => a.d - b.d || b.label.boost - a.label.boost;
const toNearestMatch = <T>({ label, d }: { label: Label<T>; d: number }): Match<T> => ({ item: label.item, label: label.text, primary: label.primary, tier: MatchTier.Fuzzy, cost: d });

/**
 * Several indexes searched as one (for example the shipped glossary's and one server's own terms), leaving out
 * excluded items (the server's hidden ones). The results equal one index over all their items, in order: each item
 * lives in one index, every index keeps its own best `limit`, and the merge ranks them with the same comparison.
 */
export class FuzzyUnion<T> {
  constructor(
    private readonly parts: readonly FuzzyIndex<T>[],
    private readonly exclude?: (item: T) => boolean,
  ) {}

  search(query: string, limit = 25): Match<T>[] {
    return this.parts
      .flatMap((p) => p.scored(query, limit, this.exclude))
      .sort((a, b) => compare(a.match, a.label, b.match, b.label))
      .slice(0, limit)
      .map((entry) => entry.match);
  }

  nearest(query: string, count = 3, maxDistance = 1): Match<T>[] {
    return this.parts
      .flatMap((p) => p.scoredNearest(query, count, maxDistance, this.exclude))
      .sort(byDistance)
      .slice(0, count)
      .map(toNearestMatch);
  }
}

/**
 * A 32-bit set of the characters in a word (by code point mod 32). Characters of `a` absent from `b` each need at
 * least one edit, so bitCount(mask(a) & ~mask(b)) is a lower bound on the edit distance, and on the distance from
 * `a` to any prefix of `b`; collisions only make the bound lower, never wrong.
 */
function charMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i++) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Every query word is the prefix of a distinct label word (greedy, in query order). */
function wordPrefixMatch(words: readonly string[], qWords: readonly string[]): boolean {
  if (qWords.length === 1) {
    const q = qWords[0]!;
    for (const w of words) if (w.startsWith(q)) return true;
    return false;
  }
  const used = new Set<number>();
  return qWords.every((q) => {
    const i = words.findIndex((w, j) => !used.has(j) && w.startsWith(q));
    if (i < 0) return false;
    used.add(i);
    return true;
  });
}

/** The same order as String#localeCompare with the default locale, without building a collator per call. */
const collator = new Intl.Collator();

function compare<T>(a: { tier: MatchTier; cost: number }, la: Label<T>, b: { tier: MatchTier; cost: number }, lb: Label<T>): number {
  return (
    a.tier - b.tier ||
    a.cost - b.cost ||
    lb.boost - la.boost ||
    Number(lb.primary) - Number(la.primary) ||
    la.norm.length - lb.norm.length ||
    collator.compare(la.norm, lb.norm)
  );
}
