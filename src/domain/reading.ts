/** Pure reading-progress logic: filtering the registry, tracks, and what to read next. */
import type { Registry } from '../registry/load.ts';
import type { Level, Resource, ResourceKind } from '../registry/schema.ts';
import type { MemberProgress, ProgressStatus } from './progress-entities.ts';

export interface ResourceFilters {
  kind?: ResourceKind | undefined;
  level?: Level | undefined;
  topic?: string | undefined;
}

export function filterResources(resources: readonly Resource[], filters: ResourceFilters): Resource[] {
  return resources.filter(
    (r) =>
      (filters.kind === undefined || r.kind === filters.kind) &&
      (filters.level === undefined || r.level === filters.level) &&
      (filters.topic === undefined || r.topics.includes(filters.topic)),
  );
}

export const statusOf = (progress: MemberProgress, resourceId: string): ProgressStatus | undefined => progress.entries[resourceId]?.status;

export interface Tally {
  label: string;
  done: number;
  total: number;
}

/** Tracks are parents with sections (for example ARENA chapter 1: 5/14). */
export function trackTallies(registry: Registry, progress: MemberProgress): Tally[] {
  return [...registry.childrenOf]
    .filter(([, children]) => children.length >= 2)
    .map(([parentId, children]) => ({
    label: registry.resourceById.get(parentId)?.title ?? parentId,
    done: children.filter((c) => statusOf(progress, c.id) === 'done').length,
    total: children.length,
  }));
}

export function recentCompletions(registry: Registry, progress: MemberProgress, count = 5) {
  return Object.entries(progress.entries)
    .filter(([id, e]) => e.status === 'done' && e.completedAt !== null && registry.resourceById.has(id))
    .sort((a, b) => (b[1].completedAt ?? 0) - (a[1].completedAt ?? 0))
    .slice(0, count)
    .map(([id, entry]) => ({ resource: registry.resourceById.get(id)!, entry }));
}

const LEVEL_ORDER: Record<Level, number> = { intro: 0, intermediate: 1, advanced: 2 };
/** Kinds you read or work through; tools and containers are not "next reads". */
const READABLE: ReadonlySet<ResourceKind> = new Set(['guide', 'tutorial', 'paper', 'video', 'reading-list', 'glossary']);

/**
 * The plain, impersonal ranking (kept for callers that have no member profile; /progress next uses the personal
 * ranking in recommend.ts). Up to `count` resources whose prerequisites are all done (or knowingly skipped), that the
 * member has not finished, skipped or started. What they queued comes first, then by level, then by estimated time.
 */
export function nextSuggestions(registry: Registry, progress: MemberProgress, count = 3): Resource[] {
  const cleared = (id: string) => {
    const s = statusOf(progress, id);
    return s === 'done' || s === 'skipped';
  };
  return registry.resources
    .filter((r) => READABLE.has(r.kind))
    .filter((r) => {
      const s = statusOf(progress, r.id);
      return s === undefined || s === 'queued';
    })
    .filter((r) => r.prerequisites.every(cleared))
    .sort(
      (a, b) =>
        Number(statusOf(progress, b.id) === 'queued') - Number(statusOf(progress, a.id) === 'queued') ||
        LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
        (a.estMinutes ?? Number.MAX_SAFE_INTEGER) - (b.estMinutes ?? Number.MAX_SAFE_INTEGER) ||
        a.title.localeCompare(b.title),
    )
    .slice(0, count);
}
