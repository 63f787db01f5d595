/**
 * The records a guild's claims are kept in (the layout is described in ./claims-records.ts), read and written
 * under the guild's lock: the open claims merged from their head and parts, the log chunks, and the writes one
 * transition makes, staged in the order that loses nothing. ClaimsRepo decides; this stores.
 */
import type Keyv from 'keyv';
import { Collection, type PreparedWrite } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import { writeBatch } from '../write-batch.ts';
import type { Claim, GuildClaims } from '../../domain/claims.ts';
import {
  LOG_CHUNK_MAX, LogChunk, MemberIndex, OPEN_PARTS, OpenClaims, OpenPart, ProblemIndex, addToMember, addToProblem,
  claimNumber, groupChanges, isOpen, problemParts, splitOpen,
} from './claims-records.ts';

export class ClaimRecords {
  /** The head (counter, log head, part count), and the open claims themselves in parts by member. */
  readonly open: Collection<OpenClaims>;
  readonly openParts: Collection<OpenPart>;
  readonly log: Collection<LogChunk>;
  readonly problems: Collection<ProblemIndex>;
  readonly members: Collection<MemberIndex>;

  constructor(
    private readonly keyv: Keyv,
    locks: Locks,
    cache?: RecordCache,
  ) {
    this.open = new Collection(keyv, locks, { name: 'claims-open', schema: OpenClaims, version: 1, cache });
    this.openParts = new Collection(keyv, locks, { name: 'claims-open-part', schema: OpenPart, version: 1, cache });
    this.log = new Collection(keyv, locks, { name: 'claims-log', schema: LogChunk, version: 1, cache });
    this.problems = new Collection(keyv, locks, { name: 'claims-problem', schema: ProblemIndex, version: 1, cache });
    this.members = new Collection(keyv, locks, { name: 'claims-member', schema: MemberIndex, version: 1, cache });
  }

  /**
   * Each open record (as returned by readOpen or written by openWrites) with the claims of each part as stored,
   * so that a write rewrites only the parts that changed. A record not found here rewrites every part.
   */
  readonly #stored = new WeakMap<OpenClaims, readonly (OpenPart | undefined)[]>();
  /** The merged record last built from a head and its parts (by identity), so unchanged reads merge nothing. */
  readonly #merged = new WeakMap<OpenClaims, { parts: readonly (OpenPart | undefined)[]; open: OpenClaims }>();

  /** The head with every open claim in it (from its parts, in claim order). */
  async readOpen(guildId: string): Promise<OpenClaims | undefined> {
    const head = await this.open.get(guildId);
    if (!head?.parts) return head;
    const parts = await this.openParts.getMany(Array.from({ length: head.parts }, (_, k) => [guildId, String(k)]));
    const memo = this.#merged.get(head);
    if (memo && memo.parts.every((p, k) => p === parts[k])) return memo.open;
    const claims = [...head.claims, ...parts.flatMap((p) => p?.claims ?? [])].sort((a, b) => claimNumber(a) - claimNumber(b));
    const open: OpenClaims = { ...head, claims };
    this.#merged.set(head, { parts, open });
    if (head.claims.length === 0) this.#stored.set(open, parts);
    return open;
  }

  /**
   * The writes that store `next`: the parts whose claims differ from what `prev` (as read or last written) stored,
   * and the head, which keeps no claims itself. For a batch with the action's other records.
   */
  openWrites(guildId: string, next: OpenClaims, prev: OpenClaims | undefined): PreparedWrite[] {
    const stored = prev ? this.#stored.get(prev) : undefined;
    const split = splitOpen(next.claims);
    const writes: PreparedWrite[] = [];
    const parts = split.map((claims, k) => {
      const old = stored?.[k];
      const same = stored !== undefined && (old?.claims ?? []).length === claims.length && claims.every((c, i) => c === old!.claims[i]);
      if (same) return old;
      const write = this.openParts.prepare([guildId, String(k)], { claims });
      writes.push(write);
      return write.data as OpenPart;
    });
    const head = this.open.prepare([guildId], { ...next, claims: [], parts: OPEN_PARTS });
    writes.push(head);
    // What the next read will find once these are written (the cache holds exactly these objects): no merge needed.
    this.#stored.set(next, parts);
    let ordered = true;
    for (let i = 1, before = next.claims.length > 0 ? claimNumber(next.claims[0]!) : 0; ordered && i < next.claims.length; i++) {
      const n = claimNumber(next.claims[i]!);
      ordered = before < n;
      before = n;
    }
    this.#merged.set(head.data as OpenClaims, { parts, open: ordered ? next : { ...next, claims: [...next.claims].sort((a, b) => claimNumber(a) - claimNumber(b)) } });
    return writes;
  }

  /** Every log chunk of the guild, oldest first. */
  async chunks(guildId: string, open: OpenClaims | undefined): Promise<(LogChunk | undefined)[]> {
    return this.log.getMany(Array.from({ length: open?.chunks ?? 0 }, (_, n) => [guildId, String(n)]));
  }

  /**
   * The writes of what a transition produced, in an order that loses nothing if the process dies part-way: the log
   * chunk first (new events and newly closed claims), then the indexes and the open record (unless `writeOpen` is
   * false). Writes that must come first are stored before this returns; the last store call is started and handed
   * back as `saving`, with the new open record and the problem indexes it writes. `renameIds` stamps new records.
   */
  async stage(
    guildId: string,
    base: OpenClaims,
    located: Map<string, { claim: Claim; chunk: number }>,
    state: GuildClaims,
    renameIds: string[],
    writeOpen = true,
  ): Promise<{ next: OpenClaims; indexes: Map<string, ProblemIndex>; saving: Promise<void> }> {
    const closed = state.claims.filter((c) => !isOpen(c) && !located.has(c.id));
    const changedOld = state.claims.filter((c) => located.has(c.id) && located.get(c.id)!.claim !== c);
    const events = state.history;
    const renames = base.renames ?? renameIds;

    let { chunks, tail } = base;
    let chunk = chunks - 1;
    // Writes that need no order between them go out together in one store call (see ../write-batch.ts).
    const batch: Promise<PreparedWrite | undefined>[] = [];
    if (closed.length + events.length > 0) {
      if (chunks === 0 || tail >= LOG_CHUNK_MAX) {
        chunk = chunks;
        chunks += 1;
        tail = 0;
      }
      const append = this.#prepare(this.log, [guildId, String(chunk)], (c) => ({
        events: [...(c?.events ?? []), ...events],
        closed: [...(c?.closed ?? []), ...closed],
        renames: c?.renames ?? renames,
      }));
      // A claim that closes must reach the log before it leaves the open record; new events alone need no order.
      if (closed.length > 0 || changedOld.length > 0) await writeBatch(this.keyv, [(await append)!]);
      else batch.push(append);
      tail += closed.length + events.length;
    }
    // A finished claim whose write-up link changed is updated where it lives.
    for (const c of changedOld) {
      const where = located.get(c.id)!.chunk;
      await this.modify(this.log, [guildId, String(where)], (old) => old && { ...old, closed: old.closed.map((x) => (x.id === c.id ? c : x)) });
    }
    const { byProblem, byMember } = groupChanges(closed, changedOld, events, (c) => located.get(c.id)?.chunk ?? chunk);
    // The log holds the truth from here on: the indexes and the open record can be written together.
    const problemKeys = new Set<string>();
    for (const { ref, closed: cs, events: es } of byProblem.values()) {
      problemKeys.add(this.problems.key(...problemParts(guildId, ref)));
      batch.push(this.#prepare(this.problems, problemParts(guildId, ref), (index) => addToProblem(index, cs, es, renames)));
    }
    for (const [userId, list] of byMember) batch.push(this.#prepare(this.members, [guildId, userId], (index) => addToMember(index, list, renames)));
    const next: OpenClaims = { ...base, claims: state.claims.filter(isOpen), seq: state.seq ?? base.seq, chunks, tail };
    const writes = (await Promise.all(batch)).filter((w): w is PreparedWrite => w !== undefined);
    const indexes = new Map<string, ProblemIndex>();
    for (const w of writes) if (problemKeys.has(w.key)) indexes.set(w.key, w.data as ProblemIndex);
    if (writeOpen) writes.push(...this.openWrites(guildId, next, base));
    return { next, indexes, saving: writeBatch(this.keyv, writes) };
  }

  /** The write a change to one record makes, prepared for a batch (undefined when nothing changes). */
  async #prepare<T>(collection: Collection<T>, parts: string[], change: (current: T | undefined) => T): Promise<PreparedWrite | undefined> {
    const current = await collection.get(...parts);
    const next = change(current);
    return next === current ? undefined : collection.prepare(parts, next);
  }

  /** A read-modify-write of a record under the guild lock, which covers every claims record of the guild. */
  async modify<T>(collection: Collection<T>, parts: string[], change: (current: T | undefined) => T | undefined): Promise<void> {
    const current = await collection.get(...parts);
    const next = change(current);
    if (next !== current && !(next === undefined && current === undefined)) await collection.putLocked(parts, next);
  }
}
