/**
 * Problem claims, in the bounded key layout described in ./claims-records.ts: the guild's open claims in one small
 * record (the guild lock is that record's lock), the history and closed claims in append-only log chunks, and
 * per-problem and per-member indexes for the card and /problem mine. Every claim action runs one pure transition
 * from src/domain/claims.ts under the guild lock, on the open claims (plus, for a write-up, the member's finished
 * claim on the problem), then appends what it produced. Guilds stored in the old one-record layout are converted by
 * ./claims-legacy.ts (at start-up, and on first access until then).
 */
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import { applyProblemRenames, pendingBatches, renameRefs, type RenameBatch } from '../../domain/problem-renames.ts';
import type { Locks } from '../locks.ts';
import { writeBatch } from '../write-batch.ts';
import { ClaimRecords } from './claims-writes.ts';
import type { RecordCache } from '../record-cache.ts';
import type { GuildSettings, GuildSettingsRepo } from './guild-settings.ts';
import {
  applyCheckin, applyClaim, applyDone, applyPin, applyRelease, applySweep, applyForgetMember, EMPTY_GUILD_CLAIMS,
  type Claim, type ClaimEvent, type CheckinOutcome, type ClaimOutcome, type ClaimRequest, type DoneOutcome,
  type ForgetOutcome, type GuildClaims, type PinOutcome, type ProblemRef, type ReleaseOutcome, type SweepResult,
  type Transition,
} from '../../domain/claims.ts';
import {
  LOG_CHUNK_MAX, LogChunk, MemberIndex, OpenClaims, OpenPart, ProblemIndex, buildIndexes, isOpen, problemParts,
  sameProblem, wholeGuild,
} from './claims-records.ts';
import { LegacyArchiveChunk, LegacyGuildClaims, migrateLegacyGuild, type MigrationStep } from './claims-legacy.ts';
import { answerEarly, answerWhenSent } from '../early-answer.ts';

export {
  CLAIM_ACTIONS, CLAIM_INTENTS, CLAIM_LINK_MAX, CLAIM_NOTE_MAX, CLAIM_STATUSES, Claim, ClaimAction, ClaimEvent,
  ClaimIntent, ClaimStatus, EMPTY_GUILD_CLAIMS, GuildClaims,
} from '../../domain/claim-entities.ts';
export type { SweepResult };
export { LOG_CHUNK_MAX };

/** A claim action's outcome once decided, before its writes are stored. */
export interface Decided<O> {
  outcome: O;
  /** Settles once the action's writes are stored (at once when it wrote nothing); rejects if they failed. */
  saved: Promise<void>;
  /** A problem card's claims as they are once the action is saved: for a reply built while `saved` is pending. */
  card(problem: ProblemRef): Promise<GuildClaims>;
}

const EMPTY_OPEN: OpenClaims = Object.freeze({ claims: [], seq: 0, chunks: 0, tail: 0 }) as unknown as OpenClaims;

export class ClaimsRepo {
  /** The head (counter, log head, part count), and the open claims themselves in parts by member. */
  readonly open: Collection<OpenClaims>;
  readonly openParts: Collection<OpenPart>;
  readonly log: Collection<LogChunk>;
  readonly problems: Collection<ProblemIndex>;
  readonly members: Collection<MemberIndex>;
  /** The previous layout: one record per guild, plus archive chunks of older events. Read only to migrate. */
  readonly legacy: Collection<LegacyGuildClaims>;
  readonly legacyArchive: Collection<LegacyArchiveChunk>;
  /**
   * Whether a guild without an open record may still have one in the previous layout. True until the start-up
   * migration has converted every guild (see src/store/migrations.ts); until then the first access converts it.
   */
  legacyPossible = true;

  /** Reading and writing the records above (./claims-writes.ts). */
  readonly #records: ClaimRecords;

  constructor(
    private readonly keyv: Keyv,
    private readonly locks: Locks,
    cache?: RecordCache,
  ) {
    this.#records = new ClaimRecords(keyv, locks, cache);
    ({ open: this.open, openParts: this.openParts, log: this.log, problems: this.problems, members: this.members } = this.#records);
    this.legacy = new Collection(keyv, locks, { name: 'claims', schema: LegacyGuildClaims, version: 1, cache });
    this.legacyArchive = new Collection(keyv, locks, { name: 'claims-archive', schema: LegacyArchiveChunk, version: 1, cache });
  }

  /**
   * Published problem renumberings. Stored claims follow them exactly once: each log chunk and the open record list
   * the batch ids they have had, in the same write that renames them; the open record is stamped last, so a crash
   * part-way leaves it pending and the next access finishes (chunks already stamped are skipped). The problem and
   * member indexes are rebuilt from the log. New records are stamped with every known batch.
   */
  #renames: readonly RenameBatch[] = [];
  #renameIds: string[] = [];
  #now: () => number = Date.now;

  useRenames(batches: readonly RenameBatch[], now: () => number): void {
    this.#renames = batches;
    this.#renameIds = batches.map((b) => b.id);
    this.#now = now;
  }

  get renameBatches(): readonly RenameBatch[] {
    return this.#renames;
  }

  get now(): number {
    return this.#now();
  }

  #pending(applied: readonly string[] | undefined): RenameBatch[] {
    return this.#renames.length === 0 ? [] : pendingBatches(this.#renames, applied ?? []);
  }

  #lock<T>(guildId: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(this.open.key(guildId), work);
  }

  /** Converts one guild from the previous layout, if it has one (idempotent; `step` runs after each write). */
  migrateGuild(guildId: string, step: MigrationStep = async () => undefined): Promise<boolean> {
    return this.#lock(guildId, () => migrateLegacyGuild(this, guildId, step, this.#renameIds));
  }

  /** The open record, converted from the previous layout and renumbered first when needed. */
  async #ready(guildId: string): Promise<OpenClaims | undefined> {
    const open = await this.#records.readOpen(guildId);
    const stale = (open === undefined && this.legacyPossible) || open?.legacyArchive !== undefined || (open && this.#pending(open.renames).length > 0);
    return stale ? this.#lock(guildId, () => this.#readyLocked(guildId)) : open;
  }

  /** #ready for a caller that holds the guild lock (claim actions take the lock first, so they run in call order). */
  async #readyLocked(guildId: string): Promise<OpenClaims | undefined> {
    let open = await this.#records.readOpen(guildId);
    if ((open === undefined && this.legacyPossible) || open?.legacyArchive !== undefined) {
      await migrateLegacyGuild(this, guildId, async () => undefined, this.#renameIds);
      open = await this.#records.readOpen(guildId);
    }
    if (open && this.#pending(open.renames).length > 0) {
      const before = open;
      open = await this.#renameGuild(guildId, open);
      await writeBatch(this.keyv, this.#records.openWrites(guildId, open, before));
    }
    return open;
  }

  // ---- reads ----

  /** The guild's open (active and stale) claims: what "claimed" means for draws, autocomplete and settings. */
  async openClaims(guildId: string): Promise<GuildClaims> {
    const open = await this.#ready(guildId);
    return open ? { claims: open.claims, history: [] } : EMPTY_GUILD_CLAIMS;
  }

  /** What a problem card shows: the open claims, plus the problem's finished claims and recent events. */
  async forProblem(guildId: string, problem: ProblemRef, open?: GuildClaims): Promise<GuildClaims> {
    const [claims, index] = await Promise.all([open ?? this.openClaims(guildId), this.problems.get(...problemParts(guildId, problem))]);
    if (!index) return claims;
    return { claims: [...claims.claims, ...index.done], history: index.events };
  }

  /** What /problem mine shows: the open claims, plus the member's finished ones. */
  async forMember(guildId: string, userId: string): Promise<GuildClaims> {
    const [claims, index] = await Promise.all([this.openClaims(guildId), this.members.get(guildId, userId)]);
    if (!index) return claims;
    return { claims: [...claims.claims, ...index.done.map((d) => d.claim)], history: [] };
  }

  /** Every claim and event of one guild (reads the whole log: for exports, lists of closed claims, tests). */
  async guild(guildId: string): Promise<GuildClaims> {
    const open = await this.#ready(guildId);
    if (!open) return EMPTY_GUILD_CLAIMS;
    return wholeGuild(open, await this.#records.chunks(guildId, open));
  }

  /** The whole history of a guild, oldest first. */
  async fullHistory(guildId: string): Promise<ClaimEvent[]> {
    return [...(await this.guild(guildId)).history];
  }

  /** The open claims, and every event and closed claim from `since` on: reads the log's newest chunks only. */
  async since(guildId: string, since: number): Promise<GuildClaims> {
    const open = await this.#ready(guildId);
    if (!open) return EMPTY_GUILD_CLAIMS;
    const chunks: LogChunk[] = [];
    for (let n = open.chunks - 1; n >= 0; n--) {
      const chunk = await this.log.get(guildId, String(n));
      if (!chunk) continue;
      chunks.unshift(chunk);
      const first = chunk.events[0];
      if (first !== undefined && first.at < since) break;
    }
    const whole = wholeGuild(open, chunks);
    return {
      claims: whole.claims.filter((c) => isOpen(c) || (c.closedAt ?? 0) >= since),
      history: whole.history.filter((e) => e.at >= since),
    };
  }

  /** Every event at or after `since`. */
  async historySince(guildId: string, since: number): Promise<readonly ClaimEvent[]> {
    return (await this.since(guildId, since)).history;
  }

  /** Deletes the guild's claims (after the bot left the server): indexes and log first, the open record last. */
  async purge(guildId: string): Promise<void> {
    await this.#lock(guildId, async () => {
      const open = await this.#readyLocked(guildId);
      if (!open) return;
      const chunks = await this.#records.chunks(guildId, open);
      const { problems, members } = buildIndexes(chunks, undefined);
      for (const p of problems.values()) await this.problems.putLocked(problemParts(guildId, p), undefined);
      for (const userId of members.keys()) await this.members.putLocked([guildId, userId], undefined);
      for (let n = 0; n < open.chunks; n++) await this.log.putLocked([guildId, String(n)], undefined);
      for (let k = 0; k < (open.parts ?? 0); k++) await this.openParts.putLocked([guildId, String(k)], undefined);
      await this.open.putLocked([guildId], undefined);
    });
  }

  // ---- claim actions ----

  claim(guildId: string, request: ClaimRequest, settings: GuildSettings, now: number): Promise<ClaimOutcome> {
    return this.#apply(guildId, (state) => applyClaim(state, request, settings, now));
  }

  /**
   * A claim answered once decided, for a reply built while its writes are stored: the caller must await `saved`
   * before telling the member anything (a failed write rejects it, and nothing was claimed).
   */
  claimDecided(guildId: string, request: ClaimRequest, settings: GuildSettings, now: number): Promise<Decided<ClaimOutcome>> {
    return this.#decide(guildId, (state) => applyClaim(state, request, settings, now));
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

  /** A write-up decides on the open claims and the member's last finished claim on the problem. */
  done(guildId: string, problem: ProblemRef, userId: string, link: string, now: number): Promise<DoneOutcome> {
    return this.#apply(guildId, (state) => applyDone(state, problem, userId, link, now), async () => {
      const index = await this.members.get(guildId, userId);
      return (index?.done ?? []).filter((d) => sameProblem(d.claim, problem));
    });
  }

  /** Pins or unpins a member's claim (the caller checks Manage Server). */
  pin(guildId: string, problem: ProblemRef, userId: string, pinned: boolean, by: string, now: number): Promise<PinOutcome> {
    return this.#apply(guildId, (state) => applyPin(state, problem, userId, pinned, by, now));
  }

  /** Applies the lifecycle (active → stale → released) to every unpinned claim of the guild. */
  sweep(guildId: string, now: number, settings: Pick<GuildSettings, 'staleAfterDays' | 'releaseAfterDays'>): Promise<SweepResult> {
    return this.#apply(guildId, (state) => applySweep(state, now, settings));
  }

  /**
   * /privacy delete: releases the member's open claims, anonymises every claim and event that names them in the
   * whole log, drops their index and rebuilds the cards of the problems they appeared on.
   */
  async forgetMember(guildId: string, userId: string, now: number): Promise<ForgetOutcome> {
    return this.#lock(guildId, async () => {
      const base = await this.#readyLocked(guildId);
      if (!base) return { released: 0, claims: 0, events: 0 };
      const outcome = { released: 0, claims: 0, events: 0 };
      const touched = new Map<string, { set: string; problemId: string }>();
      const touch = (items: readonly { set: string; problemId: string; userId: string }[]) => {
        for (const i of items) touched.set(`${i.set}\u0000${i.problemId}`, i);
      };
      const first = applyForgetMember({ claims: base.claims, history: [] }, userId, now);
      Object.assign(outcome, first.outcome);
      let next = base;
      if (first.state) {
        touch(first.state.claims.filter((c) => !isOpen(c)));
        next = await this.#commit(guildId, base, new Map(), first.state);
      }
      const chunks = await this.#records.chunks(guildId, next);
      for (const [n, chunk] of chunks.entries()) {
        if (!chunk) continue;
        const mentions = [...chunk.closed.filter((c) => c.userId === userId), ...chunk.events.filter((e) => e.userId === userId || e.by === userId)];
        const result = applyForgetMember({ claims: chunk.closed, history: chunk.events }, userId, now);
        if (!result.state) continue;
        touch(mentions);
        outcome.claims += result.outcome.claims;
        outcome.events += result.outcome.events;
        chunks[n] = { ...chunk, closed: result.state.claims, events: result.state.history };
        await this.log.putLocked([guildId, String(n)], chunks[n]);
      }
      await this.members.putLocked([guildId, userId], undefined);
      const { problems } = buildIndexes(chunks, next.renames);
      for (const [key, p] of touched) await this.problems.putLocked(problemParts(guildId, p), problems.get(key)?.index);
      return outcome;
    });
  }

  // ---- under the guild lock ----

  /**
   * Runs one pure transition under the guild's lock on the open claims (plus `extra` finished claims, with the
   * chunk each lives in). A refusal writes nothing.
   */
  async #apply<O>(
    guildId: string,
    transition: (state: GuildClaims) => Transition<O>,
    extra?: () => Promise<{ claim: Claim; chunk: number }[]>,
  ): Promise<O> {
    const decided = await this.#decide(guildId, transition, extra);
    await decided.saved;
    return decided.outcome;
  }

  /**
   * #apply, answering as soon as the outcome is decided and its last writes are on their way to the store, so the
   * caller can build its reply meanwhile. The guild's lock is held until `saved` settles.
   */
  #decide<O>(
    guildId: string,
    transition: (state: GuildClaims) => Transition<O>,
    extra?: () => Promise<{ claim: Claim; chunk: number }[]>,
  ): Promise<Decided<O>> {
    return answerEarly<Decided<O>>((answer) =>
      this.#lock(guildId, async () => {
        const current = await this.#readyLocked(guildId);
        const base = current ?? { ...EMPTY_OPEN, renames: this.#renameIds };
        const extras = extra ? await extra() : [];
        const result = transition({ claims: [...base.claims, ...extras.map((e) => e.claim)], history: [], seq: base.seq });
        if (!result.state) {
          return answer({ outcome: result.outcome, saved: Promise.resolve(), card: (problem) => this.#card(guildId, base, new Map(), problem) });
        }
        const located = new Map(extras.map((e) => [e.claim.id, e]));
        const staged = await this.#records.stage(guildId, base, located, result.state, this.#renameIds);
        await answerWhenSent(answer, { outcome: result.outcome, saved: staged.saving, card: (problem) => this.#card(guildId, staged.next, staged.indexes, problem) }, staged.saving);
      }),
    );
  }

  /** A problem card's claims from an open record and the problem indexes an action is writing (else as stored). */
  async #card(guildId: string, open: OpenClaims, indexes: ReadonlyMap<string, ProblemIndex>, problem: ProblemRef): Promise<GuildClaims> {
    const parts = problemParts(guildId, problem);
    const index = indexes.get(this.problems.key(...parts)) ?? (await this.problems.get(...parts));
    if (!index) return { claims: open.claims, history: [] };
    return { claims: [...open.claims, ...index.done], history: index.events };
  }

  /** Stores what a transition produced (see ClaimRecords#stage for the order) and returns the new open record. */
  async #commit(guildId: string, base: OpenClaims, located: Map<string, { claim: Claim; chunk: number }>, state: GuildClaims, writeOpen = true): Promise<OpenClaims> {
    const staged = await this.#records.stage(guildId, base, located, state, this.#renameIds, writeOpen);
    await staged.saving;
    return staged.next;
  }

  /** Applies pending renumberings to the whole guild (under its lock); returns the renamed open record, unwritten. */
  async #renameGuild(guildId: string, current: OpenClaims): Promise<OpenClaims> {
    const pending = this.#pending(current.renames);
    const stamp = [...(current.renames ?? []), ...pending.map((b) => b.id)];
    for (let n = 0; n < current.chunks; n++) {
      await this.#records.modify(this.log, [guildId, String(n)], (chunk) => {
        if (!chunk) return chunk;
        const todo = this.#pending(chunk.renames);
        if (todo.length === 0) return chunk;
        return {
          events: renameRefs(chunk.events, todo).items,
          closed: renameRefs(chunk.closed, todo).items,
          renames: [...(chunk.renames ?? []), ...todo.map((b) => b.id)],
        };
      });
    }
    const renamed = applyProblemRenames({ claims: current.claims, history: [] as ClaimEvent[] }, pending, this.#now());
    let next: OpenClaims = { ...current, renames: stamp };
    if (renamed.state) next = await this.#commit(guildId, next, new Map(), { ...renamed.state, seq: current.seq }, false);
    // The indexes follow the log: rebuild those of renamed problems, and every member's.
    const { problems, members } = buildIndexes(await this.#records.chunks(guildId, next), stamp);
    const affected = new Set(pending.flatMap((b) => b.renames.flatMap((r) => [`${b.set}\u0000${r.from}`, `${b.set}\u0000${r.to}`])));
    for (const key of affected) {
      const [set, problemId] = key.split('\u0000') as [string, string];
      await this.problems.putLocked([guildId, set, problemId], problems.get(key)?.index);
    }
    for (const [userId, index] of members) await this.members.putLocked([guildId, userId], index);
    return next;
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
