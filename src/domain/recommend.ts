/**
 * Personal "what to read next" (/progress next): a pure ranking from what the member has done.
 *
 * - Level: inferred from finished work. Time spent counts (a 10-hour ARENA tutorial is real experience even when
 *   the registry calls it "intro"), and so does the hardest level finished. Suggestions near that level rank first;
 *   a newcomer gets short intro reads, someone who finished a long tutorial gets the next step up.
 * - Topics: topics of what they finished or are reading weigh in (how often each appears, capped).
 * - Tracks: a section of a track they are in (same parent as something started) ranks up, the next one in order most.
 * - Prerequisites just unlocked: a resource whose prerequisite they finished recently ranks up and says so.
 * - Plan first: when their group has a plan, the plan's unfinished items go first (plan-first.ts).
 * Done, skipped, queued and in-progress resources are never suggested (except a plan item you are reading).
 */
import type { Registry } from '../registry/load.ts';
import type { Level, Resource, ResourceKind } from '../registry/schema.ts';
import type { MemberProgress } from './progress-entities.ts';
import { planFirst } from './plan-first.ts';

export const LEVEL_RANK: Record<Level, number> = { intro: 0, intermediate: 1, advanced: 2 };
const LEVELS: readonly Level[] = ['intro', 'intermediate', 'advanced'];
/** Kinds you read or work through; tools and containers are not "next reads". */
const READABLE: ReadonlySet<ResourceKind> = new Set(['guide', 'tutorial', 'paper', 'video', 'reading-list', 'glossary']);
/** Minutes credited for a finished resource with no estimate. */
const UNKNOWN_MINUTES = 30;
/** Finished minutes at which a member reads as intermediate, then advanced. */
const INTERMEDIATE_MINUTES = 300;
const ADVANCED_MINUTES = 2400;
/** A completion this recent (or among the last few) counts as "just" unlocking what depended on it. */
const RECENT_MS = 14 * 86_400_000;
const RECENT_COUNT = 3;

export type Reason =
  | { kind: 'plan' }
  | { kind: 'unlocked'; by: Resource }
  | { kind: 'track'; track: Resource; next: boolean }
  | { kind: 'topics'; topics: string[] }
  | { kind: 'level'; level: Level };

export interface Suggestion {
  resource: Resource;
  score: number;
  reasons: Reason[];
}

export interface MemberProfile {
  /** The level to aim suggestions at. */
  level: Level;
  finishedMinutes: number;
  finishedCount: number;
  /** Topic id → weight (how many finished or current resources carry it). */
  topics: ReadonlyMap<string, number>;
  /** Parents (tracks) of resources the member finished or is reading. */
  tracks: ReadonlySet<string>;
  /** Ids finished recently enough that what they unlock is "just unlocked". */
  recent: ReadonlySet<string>;
}

export function memberProfile(registry: Registry, progress: MemberProgress, now: number): MemberProfile {
  let minutes = 0;
  let hardest = -1;
  let finishedCount = 0;
  const topics = new Map<string, number>();
  const tracks = new Set<string>();
  const done: { id: string; at: number }[] = [];
  for (const [id, entry] of Object.entries(progress.entries)) {
    const r = registry.resourceById.get(id);
    if (!r) continue;
    const active = entry.status === 'done' || entry.status === 'reading';
    if (!active) continue;
    for (const t of r.topics) topics.set(t, (topics.get(t) ?? 0) + (entry.status === 'done' ? 1 : 0.5));
    if (r.parent) tracks.add(r.parent);
    if (registry.childrenOf.has(r.id)) tracks.add(r.id);
    if (entry.status !== 'done') continue;
    finishedCount++;
    minutes += r.estMinutes ?? UNKNOWN_MINUTES;
    hardest = Math.max(hardest, LEVEL_RANK[r.level]);
    done.push({ id, at: entry.completedAt ?? entry.updatedAt });
  }
  const byTime = minutes >= ADVANCED_MINUTES ? 2 : minutes >= INTERMEDIATE_MINUTES ? 1 : 0;
  // Finishing one advanced paper makes you ready for intermediate work, not necessarily more advanced papers.
  const byLevel = hardest < 0 ? 0 : Math.min(2, hardest === 2 ? 2 : hardest);
  const level = LEVELS[Math.max(byTime, byLevel)]!;
  done.sort((a, b) => b.at - a.at);
  const recent = new Set(done.filter((d, i) => i < RECENT_COUNT || now - d.at <= RECENT_MS).map((d) => d.id));
  return { level, finishedMinutes: minutes, finishedCount, topics, tracks, recent };
}

/** Scores one unlocked, untouched resource for a member; higher is better. */
export function scoreResource(registry: Registry, profile: MemberProfile, r: Resource): Suggestion {
  const reasons: Reason[] = [];
  let score = 0;
  const target = LEVEL_RANK[profile.level];
  const gap = LEVEL_RANK[r.level] - target;
  // Right at your level is best; one step below is fine; above your level is discouraged more than below.
  score -= gap > 0 ? gap * 4 : -gap * 2.5;
  if (gap === 0 && profile.finishedCount > 0 && target > 0) reasons.push({ kind: 'level', level: r.level });

  // Newcomers: short first reads. Experienced members: long tutorials are fine, but open-ended ones still lose a bit.
  const minutes = r.estMinutes;
  if (profile.finishedCount === 0 || target === 0) score -= minutes === null ? 2 : Math.min(3, minutes / 60);
  else score -= minutes === null ? 1 : 0;

  const unlockedBy = r.prerequisites.map((id) => (profile.recent.has(id) ? registry.resourceById.get(id) : undefined)).find((x) => x !== undefined);
  if (unlockedBy) {
    score += 4;
    reasons.push({ kind: 'unlocked', by: unlockedBy });
  }

  if (r.parent && profile.tracks.has(r.parent)) {
    // Counted as the next section; recommend() demotes all but the earliest open one in reading order.
    score += 4;
    reasons.push({ kind: 'track', track: registry.resourceById.get(r.parent)!, next: true });
  }

  const shared = r.topics.filter((t) => profile.topics.has(t));
  if (shared.length > 0) {
    const weight = shared.reduce((n, t) => n + Math.min(2, profile.topics.get(t)!), 0);
    score += Math.min(4, weight);
    reasons.push({ kind: 'topics', topics: shared.slice(0, 2) });
  }
  reasons.sort((a, b) => REASON_ORDER[a.kind] - REASON_ORDER[b.kind]);
  return { resource: r, score, reasons };
}

/** Reasons, most telling first (a card shows the first two). */
const REASON_ORDER: Record<Reason['kind'], number> = { plan: 0, unlocked: 1, track: 2, topics: 3, level: 4 };

/** Each further pick from the same track costs this much, so three suggestions are not three sections of one course. */
const SAME_TRACK_PENALTY = 2.5;

/** Greedy pick of `count` from the ranked list, trading a little score for variety across tracks. */
function diversify(ranked: readonly Suggestion[], count: number): Suggestion[] {
  const pool = ranked.slice(0, Math.max(count * 10, 30));
  const picked: Suggestion[] = [];
  const perTrack = new Map<string, number>();
  while (picked.length < count && pool.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    for (const [i, s] of pool.entries()) {
      const adjusted = s.score - SAME_TRACK_PENALTY * (s.resource.parent ? (perTrack.get(s.resource.parent) ?? 0) : 0);
      if (adjusted > bestScore) [best, bestScore] = [i, adjusted];
    }
    const [chosen] = pool.splice(best, 1);
    picked.push(chosen!);
    if (chosen!.resource.parent) perTrack.set(chosen!.resource.parent, (perTrack.get(chosen!.resource.parent) ?? 0) + 1);
  }
  return picked;
}

export interface RecommendOptions {
  count?: number;
  now: number;
  /** The member's unfinished plan items (overdue, then this week), from their group's plan; they go first. */
  planItems?: readonly Resource[];
  /** memberProfile() of the same progress, when the caller already has it (the card shows it too). */
  profile?: MemberProfile;
}

/**
 * Up to `count` suggestions whose prerequisites are all done (or knowingly skipped), that the member has not
 * touched (done, skipped, queued or reading), best first. Plan items lead when there are any.
 */
export function recommend(registry: Registry, progress: MemberProgress, { count = 3, now, planItems = [], profile = memberProfile(registry, progress, now) }: RecommendOptions): Suggestion[] {
  const status = (id: string) => progress.entries[id]?.status;
  const cleared = (id: string) => status(id) === 'done' || status(id) === 'skipped';
  const candidates = registry.resources.filter((r) => READABLE.has(r.kind) && status(r.id) === undefined && r.prerequisites.every(cleared));
  // In a track, only the earliest unstarted section counts as "next"; later ones still rank as "in your track".
  const firstOpen = new Map<string, string>();
  for (const r of candidates) if (r.parent && !firstOpen.has(r.parent)) firstOpen.set(r.parent, r.id);
  const ranked = candidates
    .map((r) => {
      const s = scoreResource(registry, profile, r);
      for (const reason of s.reasons) {
        if (reason.kind === 'track' && firstOpen.get(r.parent!) !== r.id) {
          reason.next = false;
          s.score -= 1.5;
        }
      }
      return s;
    })
    .sort((a, b) => b.score - a.score || LEVEL_RANK[a.resource.level] - LEVEL_RANK[b.resource.level] || (a.resource.estMinutes ?? 1e9) - (b.resource.estMinutes ?? 1e9) || a.resource.title.localeCompare(b.resource.title));
  // A plan item you are already reading stays: the plan says this is the week for it.
  const plan = planItems.filter((r) => status(r.id) === undefined || status(r.id) === 'reading').map((r): Suggestion => ({ resource: r, score: Infinity, reasons: [{ kind: 'plan' }] }));
  const merged = planFirst(
    diversify(ranked, count).map((s) => ({ id: s.resource.id, s })),
    plan.map((s) => ({ id: s.resource.id, s })),
    count,
  );
  return merged.map((m) => m.s);
}
