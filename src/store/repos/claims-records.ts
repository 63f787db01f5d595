/**
 * The claims key layout (v2). Every claim action reads and writes a bounded amount, whatever the guild's history:
 *
 *   claims-open:<guild>                   the head: the claim counter, the log's head (how many chunks) and how
 *                                         many open parts there are. Its lock is the guild lock: exclusivity and
 *                                         the cap are decided under it, on all the open claims.
 *   claims-open-part:<guild>:<k>          the OPEN (active and stale) claims of the members whose id hashes to k
 *                                         (OPEN_PARTS parts): a claim action rewrites its member's part only, so a
 *                                         claim writes a few KB whatever the number of open claims. A head written
 *                                         before the parts existed holds the open claims itself; they move to the
 *                                         parts at the guild's next claim action.
 *   claims-log:<guild>:<n>                append-only chunks of the history, oldest first: events and the claims
 *                                         closed at that time. A chunk takes new items until it holds LOG_CHUNK_MAX.
 *   claims-problem:<guild>:<set>:<id>     one problem's card: its latest finished claims and latest events.
 *   claims-member:<guild>:<user>          one member's finished claims, the latest per problem (for /problem mine
 *                                         and for updating a write-up link), with the chunk each one lives in.
 *
 * The log is the record of truth for closed claims and history; the problem and member records are indexes that
 * can be rebuilt from it (after a renumbering, a /privacy delete, or a migration). Everything here is pure.
 */
import { z } from 'zod';
import { checkedArray } from '../checked-items.ts';
import { memberPart } from '../member-part.ts';
import { Claim, ClaimEvent, type GuildClaims } from '../../domain/claim-entities.ts';

/** How many parts the open claims are spread over (by member). Reads merge every part, so changing it is safe. */
export const OPEN_PARTS = 16;

/** Items (events plus closed claims) a log chunk takes before the next one starts. */
export const LOG_CHUNK_MAX = 64;
/** Finished claims and events kept on a problem's card record (the card shows what fits in 1,024 characters). */
export const PROBLEM_DONE_KEPT = 10;
export const PROBLEM_EVENTS_KEPT = 5;

const Renames = z.array(z.string()).optional();

const Claims = checkedArray(Claim, { message: 'invalid claim record item' });
const Events = checkedArray(ClaimEvent, { message: 'invalid claim record item' });

export const OpenClaims = z.object({
  /** Active and stale claims not in a part (a head written before parts existed); in memory, all of them. */
  claims: Claims,
  /** How many open parts hold the rest (absent: none). */
  parts: z.number().int().positive().optional(),
  /** How many claims the guild has ever had: ids are c1..c<seq>. */
  seq: z.number().int().nonnegative(),
  /** How many log chunks there are; the last one (chunks - 1) takes new items. */
  chunks: z.number().int().nonnegative(),
  /** How many items the last chunk holds (a hint: a chunk may end up slightly past LOG_CHUNK_MAX after a crash). */
  tail: z.number().int().nonnegative(),
  renames: Renames,
  /** Set while a migration from the one-record layout is finishing: legacy archive chunks still to delete. */
  legacyArchive: z.number().int().nonnegative().optional(),
});
export type OpenClaims = z.infer<typeof OpenClaims>;

export const OpenPart = z.object({ claims: Claims });
export type OpenPart = z.infer<typeof OpenPart>;

/** The open part a member's claims live in (see ../member-part.ts). */
export function openPartOf(userId: string, parts = OPEN_PARTS): number {
  return memberPart(userId, parts);
}

/** The open claims split by part, each in claim-number order (pure). */
export function splitOpen(claims: readonly Claim[], parts = OPEN_PARTS): Claim[][] {
  const out: Claim[][] = Array.from({ length: parts }, () => []);
  for (const c of claims) out[parts === OPEN_PARTS ? partOfClaim(c) : openPartOf(c.userId, parts)]!.push(c);
  return out;
}

/** A claim's open part, kept per claim object: a transition keeps unchanged claims as the same objects. */
const claimParts = new WeakMap<Claim, number>();
function partOfClaim(c: Claim): number {
  let part = claimParts.get(c);
  if (part === undefined) claimParts.set(c, (part = openPartOf(c.userId)));
  return part;
}

export const LogChunk = z.object({ events: Events, closed: Claims, renames: Renames });
export type LogChunk = z.infer<typeof LogChunk>;

export const ProblemIndex = z.object({
  /** Finished claims on the problem, newest first. */
  done: Claims,
  /** Events about the problem, oldest first. */
  events: Events,
  renames: Renames,
});
export type ProblemIndex = z.infer<typeof ProblemIndex>;

export const MemberIndex = z.object({
  /** The member's latest finished claim on each problem, and the log chunk that holds it. */
  done: z.array(z.object({ claim: Claim, chunk: z.number().int().nonnegative() })),
  renames: Renames,
});
export type MemberIndex = z.infer<typeof MemberIndex>;

export const isOpen = (c: Claim) => c.status === 'active' || c.status === 'stale';
export const sameProblem = (a: { set: string; problemId: string }, b: { set: string; problemId: string }) => a.set === b.set && a.problemId === b.problemId;
export const problemParts = (guildId: string, p: { set: string; problemId: string }) => [guildId, p.set, p.problemId];
export const claimNumber = (c: Claim) => Number(c.id.slice(1)) || 0;

/** A problem's card record with new closed claims and events added (pure). */
export function addToProblem(index: ProblemIndex | undefined, closed: readonly Claim[], events: readonly ClaimEvent[], renames: string[] | undefined): ProblemIndex {
  let done = index?.done ?? [];
  for (const c of closed) {
    if (c.status !== 'done') continue;
    done = [c, ...done.filter((d) => d.id !== c.id)];
  }
  return {
    done: done.slice(0, PROBLEM_DONE_KEPT),
    events: [...(index?.events ?? []), ...events].slice(-PROBLEM_EVENTS_KEPT),
    renames: index?.renames ?? renames,
  };
}

/** A member's index with finished claims added: the latest per problem wins (pure). */
export function addToMember(index: MemberIndex | undefined, done: readonly { claim: Claim; chunk: number }[], renames: string[] | undefined): MemberIndex {
  let list = index?.done ?? [];
  for (const d of done) list = [...list.filter((e) => !sameProblem(e.claim, d.claim)), d];
  return { done: list, renames: index?.renames ?? renames };
}

/**
 * What one commit changes in the indexes, grouped: per problem, its closed claims and events; per member, their
 * finished claims with the chunk that holds each (`chunkOf`). Pure.
 */
export function groupChanges(closed: readonly Claim[], changedOld: readonly Claim[], events: readonly ClaimEvent[], chunkOf: (c: Claim) => number) {
  const byProblem = new Map<string, { ref: Claim | ClaimEvent; closed: Claim[]; events: ClaimEvent[] }>();
  const entry = (ref: Claim | ClaimEvent) => {
    const key = `${ref.set}\u0000${ref.problemId}`;
    let e = byProblem.get(key);
    if (!e) byProblem.set(key, (e = { ref, closed: [], events: [] }));
    return e;
  };
  for (const c of [...closed, ...changedOld]) entry(c).closed.push(c);
  for (const e of events) entry(e).events.push(e);
  const byMember = new Map<string, { claim: Claim; chunk: number }[]>();
  for (const c of [...closed, ...changedOld]) {
    if (c.status === 'done') byMember.set(c.userId, [...(byMember.get(c.userId) ?? []), { claim: c, chunk: chunkOf(c) }]);
  }
  return { byProblem, byMember };
}

export interface RebuiltIndexes {
  problems: Map<string, { set: string; problemId: string; index: ProblemIndex }>;
  members: Map<string, MemberIndex>;
}

/** Every problem and member index, from the log alone (for a rebuild after a rename, a deletion or a migration). */
export function buildIndexes(chunks: readonly (LogChunk | undefined)[], renames: string[] | undefined): RebuiltIndexes {
  const problems: RebuiltIndexes['problems'] = new Map();
  const members: RebuiltIndexes['members'] = new Map();
  const problem = (p: { set: string; problemId: string }) => {
    const key = `${p.set}\u0000${p.problemId}`;
    let entry = problems.get(key);
    if (!entry) problems.set(key, (entry = { set: p.set, problemId: p.problemId, index: { done: [], events: [], renames } }));
    return entry;
  };
  chunks.forEach((chunk, n) => {
    for (const c of chunk?.closed ?? []) {
      const entry = problem(c);
      entry.index = addToProblem(entry.index, [c], [], renames);
      if (c.status === 'done') members.set(c.userId, addToMember(members.get(c.userId), [{ claim: c, chunk: n }], renames));
    }
    for (const e of chunk?.events ?? []) {
      const entry = problem(e);
      entry.index = addToProblem(entry.index, [], [e], renames);
    }
  });
  return { problems, members };
}

/**
 * The whole guild in the shape of the old single record: every claim (closed ones from the log, the open ones
 * from the open record; a claim found twice keeps its open or latest copy) in id order, and every event.
 */
export function wholeGuild(open: OpenClaims | undefined, chunks: readonly (LogChunk | undefined)[]): GuildClaims {
  const byId = new Map<string, Claim>();
  for (const chunk of chunks) for (const c of chunk?.closed ?? []) byId.set(c.id, c);
  for (const c of open?.claims ?? []) byId.set(c.id, c);
  const claims = [...byId.values()].sort((a, b) => claimNumber(a) - claimNumber(b));
  return {
    claims,
    history: chunks.flatMap((c) => c?.events ?? []),
    ...(open?.renames ? { renames: open.renames } : {}),
  };
}
