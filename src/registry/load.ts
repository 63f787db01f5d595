/**
 * Loads data/*.json, validates every entry, resolves cross-references and builds lookup indexes.
 * Any problem stops startup with the file, the entry id and the field, because a bot that serves broken links
 * or dangling ids is worse than one that refuses to start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  GlossaryFile,
  ProblemRenamesFile,
  ProblemsFile,
  ResourcesFile,
  TopicsFile,
  type GlossaryTerm,
  type Problem,
  type ProblemRenameBatch,
  type ProblemSet,
  type Resource,
  type Topic,
} from './schema.ts';
import { planReferenceProblems, PlansFile, type Plan } from './plans.ts';

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(readonly problems: string[]) {
    super(`registry data is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.slice(0, 30).join('\n  ')}`);
  }
}

export interface Registry {
  readonly topics: readonly Topic[];
  readonly resources: readonly Resource[];
  readonly terms: readonly GlossaryTerm[];
  readonly sets: readonly ProblemSet[];
  readonly problems: readonly Problem[];
  readonly topicById: ReadonlyMap<string, Topic>;
  readonly resourceById: ReadonlyMap<string, Resource>;
  readonly termById: ReadonlyMap<string, GlossaryTerm>;
  readonly setById: ReadonlyMap<string, ProblemSet>;
  /** Keyed by problemKey(set, id). */
  readonly problemByKey: ReadonlyMap<string, Problem>;
  /** Resources grouped under each parent, in reading order. */
  readonly childrenOf: ReadonlyMap<string, readonly Resource[]>;
  /** Problems that mention each glossary term. */
  readonly problemsByTerm: ReadonlyMap<string, readonly Problem[]>;
  /** Resources that teach each glossary term (from both sides of the link). */
  readonly resourcesByTerm: ReadonlyMap<string, readonly Resource[]>;
  /** Published renumberings, oldest first (data/problem-renames.json); stored claims follow them once. */
  readonly problemRenames: readonly ProblemRenameBatch[];
  /** Study-plan templates (data/plans.json), in file order. */
  readonly plans: readonly Plan[];
  readonly planById: ReadonlyMap<string, Plan>;
  /**
   * On a server's view (src/registry/view.ts): its terms are the shipped ones plus `extra`, less `hidden`, so the
   * glossary search reuses the shipped index and indexes only the server's own terms.
   */
  readonly termLayers?: { readonly base: readonly GlossaryTerm[]; readonly extra: readonly GlossaryTerm[]; readonly hidden: ReadonlySet<string> };
}

export const problemKey = (set: string, id: string) => `${set}:${id}`;

export interface RawRegistry {
  topics: z.input<typeof TopicsFile>;
  resources: z.input<typeof ResourcesFile>;
  glossary: z.input<typeof GlossaryFile>;
  problems: z.input<typeof ProblemsFile>;
  /** Optional so hand-built test registries need not carry it. */
  renames?: z.input<typeof ProblemRenamesFile>;
  /** Optional, so a registry without study plans still loads. */
  plans?: z.input<typeof PlansFile>;
}

const FILES = {
  topics: 'topics.json',
  resources: 'resources.json',
  glossary: 'glossary.json',
  problems: 'problems.json',
  renames: 'problem-renames.json',
  plans: 'plans.json',
} as const;

export function readRawRegistry(dataDir: string): RawRegistry {
  const read = (file: string) => {
    const path = join(dataDir, file);
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new RegistryError([`${file}: ${(error as Error).message}`]);
    }
  };
  return {
    topics: read(FILES.topics),
    resources: read(FILES.resources),
    glossary: read(FILES.glossary),
    problems: read(FILES.problems),
    renames: read(FILES.renames),
    plans: read(FILES.plans),
  };
}

export function loadRegistry(dataDir: string): Registry {
  const registry = buildRegistry(readRawRegistry(dataDir));
  // "srv-" is the namespace of servers' own entries (src/domain/overlay.ts): shipped ids may never use it.
  const taken = [...registry.topics, ...registry.resources, ...registry.terms, ...registry.sets, ...registry.problems].filter((e) => e.id.startsWith('srv-') || e.id.startsWith('SRV-'));
  if (taken.length > 0) throw new RegistryError(taken.map((e) => `entry "${e.id}" field id: ids starting "srv-" (problems "SRV-") are reserved for servers' own entries`));
  return registry;
}

/** Normalises a label for collision checks: case, spacing, hyphens and underscores do not distinguish terms. */
export const normaliseLabel = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\s_-]+/g, ' ').trim();

export function buildRegistry(raw: RawRegistry): Registry {
  const problems: string[] = [];

  function parse<S extends z.ZodType>(file: string, schema: S, value: unknown, listKey: string): z.output<S> | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues.slice(0, 50)) {
      const [list, index, ...field] = issue.path;
      const entry = list === listKey && typeof index === 'number' ? (value as any)?.[listKey]?.[index] : undefined;
      const where = entry ? `entry "${entry.id ?? `#${String(index)}`}" field ${field.map(String).join('.') || '(entry)'}` : `at ${issue.path.map(String).join('.') || '(root)'}`;
      problems.push(`${file}: ${where}: ${issue.message}`);
    }
    return undefined;
  }

  const topicsFile = parse(FILES.topics, TopicsFile, raw.topics, 'topics');
  const resourcesFile = parse(FILES.resources, ResourcesFile, raw.resources, 'resources');
  const glossaryFile = parse(FILES.glossary, GlossaryFile, raw.glossary, 'terms');
  const problemsFile = parse(FILES.problems, ProblemsFile, raw.problems, 'problems');
  const renamesFile = parse(FILES.renames, ProblemRenamesFile, raw.renames ?? { batches: [] }, 'batches');
  const plansFile = raw.plans === undefined ? { plans: [] as Plan[] } : parse(FILES.plans, PlansFile, raw.plans, 'plans');
  if (!topicsFile || !resourcesFile || !glossaryFile || !problemsFile || !renamesFile || !plansFile) throw new RegistryError(problems);

  const index = <T, K>(file: string, list: readonly T[], keyOf: (t: T) => K, label: (t: T) => string) => {
    const map = new Map<K, T>();
    for (const item of list) {
      const key = keyOf(item);
      if (map.has(key)) problems.push(`${file}: entry "${label(item)}" field id: duplicate id`);
      else map.set(key, item);
    }
    return map;
  };

  const { topics } = topicsFile;
  const { resources } = resourcesFile;
  const { terms } = glossaryFile;
  const { sets, problems: problemList } = problemsFile;

  const topicById = index(FILES.topics, topics, (t) => t.id, (t) => t.id);
  const resourceById = index(FILES.resources, resources, (r) => r.id, (r) => r.id);
  const termById = index(FILES.glossary, terms, (t) => t.id, (t) => t.id);
  const setById = index(FILES.problems, sets, (s) => s.id, (s) => s.id);
  const problemByKey = index(FILES.problems, problemList, (p) => problemKey(p.set, p.id), (p) => `${p.set} ${p.id}`);

  const ref = (file: string, id: string, field: string, target: ReadonlyMap<string, unknown>, value: string, kind: string) => {
    if (!target.has(value)) problems.push(`${file}: entry "${id}" field ${field}: unknown ${kind} id "${value}"`);
  };

  for (const r of resources) {
    r.topics.forEach((t, i) => ref(FILES.resources, r.id, `topics.${i}`, topicById, t, 'topic'));
    r.prerequisites.forEach((p, i) => ref(FILES.resources, r.id, `prerequisites.${i}`, resourceById, p, 'resource'));
    r.terms.forEach((t, i) => ref(FILES.resources, r.id, `terms.${i}`, termById, t, 'glossary'));
    if (r.parent !== undefined) ref(FILES.resources, r.id, 'parent', resourceById, r.parent, 'resource');
    if (r.prerequisites.includes(r.id)) problems.push(`${FILES.resources}: entry "${r.id}" field prerequisites: lists itself`);
  }
  for (const cycle of findCycles(resources)) {
    problems.push(`${FILES.resources}: entry "${cycle[0]}" field prerequisites: cycle ${cycle.join(' → ')}`);
  }

  // Every term, alias and abbreviation must lead to exactly one entry, or lookups become ambiguous.
  const labelOwner = new Map<string, string>();
  for (const t of terms) {
    t.related.forEach((id, i) => ref(FILES.glossary, t.id, `related.${i}`, termById, id, 'glossary'));
    t.resources.forEach((id, i) => ref(FILES.glossary, t.id, `resources.${i}`, resourceById, id, 'resource'));
    if (t.related.includes(t.id)) problems.push(`${FILES.glossary}: entry "${t.id}" field related: lists itself`);
    const ownLabels = new Set([t.term, ...t.aliases].map(normaliseLabel));
    (t.ambiguous ?? []).forEach((label, i) => {
      if (!ownLabels.has(normaliseLabel(label))) problems.push(`${FILES.glossary}: entry "${t.id}" field ambiguous.${i}: "${label}" is not the term or one of its aliases`);
    });
    for (const [field, label] of [['term', t.term] as const, ...t.aliases.map((a, i) => [`aliases.${i}`, a] as const)]) {
      const norm = normaliseLabel(label);
      const owner = labelOwner.get(norm);
      if (owner !== undefined && owner !== t.id) {
        problems.push(`${FILES.glossary}: entry "${t.id}" field ${field}: "${label}" collides with entry "${owner}"`);
      }
      labelOwner.set(norm, t.id);
    }
  }

  for (const set of sets) {
    const categoryIds = new Set<string>();
    for (const c of set.categories) {
      if (categoryIds.has(c.id)) problems.push(`${FILES.problems}: set "${set.id}" category ${c.id}: duplicate category id`);
      categoryIds.add(c.id);
    }
  }
  for (const p of problemList) {
    const set = setById.get(p.set);
    const id = `${p.set} ${p.id}`;
    if (!set) {
      problems.push(`${FILES.problems}: entry "${id}" field set: unknown set "${p.set}"`);
      continue;
    }
    if (!set.categories.some((c) => c.id === p.category)) {
      problems.push(`${FILES.problems}: entry "${id}" field category: unknown category "${p.category}" in set ${p.set}`);
    }
    p.terms.forEach((t, i) => ref(FILES.problems, id, `terms.${i}`, termById, t, 'glossary'));
  }
  for (const set of sets) {
    for (const c of set.categories) {
      if (c.expectedCount === null) continue;
      const n = problemList.filter((p) => p.set === set.id && p.category === c.id).length;
      if (n !== c.expectedCount) {
        problems.push(`${FILES.problems}: set "${set.id}" category ${c.id}: has ${n} problems, the source publishes ${c.expectedCount}`);
      }
    }
  }

  const batchIds = new Set<string>();
  const newestBatchOf = new Map(renamesFile.batches.map((b) => [b.set, b]));
  for (const batch of renamesFile.batches) {
    const where = `${FILES.renames}: batch "${batch.id}"`;
    if (batchIds.has(batch.id)) problems.push(`${where} field id: duplicate id`);
    batchIds.add(batch.id);
    if (!setById.has(batch.set)) problems.push(`${where} field set: unknown set "${batch.set}"`);
    const froms = new Set<string>();
    const tos = new Set<string>();
    batch.renames.forEach((r, i) => {
      if (froms.has(r.from)) problems.push(`${where} field renames.${i}.from: "${r.from}" is renamed twice`);
      if (tos.has(r.to)) problems.push(`${where} field renames.${i}.to: two ids are renamed to "${r.to}"`);
      froms.add(r.from);
      tos.add(r.to);
      if (r.from === r.to) problems.push(`${where} field renames.${i}: renames "${r.from}" to itself`);
      if (newestBatchOf.get(batch.set) === batch && !problemByKey.has(problemKey(batch.set, r.to))) problems.push(`${where} field renames.${i}.to: unknown problem "${r.to}"`);
    });
  }
  // Only a set's newest batch must point at today's ids: a later batch may rename an older batch's targets again.
  const planById = index(FILES.plans, plansFile.plans, (p) => p.id, (p) => p.id);
  for (const plan of plansFile.plans) {
    for (const problem of planReferenceProblems(plan, { resourceById, termById, problemByKey })) problems.push(`${FILES.plans}: entry "${plan.id}" ${problem}`);
  }

  if (problems.length > 0) throw new RegistryError(problems);

  const { childrenOf, problemsByTerm, resourcesByTerm } = deriveLinks(resources, terms, problemList, resourceById);

  return {
    topics,
    resources,
    terms,
    sets,
    problems: problemList,
    topicById,
    resourceById,
    termById,
    setById,
    problemByKey,
    childrenOf,
    problemsByTerm,
    resourcesByTerm,
    problemRenames: renamesFile.batches,
    plans: plansFile.plans,
    planById,
  };
}

/** The links derived from the entries: track children, and the problems and resources of each glossary term. */
export function deriveLinks(resources: readonly Resource[], terms: readonly GlossaryTerm[], problemList: readonly Problem[], resourceById: ReadonlyMap<string, Resource>) {
  const childrenOf = new Map<string, Resource[]>();
  for (const r of resources) {
    if (r.parent === undefined) continue;
    const list = childrenOf.get(r.parent) ?? [];
    list.push(r);
    childrenOf.set(r.parent, list);
  }
  for (const list of childrenOf.values()) list.sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9));

  const problemsByTerm = new Map<string, Problem[]>();
  for (const p of problemList) for (const t of p.terms) problemsByTerm.set(t, [...(problemsByTerm.get(t) ?? []), p]);

  const resourcesByTerm = new Map<string, Resource[]>();
  const link = (termId: string, resource: Resource | undefined) => {
    if (!resource) return;
    const list = resourcesByTerm.get(termId) ?? [];
    if (!list.includes(resource)) list.push(resource);
    resourcesByTerm.set(termId, list);
  };
  for (const t of terms) for (const rid of t.resources) link(t.id, resourceById.get(rid));
  for (const r of resources) for (const tid of r.terms) link(tid, r);

  return { childrenOf, problemsByTerm, resourcesByTerm };
}

/** Returns one representative path per prerequisite cycle. */
function findCycles(resources: readonly Resource[]): string[][] {
  const byId = new Map(resources.map((r) => [r.id, r]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      cycles.push([...path.slice(path.indexOf(id)), id]);
      return;
    }
    state.set(id, 'visiting');
    for (const next of byId.get(id)?.prerequisites ?? []) if (byId.has(next)) visit(next, [...path, id]);
    state.set(id, 'done');
  };
  for (const r of resources) visit(r.id, []);
  return cycles;
}
