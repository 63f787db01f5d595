/**
 * Text helpers for rendering: word-safe truncation within Discord's limits, plurals, first sentences and safe
 * Markdown links. Every surface uses these (see src/render/README.md); keep the names stable.
 */

/** How far back from the limit a cut may move to land on a word boundary before it cuts mid-word anyway. */
const WORD_SLACK = 0.3;

/**
 * Shortens `text` to at most `max` characters, ending with "…". The cut lands on a word boundary (never mid-word)
 * unless the last boundary is too far back (a single very long token such as a URL), and trailing punctuation
 * before the ellipsis is dropped.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  const room = max - 1;
  const head = text.slice(0, room);
  // The cut is clean when the next character already starts a new word.
  const cleanCut = /\s/.test(text[room] ?? '');
  let cut = head;
  if (!cleanCut) {
    const boundary = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
    if (boundary >= room * (1 - WORD_SLACK)) cut = head.slice(0, boundary);
  }
  return `${cut.replace(/[\s,;:.\-–—(]+$/u, '')}…`;
}

/** `plural(1, 'claim')` → "1 claim"; `plural(2, 'entry', 'entries')` → "2 entries". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The word alone, agreeing with n: `pluralWord(3, 'claim')` → "claims". */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** The first sentence of a text (up to `max` characters, word-safe), for one-line previews. */
export function firstSentence(text: string, max = 120): string {
  // A sentence ends at . ! or ? followed by a space and a capital letter or the end; "e.g. x" does not end one.
  const match = /^(.+?[.!?])(?=\s+[A-Z(“"]|\s*$)/su.exec(text.trim());
  return truncate((match?.[1] ?? text).trim(), max);
}

/** Joins ["a", "b", "c"] as "a, b and c". */
export function listJoin(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** A Markdown link whose label cannot break out of the brackets. */
export function link(label: string, url: string): string {
  return `[${label.replace(/[[\]]/g, '')}](${url})`;
}

/** Joins items into lines until adding one more would pass `max` characters; says how many were left out. */
export function joinWithin(items: readonly string[], max: number, separator = '\n'): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; i < items.length; i++) {
    const more = items.length - i;
    const suffix = more > 1 ? `${separator}…and ${more - 1} more` : '';
    const next = items[i]!;
    const added = (out.length ? separator.length : 0) + next.length;
    if (length + added + (i < items.length - 1 ? suffix.length : 0) > max) {
      out.push(`…and ${more} more`);
      break;
    }
    out.push(next);
    length += added;
  }
  return out.join(separator);
}

/** A member mention (it never pings: allowed_mentions is always empty), or a neutral name once they deleted their data. */
export function mention(userId: string): string {
  return userId === '0' ? 'a former member' : `<@${userId}>`;
}

/** Characters an embed counts against Discord's 6000 per message. */
export function embedChars(e: { title?: string; description?: string; footer?: { text: string }; author?: { name: string }; fields?: { name: string; value: string }[] }): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** A Discord timestamp that each reader sees in their own time zone: D = date, R = relative, f = date and time. */
export function timestamp(ms: number, style: 'D' | 'R' | 'f' | 'F' | 'd' | 't' = 'D'): string {
  return `<t:${Math.floor(ms / 1000)}:${style}>`;
}
