/**
 * The previous claims layout, and its conversion to the bounded one (./claims-records.ts).
 *
 * Before: `claims:<guild>` held every claim and the recent history; `claims-archive:<guild>:<n>` held older events.
 * The conversion runs under the guild lock and orders its writes so that a SIGKILL at any point loses nothing:
 *   1. the new log chunks and indexes are written, then the open record, marked `legacyArchive: k`;
 *   2. the old record is deleted, then its k archive chunks;
 *   3. the mark is cleared.
 * A re-run with the old record still there and no mark copies again (the same content, overwritten); with the
 * mark set, the copy is known complete and only the deletions are finished. Nothing is deleted before the copy
 * it depends on is whole.
 */
import { z } from 'zod';
import { Claim, ClaimEvent } from '../../domain/claim-entities.ts';
import { applyProblemRenames, pendingBatches, renameRefs } from '../../domain/problem-renames.ts';
import type { RenameBatch } from '../../domain/problem-renames.ts';
import type { Collection } from '../collection.ts';
import { LOG_CHUNK_MAX, buildIndexes, claimNumber, isOpen, problemParts, type LogChunk, type MemberIndex, type OpenClaims, type ProblemIndex } from './claims-records.ts';

export const LegacyGuildClaims = z.object({
  claims: z.array(Claim),
  history: z.array(ClaimEvent),
  archivedChunks: z.number().int().nonnegative().optional(),
  renames: z.array(z.string()).optional(),
});
export type LegacyGuildClaims = z.infer<typeof LegacyGuildClaims>;

export const LegacyArchiveChunk = z.object({ events: z.array(ClaimEvent), renames: z.array(z.string()).optional() });
export type LegacyArchiveChunk = z.infer<typeof LegacyArchiveChunk>;

/** What the conversion needs of the claims repository (its collections, and the renumberings it follows). */
export interface LegacyTarget {
  readonly open: Collection<OpenClaims>;
  readonly log: Collection<LogChunk>;
  readonly problems: Collection<ProblemIndex>;
  readonly members: Collection<MemberIndex>;
  readonly legacy: Collection<LegacyGuildClaims>;
  readonly legacyArchive: Collection<LegacyArchiveChunk>;
  readonly renameBatches: readonly RenameBatch[];
  readonly now: number;
}

import type { MigrationStep } from '../migration-step.ts';

export type { MigrationStep };

/**
 * The new layout's log for one old guild: archived events, then the recent history, with each closed claim placed
 * where it closed, cut into chunks of LOG_CHUNK_MAX items. Pure.
 */
export function legacyLog(legacy: LegacyGuildClaims, archive: readonly LegacyArchiveChunk[], renames: string[] | undefined): LogChunk[] {
  type Item = { at: number; order: number; event?: ClaimEvent; claim?: Claim };
  const items: Item[] = [];
  let order = 0;
  for (const e of [...archive.flatMap((c) => c.events), ...legacy.history]) items.push({ at: e.at, order: order++, event: e });
  for (const c of legacy.claims) if (!isOpen(c)) items.push({ at: c.closedAt ?? c.lastCheckinAt, order: order++, claim: c });
  // Stable: events keep their recorded order; a closed claim goes after the events of the moment it closed.
  items.sort((a, b) => a.at - b.at || a.order - b.order);
  const chunks: LogChunk[] = [];
  for (let i = 0; i < items.length; i += LOG_CHUNK_MAX) {
    const slice = items.slice(i, i + LOG_CHUNK_MAX);
    chunks.push({ events: slice.flatMap((x) => (x.event ? [x.event] : [])), closed: slice.flatMap((x) => (x.claim ? [x.claim] : [])), renames });
  }
  return chunks;
}

/** Converts one guild (the caller holds the guild lock). Returns whether there was anything to convert. */
export async function migrateLegacyGuild(repo: LegacyTarget, guildId: string, step: MigrationStep, knownRenames: string[]): Promise<boolean> {
  let open = await repo.open.get(guildId);
  const legacy = await repo.legacy.get(guildId);
  if (!legacy && open?.legacyArchive === undefined) return false;
  if (legacy && open && open.legacyArchive === undefined) {
    // Both layouts hold this guild: the new one was written since (it cannot be a copy in progress, which is
    // always marked). Keep both rather than overwrite either; a human decides.
    throw new Error(`claims of guild ${guildId} exist in both layouts; the old record claims:${guildId} was left in place`);
  }
  if (legacy && !open) {
    const batches = repo.renameBatches;
    // Bring every part to the same renumbering before merging them: each part has had its own batches.
    const stamp = [...new Set([...(legacy.renames ?? []), ...knownRenames])];
    let hot = legacy;
    const todo = pendingBatches(batches, legacy.renames ?? []);
    if (todo.length > 0) {
      const renamed = applyProblemRenames(legacy, todo, repo.now).state;
      if (renamed) hot = renamed;
    }
    const stored = await repo.legacyArchive.getMany(Array.from({ length: legacy.archivedChunks ?? 0 }, (_, n) => [guildId, String(n)]));
    const archive = stored.map((c) => {
      if (!c) return { events: [] };
      const pending = pendingBatches(batches, c.renames ?? []);
      return pending.length === 0 ? c : { events: renameRefs(c.events, pending).items };
    });
    const log = legacyLog(hot, archive, stamp);
    for (const [n, chunk] of log.entries()) {
      await repo.log.putLocked([guildId, String(n)], chunk);
      await step();
    }
    const { problems, members } = buildIndexes(log, stamp);
    for (const p of problems.values()) {
      await repo.problems.putLocked(problemParts(guildId, p), p.index);
      await step();
    }
    for (const [userId, index] of members) {
      await repo.members.putLocked([guildId, userId], index);
      await step();
    }
    const last = log.at(-1);
    open = {
      claims: hot.claims.filter(isOpen),
      seq: hot.claims.reduce((n, c) => Math.max(n, claimNumber(c)), hot.claims.length),
      chunks: log.length,
      tail: last ? last.events.length + last.closed.length : 0,
      renames: stamp,
      legacyArchive: legacy.archivedChunks ?? 0,
    } satisfies OpenClaims;
    await repo.open.putLocked([guildId], open);
    await step();
  }
  if (legacy) {
    await repo.legacy.putLocked([guildId], undefined);
    await step();
  }
  const marked = open!;
  for (let n = 0; n < (marked.legacyArchive ?? 0); n++) {
    await repo.legacyArchive.putLocked([guildId, String(n)], undefined);
    await step();
  }
  const { legacyArchive: _, ...done } = marked;
  await repo.open.putLocked([guildId], done);
  await step();
  return true;
}
