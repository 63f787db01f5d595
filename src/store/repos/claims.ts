/**
 * Problem claims: ONE record per guild (`claims:<guildId>`) holding every claim and the full event history.
 * One record means one lock per guild, so concurrent claims on the same problem serialise and exclusivity and
 * the per-member cap are checked against the state they actually change. All decisions live in
 * src/domain/claims.ts; this class only runs them inside `Collection.update`.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import { applyProblemRenames, pendingBatches, renameRefs, type RenameBatch } from '../../domain/problem-renames.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import type { GuildSettings, GuildSettingsRepo } from './guild-settings.ts';
import {
  applyCheckin,
  applyClaim,
  applyDone,
  applyPin,
  applyRelease,
  applySweep,
  applyForgetMember,
  anonymiseEvents,
  type ForgetOutcome,
  CLAIM_LINK_MAX,
  CLAIM_NOTE_MAX,
  type CheckinOutcome,
  type ClaimOutcome,
  type ClaimRequest,
  type DoneOutcome,
  type PinOutcome,
  type ProblemRef,
  type ReleaseOutcome,
  type SweepResult,
  type Transition,
} from '../../domain/claims.ts';

export const CLAIM_INTENTS = ['exploring', 'working', 'writing-up'] as const;
export const ClaimIntent = z.enum(CLAIM_INTENTS);
export type ClaimIntent = z.infer<typeof ClaimIntent>;

export const CLAIM_STATUSES = ['active', 'stale', 'released', 'done'] as const;
export const ClaimStatus = z.enum(CLAIM_STATUSES);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

export const CLAIM_ACTIONS = ['claimed', 'checked-in', 'stale', 'released', 'unclaimed', 'done', 'pinned', 'unpinned'] as const;
export const ClaimAction = z.enum(CLAIM_ACTIONS);
export type ClaimAction = z.infer<typeof ClaimAction>;


const Time = z.number().int().nonnegative();

export const Claim = z.object({
  /** Unique within the guild; stable, so history and messages can refer to one claim. */
  id: z.string().min(1).max(40),
  set: z.string().min(1),
  problemId: z.string().min(1),
  userId: z.string().regex(/^\d{1,20}$/),
  intent: ClaimIntent,
  note: z.string().max(CLAIM_NOTE_MAX).nullable(),
  link: z.string().max(CLAIM_LINK_MAX).nullable(),
  status: ClaimStatus,
  /** Exempt from the stale/release lifecycle (set by a member with Manage Server). */
  pinned: z.boolean(),
  claimedAt: Time,
  lastCheckinAt: Time,
  /** When the sweep marked it stale; null unless status is 'stale'. */
  staleAt: Time.nullable(),
  /** When it was released or done; null while active or stale. */
  closedAt: Time.nullable(),
  /** The write-up recorded with /problem done. */
  outcomeLink: z.string().max(CLAIM_LINK_MAX).nullable(),
});
export type Claim = z.infer<typeof Claim>;

export const ClaimEvent = z.object({
  at: Time,
  set: z.string().min(1),
  problemId: z.string().min(1),
  /** Whose claim the event is about. */
  userId: z.string().regex(/^\d{1,20}$/),
  action: ClaimAction,
  /** Who did it: a user id, or 'system' for the lifecycle sweep. */
  by: z.string().regex(/^(\d{1,20}|system)$/),
  note: z.string().max(CLAIM_NOTE_MAX).nullable(),
  link: z.string().max(CLAIM_LINK_MAX).nullable(),
});
export type ClaimEvent = z.infer<typeof ClaimEvent>;

export const GuildClaims = z.object({
  claims: z.array(Claim),
  /** The recent part of the history, oldest first; older events live in archive chunks. */
  history: z.array(ClaimEvent),
  /** How many archive chunks (claims-archive:<guild>:<n>, n from 0) hold older events. */
  archivedChunks: z.number().int().nonnegative().optional(),
  /** Problem renumberings (data/problem-renames.json) already applied to this record, by batch id. */
  renames: z.array(z.string()).optional(),
});
export type GuildClaims = z.infer<typeof GuildClaims>;

const ArchiveChunk = z.object({ events: z.array(ClaimEvent), renames: z.array(z.string()).optional() });

/**
 * Every claim action rewrites the guild's record, so the history kept in it is bounded: past HOT_HISTORY_MAX
 * events, all but the newest HOT_HISTORY_KEEP move to an append-only archive chunk that is rarely read.
 */
export const HOT_HISTORY_MAX = 600;
export const HOT_HISTORY_KEEP = 300;

export { CLAIM_LINK_MAX, CLAIM_NOTE_MAX };
export type { SweepResult };

/** Shared by every read of a guild without claims; frozen so a stray mutation fails loudly instead of leaking. */
export const EMPTY_GUILD_CLAIMS: GuildClaims = Object.freeze({ claims: Object.freeze([]), history: Object.freeze([]) }) as unknown as GuildClaims;

export class ClaimsRepo {
  readonly collection: Collection<GuildClaims>;
  readonly archive: Collection<z.infer<typeof ArchiveChunk>>;

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'claims', schema: GuildClaims, version: 1, cache });
    this.archive = new Collection(keyv, locks, { name: 'claims-archive', schema: ArchiveChunk, version: 1, cache });
  }

  /**
   * Published problem renumberings. Stored claims follow them exactly once per record: each record (the guild's
   * claims record, and each archive chunk) lists the batch ids it has had, in the same write that renames it, so a
   * crash between records leaves the rest pending and the next access finishes them. New records are stamped with
   * every known batch, since their ids are already current.
   */
  #renames: readonly RenameBatch[] = [];
  #renameIds: string[] = [];
  #now: () => number = Date.now;

  useRenames(batches: readonly RenameBatch[], now: () => number): void {
    this.#renames = batches;
    this.#renameIds = batches.map((b) => b.id);
    this.#now = now;
  }

  #pending(applied: readonly string[] | undefined): RenameBatch[] {
    return this.#renames.length === 0 ? [] : pendingBatches(this.#renames, applied ?? []);
  }

  /** The record with every pending renumbering applied (pure; the caller writes it). */
  #renamed(state: GuildClaims): GuildClaims {
    const pending = this.#pending(state.renames);
    if (pending.length === 0) return state;
    const { state: renamed } = applyProblemRenames(state, pending, this.#now());
    return { ...(renamed ?? state), renames: [...(state.renames ?? []), ...pending.map((b) => b.id)] };
  }

  /** Applies pending renumberings to the guild's record under its lock (a no-op once applied). */
  async #migrate(guildId: string): Promise<GuildClaims> {
    const written = await this.collection.update([guildId], (current) => (current ? this.#renamed(current) : current));
    return written ?? EMPTY_GUILD_CLAIMS;
  }

  /** One archive chunk, renumbered first if it has not been. */
  async #chunk(guildId: string, n: number, chunk: z.infer<typeof ArchiveChunk> | undefined): Promise<z.infer<typeof ArchiveChunk> | undefined> {
    if (!chunk || this.#pending(chunk.renames).length === 0) return chunk;
    return this.archive.update([guildId, String(n)], (current) => {
      if (!current) return current;
      const pending = this.#pending(current.renames);
      if (pending.length === 0) return current;
      return { events: renameRefs(current.events, pending).items, renames: [...(current.renames ?? []), ...pending.map((b) => b.id)] };
    });
  }

  /** The whole history of a guild, oldest first: archived chunks, then the recent events. */
  async fullHistory(guildId: string): Promise<ClaimEvent[]> {
    const state = await this.guild(guildId);
    const stored = await this.archive.getMany(Array.from({ length: state.archivedChunks ?? 0 }, (_, n) => [guildId, String(n)]));
    const chunks = await Promise.all(stored.map((c, n) => this.#chunk(guildId, n, c)));
    return [...chunks.flatMap((c) => c?.events ?? []), ...state.history];
  }

  /** Every event at or after `since` (the recent part alone when it reaches back far enough). */
  async historySince(guildId: string, since: number): Promise<readonly ClaimEvent[]> {
    const state = await this.guild(guildId);
    const oldest = state.history[0];
    if (!state.archivedChunks || (oldest !== undefined && oldest.at <= since)) return state.history.filter((e) => e.at >= since);
    return (await this.fullHistory(guildId)).filter((e) => e.at >= since);
  }

  /** Deletes the guild's claims and archive (after the bot left the server). */
  async purge(guildId: string): Promise<void> {
    const state = await this.guild(guildId);
    for (let n = 0; n < (state.archivedChunks ?? 0); n++) await this.archive.delete(guildId, String(n));
    await this.collection.delete(guildId);
  }

  /** Every claim and event of one guild (empty when nobody has claimed anything yet). */
  async guild(guildId: string): Promise<GuildClaims> {
    const state = await this.collection.get(guildId);
    if (!state) return EMPTY_GUILD_CLAIMS;
    return this.#pending(state.renames).length > 0 ? this.#migrate(guildId) : state;
  }

  claim(guildId: string, request: ClaimRequest, settings: GuildSettings, now: number): Promise<ClaimOutcome> {
    return this.#apply(guildId, (state) => applyClaim(state, request, settings, now));
  }

  checkin(guildId: string, problem: ProblemRef, userId: string, note: string | null, now: number): Promise<CheckinOutcome> {
    return this.#apply(guildId, (state) => applyCheckin(state, problem, userId, note, now));
  }

  /** The member's own unclaim. */
  unclaim(guildId: string, problem: ProblemRef, userId: string, now: number): Promise<ReleaseOutcome> {
    return this.#apply(guildId, (state) => applyRelease(state, problem, userId, userId, now));
  }

  /** A release by someone else (a member with Manage Server; the caller checks the permission). */
  release(guildId: string, problem: ProblemRef, userId: string, by: string, now: number): Promise<ReleaseOutcome> {
    return this.#apply(guildId, (state) => applyRelease(state, problem, userId, by, now));
  }

  done(guildId: string, problem: ProblemRef, userId: string, link: string, now: number): Promise<DoneOutcome> {
    return this.#apply(guildId, (state) => applyDone(state, problem, userId, link, now));
  }

  /** Pins or unpins a member's claim (the caller checks Manage Server). */
  pin(guildId: string, problem: ProblemRef, userId: string, pinned: boolean, by: string, now: number): Promise<PinOutcome> {
    return this.#apply(guildId, (state) => applyPin(state, problem, userId, pinned, by, now));
  }

  /** Applies the lifecycle (active → stale → released) to every unpinned claim of the guild. */
  sweep(guildId: string, now: number, settings: Pick<GuildSettings, 'staleAfterDays' | 'releaseAfterDays'>): Promise<SweepResult> {
    return this.#apply(guildId, (state) => applySweep(state, now, settings));
  }

  /** /privacy delete: releases the member's claims and anonymises them in history, archived history included. */
  async forgetMember(guildId: string, userId: string, now: number): Promise<ForgetOutcome> {
    const outcome = await this.#apply(guildId, (state) => applyForgetMember(state, userId, now));
    const chunks = (await this.guild(guildId)).archivedChunks ?? 0;
    for (let n = 0; n < chunks; n++) {
      await this.#chunk(guildId, n, await this.archive.get(guildId, String(n)));
      await this.archive.update([guildId, String(n)], (chunk) => {
        if (!chunk) return chunk;
        const { events, changed } = anonymiseEvents(chunk.events, userId);
        outcome.events += changed;
        return changed > 0 ? { ...chunk, events } : chunk;
      });
    }
    return outcome;
  }

  /** Runs one pure transition under the guild's lock. A refusal leaves the record as it was. */
  async #apply<O>(guildId: string, transition: (state: GuildClaims) => Transition<O>): Promise<O> {
    let outcome!: O;
    await this.collection.update([guildId], async (current) => {
      // A new record already uses current ids; an old one is renumbered before anything is decided on it.
      const base = current ? this.#renamed(current) : { ...EMPTY_GUILD_CLAIMS, renames: this.#renameIds };
      const result = transition(base);
      outcome = result.outcome;
      if (!result.state) return current === undefined || base === current ? current : base;
      const next: GuildClaims = { ...result.state, archivedChunks: base.archivedChunks ?? 0, renames: base.renames };
      return next.history.length > HOT_HISTORY_MAX ? this.#archiveOldest(guildId, next) : next;
    });
    return outcome;
  }

  /**
   * Moves all but the newest events into a new archive chunk. The chunk is written first: if the process dies
   * before the record is, the next archive pass rewrites the same chunk with the same oldest events.
   */
  async #archiveOldest(guildId: string, state: GuildClaims): Promise<GuildClaims> {
    const chunk = state.archivedChunks ?? 0;
    const cut = state.history.length - HOT_HISTORY_KEEP;
    await this.archive.update([guildId, String(chunk)], () => ({ events: state.history.slice(0, cut), renames: state.renames ?? this.#renameIds }));
    return { ...state, history: state.history.slice(cut), archivedChunks: chunk + 1 };
  }
}

/**
 * Runs the lifecycle for one guild now, with that guild's settings. The weekly digest's scheduler calls this and
 * reports what it returns; tests call it to step through the ladder.
 */
export async function sweepGuildClaims(
  repos: { claims: ClaimsRepo; guildSettings: GuildSettingsRepo },
  guildId: string,
  now: number,
): Promise<SweepResult> {
  const settings = await repos.guildSettings.get(guildId);
  return repos.claims.sweep(guildId, now, settings);
}
