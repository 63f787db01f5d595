/**
 * "Plan week first" for /progress next: the member's unfinished plan items (overdue ones, then the current
 * week's) go ahead of whatever the ranking suggested, without duplicates, keeping the list at its length.
 */
export function planFirst<T extends { id: string }>(ranked: readonly T[], planItems: readonly T[], count = Math.max(ranked.length, 3)): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of [...planItems, ...ranked]) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}
