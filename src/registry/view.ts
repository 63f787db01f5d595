/**
 * A server's view of the registry: the shipped entries plus the server's overlay, minus what it hides. Built
 * with the same buildRegistry as data/, so overlay entries pass the same schemas and cross-reference checks
 * against shipped + overlay, and the view has the same shape (maps, childrenOf, problemsByTerm, resourcesByTerm)
 * as the shipped registry: everything that takes a Registry works on a view unchanged.
 */
import type { Overlay, Hidden } from '../domain/overlay.ts';
import { buildRegistry, deriveLinks, problemKey, RegistryError, type RawRegistry, type Registry } from './load.ts';

/** The raw (data/ file) form of a registry plus an overlay, for buildRegistry. */
function mergedRaw(shipped: Registry, overlay: Overlay): RawRegistry {
  return {
    topics: { topics: [...shipped.topics, ...overlay.topics] },
    resources: { resources: [...shipped.resources, ...overlay.resources] },
    glossary: { terms: [...shipped.terms, ...overlay.terms] },
    problems: { sets: [...shipped.sets, ...overlay.sets], problems: [...shipped.problems, ...overlay.problems] },
    renames: { batches: [...shipped.problemRenames] },
    plans: { plans: [...shipped.plans] },
  } as RawRegistry;
}

/** Validates an overlay against the shipped registry: the problems, or the merged registry (before hiding). */
export function checkOverlay(shipped: Registry, overlay: Overlay): { ok: true; registry: Registry } | { ok: false; problems: string[] } {
  try {
    return { ok: true, registry: buildRegistry(mergedRaw(shipped, overlay)) };
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, problems: error.problems };
    throw error;
  }
}

/**
 * The server's view. A stored overlay was valid when written, but a later release may drop a shipped entry it
 * points at: then the entries named in the problems are left out (and reported), never the whole server.
 */
export function buildView(shipped: Registry, overlay: Overlay): { registry: Registry; dropped: string[] } {
  let current = overlay;
  const dropped: string[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const checked = checkOverlay(shipped, current);
    if (checked.ok) {
      const registry = applyHidden(serverFirst(mergeRegistry(shipped, current)), current.hidden);
      const termLayers = { base: shipped.terms, extra: current.terms, hidden: new Set(current.hidden.terms) };
      return { registry: registry.terms === shipped.terms ? registry : { ...registry, termLayers }, dropped };
    }
    const named = new Set(checked.problems.flatMap((p) => [...p.matchAll(/"(srv-[a-z0-9-]+)/g)].map((m) => m[1]!)));
    if (named.size === 0) break;
    dropped.push(...named);
    current = {
      ...current,
      topics: current.topics.filter((t) => !named.has(t.id)),
      resources: current.resources.filter((r) => !named.has(r.id)),
      terms: current.terms.filter((t) => !named.has(t.id)),
      sets: current.sets.filter((s) => !named.has(s.id)),
      problems: current.problems.filter((p) => !named.has(p.set)),
    };
  }
  return { registry: applyHidden(shipped, overlay.hidden), dropped: [...dropped, 'the whole overlay'] };
}

/**
 * Shipped + a checked overlay, sharing the shipped entry objects (checkOverlay's registry holds fresh copies of
 * every entry from zod, which a cached view per server should not keep).
 */
function mergeRegistry(shipped: Registry, overlay: Overlay): Registry {
  const withAll = <T, K>(map: ReadonlyMap<K, T>, extra: readonly T[], key: (t: T) => K): ReadonlyMap<K, T> => {
    if (extra.length === 0) return map;
    const out = new Map(map);
    for (const e of extra) out.set(key(e), e);
    return out;
  };
  // Unchanged lists stay the shipped arrays, so the search indexes keyed by them are shared (src/domain/*-search.ts).
  const concat = <T>(a: readonly T[], b: readonly T[]) => (b.length ? [...a, ...b] : a);
  const resources = concat(shipped.resources, overlay.resources);
  const terms = concat(shipped.terms, overlay.terms);
  const problems = concat(shipped.problems, overlay.problems);
  const resourceById = withAll(shipped.resourceById, overlay.resources, (r) => r.id);
  return {
    ...shipped,
    topics: concat(shipped.topics, overlay.topics),
    resources,
    terms,
    sets: concat(shipped.sets, overlay.sets),
    problems,
    topicById: withAll(shipped.topicById, overlay.topics, (t) => t.id),
    resourceById,
    termById: withAll(shipped.termById, overlay.terms, (t) => t.id),
    setById: withAll(shipped.setById, overlay.sets, (s) => s.id),
    problemByKey: withAll(shipped.problemByKey, overlay.problems, (p) => problemKey(p.set, p.id)),
    ...deriveLinks(resources, terms, problems, resourceById),
  };
}

/** A server's own reading comes first under each term: it is what its curators added for their members. */
function serverFirst(registry: Registry): Registry {
  const own = (r: { id: string }) => (r.id.startsWith('srv-') ? 0 : 1);
  const resourcesByTerm = new Map([...registry.resourcesByTerm].map(([k, list]) => [k, [...list].sort((a, b) => own(a) - own(b))] as const));
  return { ...registry, resourcesByTerm };
}

/** The registry without hidden entries: they disappear from lists, searches, draws and cross-links. */
export function applyHidden(registry: Registry, hidden: Hidden): Registry {
  const h = {
    terms: new Set(hidden.terms),
    resources: new Set(hidden.resources),
    topics: new Set(hidden.topics),
    sets: new Set(hidden.sets),
    problems: new Set(hidden.problems),
  };
  if (Object.values(h).every((s) => s.size === 0)) return registry;
  const keepProblem = (p: { set: string; id: string }) => !h.sets.has(p.set) && !h.problems.has(problemKey(p.set, p.id));
  const filterMap = <T>(map: ReadonlyMap<string, T>, keep: (key: string, value: T) => boolean) => new Map([...map].filter(([k, v]) => keep(k, v)));
  // Lists of a kind with nothing hidden stay the same arrays, so their search indexes are shared.
  const anyProblems = h.sets.size > 0 || h.problems.size > 0;
  const topics = h.topics.size ? registry.topics.filter((t) => !h.topics.has(t.id)) : registry.topics;
  const resources = h.resources.size ? registry.resources.filter((r) => !h.resources.has(r.id)) : registry.resources;
  const terms = h.terms.size ? registry.terms.filter((t) => !h.terms.has(t.id)) : registry.terms;
  const sets = h.sets.size ? registry.sets.filter((s) => !h.sets.has(s.id)) : registry.sets;
  const problems = anyProblems ? registry.problems.filter(keepProblem) : registry.problems;
  return {
    ...registry,
    topics,
    resources,
    terms,
    sets,
    problems,
    topicById: filterMap(registry.topicById, (k) => !h.topics.has(k)),
    resourceById: filterMap(registry.resourceById, (k) => !h.resources.has(k)),
    termById: filterMap(registry.termById, (k) => !h.terms.has(k)),
    setById: filterMap(registry.setById, (k) => !h.sets.has(k)),
    problemByKey: filterMap(registry.problemByKey, (_k, p) => keepProblem(p)),
    childrenOf: new Map([...registry.childrenOf].map(([k, list]) => [k, list.filter((r) => !h.resources.has(r.id))] as const)),
    problemsByTerm: new Map([...registry.problemsByTerm].filter(([k]) => !h.terms.has(k)).map(([k, list]) => [k, list.filter(keepProblem)] as const)),
    resourcesByTerm: new Map([...registry.resourcesByTerm].filter(([k]) => !h.terms.has(k)).map(([k, list]) => [k, list.filter((r) => !h.resources.has(r.id))] as const)),
  };
}
