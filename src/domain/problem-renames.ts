/**
 * Problem renumberings, applied to stored claims. When a source's numbering is corrected (data/problem-renames.json),
 * every claim and history event that names an old id must name the new one, exactly once.
 *
 * A batch is a simultaneous substitution: all of its `from` ids change at the same moment, so a chain such as
 * 2.30 → 2.31 while 2.31 → 2.32 moves each claim one step and never two. Batches apply in order, oldest first.
 * Applying a batch is NOT idempotent (a second pass would move 2.31 on to 2.32), so the caller records which batch
 * ids a stored record has had applied, in the same write as the renamed record.
 *
 * Pure: no storage, no clock; `now` stamps the events for claims merged by a rename.
 */

export interface ProblemRename {
  readonly from: string;
  readonly to: string;
}

export interface RenameBatch {
  readonly id: string;
  readonly set: string;
  readonly renames: readonly ProblemRename[];
}

/** What this module needs of a claim; the store's Claim has these fields and more, which pass through unchanged. */
export interface RenameClaim {
  readonly id: string;
  readonly set: string;
  readonly problemId: string;
  readonly userId: string;
  readonly status: 'active' | 'stale' | 'released' | 'done';
  readonly lastCheckinAt: number;
  readonly claimedAt: number;
  readonly staleAt: number | null;
  readonly closedAt: number | null;
}

/** The shape of a claim history event (the store's ClaimEvent). */
export interface RenameEvent {
  readonly at: number;
  readonly set: string;
  readonly problemId: string;
  readonly userId: string;
  readonly action: 'claimed' | 'checked-in' | 'stale' | 'released' | 'unclaimed' | 'done' | 'pinned' | 'unpinned';
  readonly by: string;
  readonly note: string | null;
  readonly link: string | null;
}

/** The new id for `problemId` under one batch, or the id itself when the batch does not rename it. */
export function renamedId(batch: RenameBatch, set: string, problemId: string): string {
  if (set !== batch.set) return problemId;
  return batch.renames.find((r) => r.from === problemId)?.to ?? problemId;
}

/** The new id after every batch in order. */
export function renamedIdAfter(batches: readonly RenameBatch[], set: string, problemId: string): string {
  return batches.reduce((id, batch) => renamedId(batch, set, id), problemId);
}

/** The batches a record has not had yet, in their published order. */
export function pendingBatches(batches: readonly RenameBatch[], appliedIds: Iterable<string>): RenameBatch[] {
  const applied = new Set(appliedIds);
  return batches.filter((b) => !applied.has(b.id));
}

/** Renames the problem ids of any list of set/problemId items (history events, archive chunks, digests). */
export function renameRefs<T extends { readonly set: string; readonly problemId: string }>(
  items: readonly T[],
  batches: readonly RenameBatch[],
): { items: T[]; changed: number } {
  let changed = 0;
  const out = items.map((item) => {
    const next = renamedIdAfter(batches, item.set, item.problemId);
    if (next === item.problemId) return item;
    changed += 1;
    return { ...item, problemId: next };
  });
  return { items: out, changed };
}

const isCurrent = (c: RenameClaim) => c.status === 'active' || c.status === 'stale';

export interface RenameOutcome<C extends RenameClaim> {
  /** Claims whose problem id changed. */
  renamed: number;
  /** History events whose problem id changed. */
  renamedEvents: number;
  /**
   * Current claims released because, after the rename, their member held two current claims on one problem
   * (both old ids now name the same problem). The claim with the latest check-in is kept.
   */
  merged: C[];
}

/**
 * Applies `batches` to one claims record: claims and history follow the new ids, and a member left with two current
 * claims on the same problem keeps one. Returns state null when nothing names a renamed id. Other members' claims
 * on the same problem are left alone, even in exclusive mode: a renumbering must not take anyone's claim away.
 */
export function applyProblemRenames<C extends RenameClaim, S extends { readonly claims: readonly C[]; readonly history: readonly RenameEvent[] }>(
  state: S,
  batches: readonly RenameBatch[],
  now: number,
): { state: S | null; outcome: RenameOutcome<C> } {
  const claims = renameRefs(state.claims, batches);
  const history = renameRefs(state.history, batches);

  // Among each member's current claims on one problem, keep the most recently checked-in (then the oldest claim).
  const keeper = new Map<string, C>();
  for (const c of claims.items) {
    if (!isCurrent(c)) continue;
    const key = `${c.userId}\u0000${c.set}\u0000${c.problemId}`;
    const best = keeper.get(key);
    if (!best || c.lastCheckinAt > best.lastCheckinAt || (c.lastCheckinAt === best.lastCheckinAt && c.claimedAt < best.claimedAt)) {
      keeper.set(key, c);
    }
  }
  const merged: C[] = [];
  const events: RenameEvent[] = [];
  const finalClaims = claims.items.map((c) => {
    if (!isCurrent(c)) return c;
    const kept = keeper.get(`${c.userId}\u0000${c.set}\u0000${c.problemId}`);
    if (kept === undefined || kept === c) return c;
    const released = { ...c, status: 'released' as const, staleAt: null, closedAt: now };
    merged.push(released);
    events.push({
      at: now,
      set: c.set,
      problemId: c.problemId,
      userId: c.userId,
      action: 'released',
      by: 'system',
      note: `Merged into claim ${kept.id}: problem ids were renumbered and both claims now name ${c.problemId}.`.slice(0, 200),
      link: null,
    });
    return released;
  });

  const outcome: RenameOutcome<C> = { renamed: claims.changed, renamedEvents: history.changed, merged };
  if (claims.changed === 0 && history.changed === 0) return { state: null, outcome };
  return { state: { ...state, claims: finalClaims, history: [...history.items, ...events] }, outcome };
}
