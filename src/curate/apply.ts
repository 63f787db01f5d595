/**
 * Changes to a server's overlay: add or replace an entry, remove one, hide or unhide a shipped one, merge an
 * import. Every change is checked inside the overlay lock, against the shipped registry plus the whole next
 * overlay, with the same schemas and cross-reference checks as data/, plus the safety rules (URLs, invites,
 * the srv- namespace) and the size limits. Nothing is written unless every check passes.
 */
import { HIDDEN_LIMIT, OVERLAY_LIMITS, overlaySafetyProblems, type HiddenKind, type Overlay } from '../domain/overlay.ts';
import type { Registry } from '../registry/load.ts';
import { problemKey } from '../registry/load.ts';
import type { GlossaryTerm, Resource } from '../registry/schema.ts';
import { checkOverlay } from '../registry/view.ts';
import type { OverlaysRepo } from '../store/repos/overlays.ts';

export type Outcome = { ok: true; replaced: boolean } | { ok: false; problems: string[] };

/** Problems of a candidate overlay, or none. Shipped-data problems cannot occur (it loaded), so all are the server's. */
export function overlayProblems(shipped: Registry, next: Overlay): string[] {
  const problems: string[] = [];
  for (const kind of Object.keys(OVERLAY_LIMITS) as (keyof typeof OVERLAY_LIMITS)[]) {
    if (next[kind].length > OVERLAY_LIMITS[kind]) problems.push(`a server may add at most ${OVERLAY_LIMITS[kind]} ${kind}`);
  }
  for (const [kind, ids] of Object.entries(next.hidden)) if (ids.length > HIDDEN_LIMIT) problems.push(`a server may hide at most ${HIDDEN_LIMIT} ${kind}`);
  problems.push(...overlaySafetyProblems(next));
  if (problems.length > 0) return problems;
  const checked = checkOverlay(shipped, next);
  // Name the server's files the way a curator thinks of them, not data/ file names.
  return checked.ok ? [] : checked.problems.map((p) => p.replace(/^glossary\.json: entry/, 'term').replace(/^resources\.json: entry/, 'resource').replace(/^topics\.json: entry/, 'topic').replace(/^problems\.json: (entry|set)/, 'problem $1'));
}

const upsert = <T extends { id: string }>(list: readonly T[], entry: T) => {
  const at = list.findIndex((e) => e.id === entry.id);
  return at < 0 ? [...list, entry] : list.map((e, i) => (i === at ? entry : e));
};

export async function putTerm(repo: OverlaysRepo, shipped: Registry, guildId: string, term: GlossaryTerm, mode: 'add' | 'edit'): Promise<Outcome> {
  return repo.mutate<Outcome>(guildId, (current) => {
    const replaced = current.terms.some((t) => t.id === term.id);
    if (mode === 'add' && replaced) return { result: { ok: false, problems: [`this server already has a term with id "${term.id}"; edit it instead`] } };
    if (mode === 'edit' && !replaced) return { result: { ok: false, problems: [`this server has no term "${term.id}"`] } };
    const next = { ...current, terms: upsert(current.terms, term) };
    const problems = overlayProblems(shipped, next);
    return problems.length ? { result: { ok: false, problems } } : { next, result: { ok: true, replaced } };
  });
}

export async function putResource(repo: OverlaysRepo, shipped: Registry, guildId: string, resource: Resource, mode: 'add' | 'edit'): Promise<Outcome> {
  return repo.mutate<Outcome>(guildId, (current) => {
    const replaced = current.resources.some((r) => r.id === resource.id);
    if (mode === 'add' && replaced) return { result: { ok: false, problems: [`this server already has a resource with id "${resource.id}"; edit it instead`] } };
    if (mode === 'edit' && !replaced) return { result: { ok: false, problems: [`this server has no resource "${resource.id}"`] } };
    const next = { ...current, resources: upsert(current.resources, resource) };
    const problems = overlayProblems(shipped, next);
    return problems.length ? { result: { ok: false, problems } } : { next, result: { ok: true, replaced } };
  });
}

/**
 * Removes a server term or resource, and the server's own references to it (related terms, taught terms,
 * prerequisites), so the rest still passes the checks. Members' progress and claims are never touched.
 */
export async function removeEntry(repo: OverlaysRepo, shipped: Registry, guildId: string, kind: 'term' | 'resource', id: string): Promise<{ ok: true; title: string } | { ok: false; problems: string[] }> {
  return repo.mutate<{ ok: true; title: string } | { ok: false; problems: string[] }>(guildId, (current) => {
    const found = kind === 'term' ? current.terms.find((t) => t.id === id)?.term : current.resources.find((r) => r.id === id)?.title;
    if (!found) return { result: { ok: false, problems: [`this server has no ${kind} "${id}"`] } };
    const drop = (ids: readonly string[]) => ids.filter((x) => x !== id);
    const next: Overlay = {
      ...current,
      terms: current.terms.filter((t) => t.id !== id).map((t) => ({ ...t, related: drop(t.related), resources: drop(t.resources) })),
      resources: current.resources
        .filter((r) => r.id !== id)
        .map((r) => {
          const { parent, ...rest } = r;
          return { ...rest, terms: drop(r.terms), prerequisites: drop(r.prerequisites), ...(parent && parent !== id ? { parent } : {}) };
        }),
    };
    const problems = overlayProblems(shipped, next);
    return problems.length ? { result: { ok: false, problems } } : { next, result: { ok: true, title: found } };
  });
}

const HIDDEN_FIELD = { term: 'terms', resource: 'resources', topic: 'topics', set: 'sets', problem: 'problems' } as const;

/** The shipped entry a hide refers to, by kind and id ("set id" or "set:id" for a problem); its display name. */
export function shippedEntryName(shipped: Registry, kind: HiddenKind, id: string): { key: string; name: string } | undefined {
  switch (kind) {
    case 'term': {
      const t = shipped.termById.get(id);
      return t && { key: id, name: t.term };
    }
    case 'resource': {
      const r = shipped.resourceById.get(id);
      return r && { key: id, name: r.title };
    }
    case 'topic': {
      const t = shipped.topicById.get(id);
      return t && { key: id, name: t.label };
    }
    case 'set': {
      const s = shipped.setById.get(id);
      return s && { key: id, name: s.title };
    }
    case 'problem': {
      const [set, pid] = id.includes(':') ? id.split(':', 2) : id.split(/\s+/, 2);
      const p = set && pid ? shipped.problemByKey.get(problemKey(set, pid)) : undefined;
      return p && { key: problemKey(p.set, p.id), name: `${p.set} ${p.id}` };
    }
  }
}

export async function setHidden(repo: OverlaysRepo, guildId: string, kind: HiddenKind, key: string, hide: boolean): Promise<'changed' | 'unchanged' | 'full'> {
  const field = HIDDEN_FIELD[kind];
  return repo.mutate(guildId, (current) => {
    const has = current.hidden[field].includes(key);
    if (has === hide) return { result: 'unchanged' as const };
    if (hide && current.hidden[field].length >= HIDDEN_LIMIT) return { result: 'full' as const };
    const list = hide ? [...current.hidden[field], key] : current.hidden[field].filter((k) => k !== key);
    return { next: { ...current, hidden: { ...current.hidden, [field]: list } }, result: 'changed' as const };
  });
}

export interface ImportSummary {
  added: Record<'terms' | 'resources' | 'topics' | 'sets' | 'problems', number>;
  replaced: Record<'terms' | 'resources' | 'topics' | 'sets' | 'problems', number>;
  hidden: number;
}

/** The overlay after merging `incoming` (entries added or replaced by id, hidden ids united), with what changes. */
export function mergeOverlay(current: Overlay, incoming: Overlay): { next: Overlay; summary: ImportSummary } {
  const summary: ImportSummary = { added: { terms: 0, resources: 0, topics: 0, sets: 0, problems: 0 }, replaced: { terms: 0, resources: 0, topics: 0, sets: 0, problems: 0 }, hidden: 0 };
  const merge = <T>(kind: keyof ImportSummary['added'], existing: readonly T[], add: readonly T[], key: (t: T) => string) => {
    const out = [...existing];
    for (const entry of add) {
      const at = out.findIndex((e) => key(e) === key(entry));
      if (at < 0) {
        out.push(entry);
        summary.added[kind] += 1;
      } else {
        out[at] = entry;
        summary.replaced[kind] += 1;
      }
    }
    return out;
  };
  const hidden = { ...current.hidden };
  for (const field of Object.keys(hidden) as (keyof Overlay['hidden'])[]) {
    const extra = incoming.hidden[field].filter((k) => !hidden[field].includes(k));
    summary.hidden += extra.length;
    hidden[field] = [...hidden[field], ...extra];
  }
  return {
    next: {
      topics: merge('topics', current.topics, incoming.topics, (t) => t.id),
      resources: merge('resources', current.resources, incoming.resources, (r) => r.id),
      terms: merge('terms', current.terms, incoming.terms, (t) => t.id),
      sets: merge('sets', current.sets, incoming.sets, (s) => s.id),
      problems: merge('problems', current.problems, incoming.problems, (p) => problemKey(p.set, p.id)),
      hidden,
    },
    summary,
  };
}
