/** Names for files the bot attaches: readable in a downloads folder ("induction-export-mech-interp-club-2026-03-04.json"), never raw ids. */

/** "Mech Interp Club ✨" → "mech-interp-club"; falls back to "server" for a name with nothing usable. */
export function nameSlug(name: string | null | undefined, max = 40): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return slug || 'server';
}

/** `exportFileName('export', 'Mech Interp Club', now, 'json')` → "induction-export-mech-interp-club-2026-03-04.json" (UTC date). */
export function exportFileName(what: string, serverName: string | null | undefined, now: number, ext: string): string {
  return `induction-${what}-${nameSlug(serverName)}-${new Date(now).toISOString().slice(0, 10)}.${ext}`;
}
