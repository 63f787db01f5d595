/** Text helpers for rendering: truncation that respects Discord's limits, and safe Markdown links. */

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
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
