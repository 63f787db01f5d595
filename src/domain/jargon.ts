/**
 * Finds glossary jargon in free text (a Discord message, pasted text). One Aho–Corasick automaton
 * (modern-ahocorasick) over every normalised term and alias is built once per glossary; a message is tokenised
 * once, folded the way the glossary search folds queries (case, accents, simple plurals, British/American endings;
 * hyphens, underscores and spaces all separate words), and scanned in a single pass.
 *
 * Rules, in order:
 *   1. Nothing is matched inside code blocks, inline code, URLs, Discord tokens (<@id>, <#id>, <:emoji:id>, </cmd:id>,
 *      <t:…>), @everyone/@here, @names or :emoji: shortcodes. Those spans separate words like a comma does.
 *   2. Matches start and end on word boundaries and never span a sentence break or punctuation other than a
 *      hyphen, underscore, slash, apostrophe or a dot inside an identifier (model.QK). A match that is only part of a
 *      larger identifier (my_feature_list, cfg.head) is dropped.
 *   3. Labels written as acronyms (two or more capitals, no space, no digit, at most 5 letters: SAE, DLA, ROME, OPT,
 *      CoT, ReLU) match only as written, optionally with a plural "s" (SAEs), so "opt in", "Rome" and "das" never
 *      match. Labels that fold to a single character (q, k, v, z) are never matched in free text.
 *   4. Overlaps: the match covering the most words wins, then the longest, then the earliest.
 *   5. Ambiguity: a label listed in its term's `ambiguous` (everyday English such as "feature", "head", "loss",
 *      "circuit", "probe", "context") counts only with a technical neighbour within AMBIGUITY_WINDOW words in the same
 *      sentence: another, unambiguous glossary match, a technical cue word (model, layer, training, GPT, ...), or a
 *      code span. Ambiguous matches never vouch for each other.
 * Each term is reported once, at its first counted occurrence, in message order.
 */
import AhoCorasick from 'modern-ahocorasick';
import { normalise } from './fuzzy-index.ts';

/** What the matcher needs from a glossary term. */
export interface JargonEntry {
  id: string;
  term: string;
  aliases: readonly string[];
  /** Labels (the term or its aliases) that are also everyday English. */
  ambiguous?: readonly string[] | undefined;
}

export interface JargonHit<T> {
  item: T;
  /** The text as written in the message. */
  text: string;
  /** UTF-16 offsets into the scanned text. */
  start: number;
  end: number;
}

export interface JargonMatcher<T> {
  /** Every term found, once each, in order of first occurrence. */
  find(text: string): JargonHit<T>[];
}

/** Words either side of an ambiguous label that may hold its technical neighbour. */
export const AMBIGUITY_WINDOW = 6;
/** Longer input is scanned up to this many characters (a message is at most 4,000, plus embed text). */
export const MAX_SCAN_LENGTH = 12_000;

/**
 * Words that are not glossary terms but mark a sentence as technical, so an ambiguous label next to them counts
 * ("the loss of the model", "head 7 in layer 5"). Folded like message words.
 */
const CUE_WORDS = new Set(
  [
    'model', 'layer', 'network', 'neural', 'training', 'train', 'trained', 'gradient', 'vector', 'matrix', 'dimension',
    'dim', 'dataset', 'llm', 'gpt', 'gpt4', 'llama', 'gemma', 'claude', 'epoch', 'optimizer', 'optimiser', 'interpretability', 'interp',
    'pytorch', 'torch', 'numpy', 'sparse', 'linear', 'checkpoint', 'pretrained', 'eval', 'arena', 'output', 'input', 'activation',
  ].map((w) => normalise(w)),
);

// Spans never searched: fenced code, inline code, URLs, Discord mention/emoji/command/timestamp tokens, @everyone,
// @names and :shortcodes:. Code spans are remembered as technical context.
const SKIP = /(```[\s\S]*?(?:```|$))|(`[^`\n]+`)|((?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?)'"])|(<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|\/[^<>:]+:\d+|t:-?\d+(?::[a-zA-Z])?|id:\w+)>)|(@[\w.]+)|(:[\w+-]{2,32}:)/giu;
const WORD = /[\p{L}\p{N}]+/gu;
/** A gap between two words that a multi-word label may span. */
const JOINABLE = /^[ \t\u00a0]*[-_/'’]?[ \t\u00a0]*$|^\.$/u;
/** A gap that ends a sentence (the ambiguity window does not cross it). */
const SENTENCE_END = /[.!?;\n]/u;
const POSSESSIVE = /^['’]$/u;
/** A gap that glues a word into a larger identifier (my_feature, cfg.head). */
const IDENTIFIER_GLUE = /^[_.]$/;

const BREAK = '\n';

interface Label<T> {
  item: T;
  words: number;
  /** Match only as written (acronyms): the raw words, the last one optionally followed by "s". */
  exact: string[] | null;
  ambiguous: boolean;
}

interface Token {
  start: number;
  end: number;
  raw: string;
  folded: string;
  /** A code span standing in for a word: technical context, never part of a match. */
  code: boolean;
  /** Gap before this token (text between the previous token and this one). */
  joinPrev: boolean;
  gluePrev: boolean;
  sentencePrev: boolean;
}

const foldCache = new Map<string, string>();
function fold(word: string): string {
  let folded = foldCache.get(word);
  if (folded === undefined) {
    folded = normalise(word).replace(/ /g, '');
    if (foldCache.size > 50_000) foldCache.clear();
    foldCache.set(word, folded);
  }
  return folded;
}

/** Whether a label is an acronym that must match as written. */
export function isCaseSensitive(label: string): boolean {
  if (/\s|\d/.test(label)) return false;
  const letters = label.replace(/[^\p{L}]/gu, '');
  const capitals = letters.replace(/[^\p{Lu}]/gu, '').length;
  return capitals >= 2 && letters.length <= 5;
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let lastEnd = 0;
  /** A skipped span (URL, mention, code) lies between the previous token and the next word. */
  let broken = false;
  let sentenceBroken = false;
  const pushWords = (from: number, to: number) => {
    const segment = to === text.length ? text : text.slice(0, to);
    WORD.lastIndex = from;
    let m: RegExpExecArray | null;
    while ((m = WORD.exec(segment)) !== null) {
      const start = m.index;
      const gap = text.slice(lastEnd, start);
      const prev = tokens[tokens.length - 1];
      // A possessive "'s" belongs to the word before it: "head's output" reads as "head output".
      if ((m[0] === 's' || m[0] === 'S') && POSSESSIVE.test(gap) && prev && !prev.code && !broken) {
        prev.end = start + 1;
        lastEnd = start + 1;
        continue;
      }
      const attached = prev !== undefined && !prev.code && !broken;
      tokens.push({
        start,
        end: start + m[0].length,
        raw: m[0],
        folded: fold(m[0]),
        code: false,
        joinPrev: attached && JOINABLE.test(gap),
        gluePrev: attached && IDENTIFIER_GLUE.test(gap),
        sentencePrev: sentenceBroken || SENTENCE_END.test(gap),
      });
      broken = false;
      sentenceBroken = false;
      lastEnd = start + m[0].length;
    }
  };
  SKIP.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SKIP.exec(text)) !== null) {
    pushWords(lastEnd, m.index);
    const fenced = m[1] !== undefined;
    if (fenced || m[2] !== undefined) {
      tokens.push({
        start: m.index,
        end: m.index + m[0].length,
        raw: m[0],
        folded: '',
        code: true,
        joinPrev: false,
        gluePrev: false,
        // A fenced block stands on its own lines: a sentence of its own.
        sentencePrev: fenced || sentenceBroken || SENTENCE_END.test(text.slice(lastEnd, m.index)),
      });
      sentenceBroken = fenced;
    }
    // URLs and mentions separate words but carry no context.
    broken = true;
    lastEnd = m.index + m[0].length;
    SKIP.lastIndex = lastEnd;
  }
  pushWords(lastEnd, text.length);
  return tokens;
}

export function createJargonMatcher<T extends JargonEntry>(entries: readonly T[]): JargonMatcher<T> {
  const labels: Label<T>[] = [];
  const patterns: { pattern: string; data: number }[] = [];
  const seen = new Set<string>();
  const add = (key: string, label: Label<T>) => {
    const dedupe = `${key}|${label.exact?.join(' ') ?? ''}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    labels.push(label);
    patterns.push({ pattern: ` ${key} `, data: labels.length - 1 });
  };
  for (const item of entries) {
    const ambiguous = new Set((item.ambiguous ?? []).map((a) => normalise(a)));
    for (const text of [item.term, ...item.aliases]) {
      const norm = normalise(text.replace(/['’]s\b/gu, ''));
      if (norm.replace(/ /g, '').length <= 1) continue;
      const words = norm.split(' ').length;
      const exact = isCaseSensitive(text) ? (text.match(WORD) ?? []) : null;
      const label = { item, words, exact, ambiguous: ambiguous.has(norm) };
      add(norm, label);
      // Multi-word labels also match written as one word ("sparseautoencoder", "logitlens").
      const compact = norm.replace(/ /g, '');
      if (words > 1 && compact.length >= 5) add(compact, { ...label, words: 1 });
    }
  }
  const automaton = new AhoCorasick(patterns);
  // Only words that occur in some label can be part of a match, so every other word (and every code span) enters the
  // haystack as one break: the haystack is about a third of the message, and it stays ASCII (modern-ahocorasick
  // scans ASCII by code unit but falls back to grapheme segmentation, about 10x slower, from the first non-ASCII
  // character on).
  const labelWords = new Set(patterns.flatMap((p) => p.pattern.split(' ').filter((w) => w !== '')));

  return {
    find(input) {
      const text = input.length > MAX_SCAN_LENGTH ? input.slice(0, MAX_SCAN_LENGTH) : input;
      const tokens = tokenise(text);
      if (tokens.length === 0) return [];
      // The haystack: folded words separated by a space when a label may span the gap, else by a break.
      // Consecutive words in the haystack are consecutive tokens: a skipped word always leaves a break behind.
      let hay = ' ';
      const startAt = new Map<number, number>();
      let started = false;
      let skipped = false;
      tokens.forEach((t, i) => {
        if (t.code || !labelWords.has(t.folded)) {
          skipped = true;
          return;
        }
        if (started) hay += t.joinPrev && !skipped ? ' ' : ` ${BREAK} `;
        startAt.set(hay.length, i);
        hay += t.folded;
        started = true;
        skipped = false;
      });
      if (!started) return [];
      hay += ' ';

      interface Candidate {
        label: Label<T>;
        first: number;
        last: number;
      }
      const candidates: Candidate[] = [];
      for (const hit of automaton.iterate(hay)) {
        const first = startAt.get(hit.start + 1);
        if (first === undefined) continue;
        const label = labels[hit.data as number]!;
        let last = first;
        let length = hit.end - hit.start - 2 - tokens[first]!.folded.length;
        while (length > 0) {
          last++;
          length -= 1 + tokens[last]!.folded.length;
        }
        if (label.exact && !matchesExactly(label.exact, tokens, first, last)) continue;
        // Part of a larger identifier: my_feature_list, cfg.head.
        if (tokens[first]!.gluePrev || tokens[last + 1]?.gluePrev) continue;
        candidates.push({ label, first, last });
      }
      candidates.sort(
        (a, b) =>
          b.last - b.first - (a.last - a.first) ||
          tokens[b.last]!.end - tokens[b.first]!.start - (tokens[a.last]!.end - tokens[a.first]!.start) ||
          a.first - b.first,
      );
      const used = new Uint8Array(tokens.length);
      const chosen: Candidate[] = [];
      for (const c of candidates) {
        let free = true;
        for (let i = c.first; i <= c.last && free; i++) if (used[i]) free = false;
        if (!free) continue;
        for (let i = c.first; i <= c.last; i++) used[i] = 1;
        chosen.push(c);
      }
      chosen.sort((a, b) => a.first - b.first);

      // Which words vouch for an ambiguous label: unambiguous matches, cue words and code spans.
      const technical = new Uint8Array(tokens.length);
      for (const c of chosen) if (!c.label.ambiguous) for (let i = c.first; i <= c.last; i++) technical[i] = 1;
      tokens.forEach((t, i) => {
        if (t.code || CUE_WORDS.has(t.folded)) technical[i] = 1;
      });
      const hasNeighbour = (c: Candidate) => {
        for (let i = c.first - 1, n = 0; i >= 0 && n < AMBIGUITY_WINDOW && !tokens[i + 1]!.sentencePrev; i--, n++) if (technical[i]) return true;
        for (let i = c.last + 1, n = 0; i < tokens.length && n < AMBIGUITY_WINDOW && !tokens[i]!.sentencePrev; i++, n++) if (technical[i]) return true;
        return false;
      };

      const hits: JargonHit<T>[] = [];
      const reported = new Set<string>();
      for (const c of chosen) {
        if (reported.has(c.label.item.id)) continue;
        if (c.label.ambiguous && !hasNeighbour(c)) continue;
        reported.add(c.label.item.id);
        const start = tokens[c.first]!.start;
        const end = tokens[c.last]!.end;
        hits.push({ item: c.label.item, text: text.slice(start, end), start, end });
      }
      return hits;
    },
  };
}

function matchesExactly(exact: readonly string[], tokens: readonly Token[], first: number, last: number): boolean {
  if (last - first + 1 !== exact.length) return false;
  for (let k = 0; k < exact.length; k++) {
    const raw = tokens[first + k]!.raw;
    const want = exact[k]!;
    if (raw !== want && !(k === exact.length - 1 && raw === `${want}s`)) return false;
  }
  return true;
}
