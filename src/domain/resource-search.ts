/** Autocomplete and did-you-mean for resources (by title or id) and topics (by label or id). */
import type { Registry } from '../registry/load.ts';
import type { Resource, Topic } from '../registry/schema.ts';
import { FuzzyIndex } from './fuzzy-index.ts';

interface Indexes {
  resources: FuzzyIndex<Resource>;
  topics: FuzzyIndex<Topic>;
}

/** Keyed by the lists they index, so server views that share shipped lists also share the indexes. */
const resourceCache = new WeakMap<readonly Resource[], FuzzyIndex<Resource>>();
const topicCache = new WeakMap<readonly Topic[], FuzzyIndex<Topic>>();
const cache = new WeakMap<Registry, Indexes>();

export function resourceIndexes(registry: Registry): Indexes {
  let indexes = cache.get(registry);
  if (!indexes) {
    let resources = resourceCache.get(registry.resources);
    if (!resources) resourceCache.set(registry.resources, (resources = new FuzzyIndex(registry.resources, (r) => [r.title, r.id])));
    let topics = topicCache.get(registry.topics);
    if (!topics) topicCache.set(registry.topics, (topics = new FuzzyIndex(registry.topics, (t) => [t.label, t.id])));
    indexes = { resources, topics };
    cache.set(registry, indexes);
  }
  return indexes;
}

/** A topic named exactly (id or label, up to spelling variants), if any. */
export function resolveTopic(registry: Registry, value: string): Topic | undefined {
  return registry.topicById.get(value) ?? resourceIndexes(registry).topics.search(value, 1).find((m) => m.tier === 0)?.item;
}
