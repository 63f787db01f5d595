/**
 * The claim lifecycle as pure functions over one guild's claims record. Every change is a `Transition`: the new
 * state (or null when nothing changed) plus an outcome the caller renders. The repository runs these under the
 * guild's lock, so each decision sees exactly the state it changes; tests run them directly with any `now`.
 *
 * Lifecycle: active --(no check-in for staleAfterDays)--> stale --(releaseAfterDays more)--> released.
 * A check-in makes a stale claim active again. Pinned claims are exempt. A claim only ever moves one step per
 * sweep, so nobody is released without first having been listed as stale.
 */
import { problemKey } from '../registry/load.ts';
import { CLAIM_LINK_MAX, CLAIM_NOTE_MAX, type Claim, type ClaimAction, type ClaimEvent, type ClaimIntent, type ClaimStatus, type GuildClaims } from './claim-entities.ts';
import type { GuildSettings } from './guild-settings.ts';

export * from './claim-entities.ts';

export const DAY_MS = 86_400_000;

export interface ProblemRef {
  set: string;
  problemId: string;
}

export type LifecycleSettings = Pick<GuildSettings, 'staleAfterDays' | 'releaseAfterDays'>;
export type ClaimRules = Pick<GuildSettings, 'claimsExclusive' | 'claimCap'>;

export interface Transition<O> {
  /** The new state, or null when the record is unchanged. */
  state: GuildClaims | null;
  outcome: O;
}

/** Active and stale claims are current: they count toward the cap and show as someone working on the problem. */
export const isCurrent = (claim: Claim): boolean => claim.status === 'active' || claim.status === 'stale';

export const isFor = (claim: Pick<Claim, 'set' | 'problemId'>, problem: ProblemRef): boolean =>
  claim.set === problem.set && claim.problemId === problem.problemId;

// ---- lifecycle ----

/** Where a claim should be now. Moves at most one step, so `stale` always comes before `released`. */
export function nextStatus(claim: Claim, now: number, settings: LifecycleSettings): ClaimStatus {
  if (!isCurrent(claim) || claim.pinned) return claim.status;
  if (claim.status === 'active') return now >= staleDueAt(claim, settings) ? 'stale' : 'active';
  return now >= releaseDueAt(claim, settings) ? 'released' : 'stale';
}

/** When an active claim turns stale without a check-in. */
export const staleDueAt = (claim: Claim, settings: LifecycleSettings): number => claim.lastCheckinAt + settings.staleAfterDays * DAY_MS;

/** When a stale claim is released without a check-in; counted from when it was marked stale. */
export const releaseDueAt = (claim: Claim, settings: LifecycleSettings): number =>
  (claim.staleAt ?? staleDueAt(claim, settings)) + settings.releaseAfterDays * DAY_MS;

export interface SweepResult {
  turnedStale: Claim[];
  released: Claim[];
}

export function applySweep(state: GuildClaims, now: number, settings: LifecycleSettings): Transition<SweepResult> {
  const turnedStale: Claim[] = [];
  const released: Claim[] = [];
  const events: ClaimEvent[] = [];
  const claims = state.claims.map((claim) => {
    const next = nextStatus(claim, now, settings);
    if (next === claim.status) return claim;
    if (next === 'stale') {
      const updated: Claim = { ...claim, status: 'stale', staleAt: now };
      turnedStale.push(updated);
      events.push(event(updated, 'stale', 'system', now));
      return updated;
    }
    const updated: Claim = { ...claim, status: 'released', closedAt: now };
    released.push(updated);
    events.push(event(updated, 'released', 'system', now));
    return updated;
  });
  const outcome = { turnedStale, released };
  if (events.length === 0) return { state: null, outcome };
  return { state: { ...state, claims, history: [...state.history, ...events] }, outcome };
}

// ---- claiming ----

export interface ClaimRequest {
  problem: ProblemRef;
  userId: string;
  intent: ClaimIntent;
  note: string | null;
  link: string | null;
  /**
   * What to do when the member already holds a current claim on the problem: 'update' applies the new intent,
   * note and link as a check-in (the slash command); 'keep' leaves it alone (the one-click Claim button, which
   * must not downgrade "writing-up" to "exploring").
   */
  onExisting: 'update' | 'keep';
}

export type ClaimCheck =
  | { ok: true }
  | { ok: false; reason: 'already'; claim: Claim }
  | { ok: false; reason: 'taken'; holder: Claim }
  | { ok: false; reason: 'cap'; cap: number; current: Claim[] };

/** Whether a member may claim a problem: not already theirs, not held by someone else in exclusive mode, under the cap. */
export function checkClaim(claims: readonly Claim[], problem: ProblemRef, userId: string, rules: ClaimRules): ClaimCheck {
  const current = claims.filter(isCurrent);
  const own = current.find((c) => c.userId === userId && isFor(c, problem));
  if (own) return { ok: false, reason: 'already', claim: own };
  if (rules.claimsExclusive) {
    const holder = current.find((c) => isFor(c, problem));
    if (holder) return { ok: false, reason: 'taken', holder };
  }
  const mine = current.filter((c) => c.userId === userId);
  if (mine.length >= rules.claimCap) return { ok: false, reason: 'cap', cap: rules.claimCap, current: mine };
  return { ok: true };
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: Claim; /** Other members' current claims on the same problem. */ others: Claim[] }
  | { kind: 'already'; claim: Claim; previous: Claim; others: Claim[] }
  | { kind: 'taken'; holder: Claim }
  | { kind: 'cap'; cap: number; current: Claim[] };

export function applyClaim(state: GuildClaims, request: ClaimRequest, rules: ClaimRules, now: number): Transition<ClaimOutcome> {
  const { problem, userId } = request;
  const others = () => state.claims.filter((c) => isCurrent(c) && isFor(c, problem) && c.userId !== userId);
  const check = checkClaim(state.claims, problem, userId, rules);
  if (!check.ok) {
    if (check.reason === 'taken') return { state: null, outcome: { kind: 'taken', holder: check.holder } };
    if (check.reason === 'cap') return { state: null, outcome: { kind: 'cap', cap: check.cap, current: check.current } };
    const previous = check.claim;
    if (request.onExisting === 'keep') return { state: null, outcome: { kind: 'already', claim: previous, previous, others: others() } };
    // Claiming again is how a member changes intent; it also counts as a check-in.
    const updated: Claim = {
      ...previous,
      intent: request.intent,
      note: request.note ?? previous.note,
      link: request.link ?? previous.link,
      status: 'active',
      staleAt: null,
      lastCheckinAt: now,
    };
    return {
      state: replace(state, previous, updated, event(updated, 'checked-in', userId, now, request.note, request.link)),
      outcome: { kind: 'already', claim: updated, previous, others: others() },
    };
  }
  const claim: Claim = {
    id: nextClaimId(state),
    set: problem.set,
    problemId: problem.problemId,
    userId,
    intent: request.intent,
    note: request.note,
    link: request.link,
    status: 'active',
    pinned: false,
    claimedAt: now,
    lastCheckinAt: now,
    staleAt: null,
    closedAt: null,
    outcomeLink: null,
  };
  return {
    state: { ...state, claims: [...state.claims, claim], history: [...state.history, event(claim, 'claimed', userId, now, claim.note, claim.link)], ...nextSeq(state) },
    outcome: { kind: 'claimed', claim, others: others() },
  };
}

export type CheckinOutcome = { kind: 'checked-in'; claim: Claim; wasStale: boolean } | { kind: 'no-claim' };

export function applyCheckin(state: GuildClaims, problem: ProblemRef, userId: string, note: string | null, now: number): Transition<CheckinOutcome> {
  const claim = currentClaim(state, problem, userId);
  if (!claim) return { state: null, outcome: { kind: 'no-claim' } };
  const updated: Claim = { ...claim, status: 'active', staleAt: null, lastCheckinAt: now, note: note ?? claim.note };
  return {
    state: replace(state, claim, updated, event(updated, 'checked-in', userId, now, note)),
    outcome: { kind: 'checked-in', claim: updated, wasStale: claim.status === 'stale' },
  };
}

export type ReleaseOutcome = { kind: 'released'; claim: Claim } | { kind: 'no-claim' };

/** Releases a member's current claim. `by === userId` records an unclaim, anyone else a release. */
export function applyRelease(state: GuildClaims, problem: ProblemRef, userId: string, by: string, now: number): Transition<ReleaseOutcome> {
  const claim = currentClaim(state, problem, userId);
  if (!claim) return { state: null, outcome: { kind: 'no-claim' } };
  const updated: Claim = { ...claim, status: 'released', closedAt: now };
  return {
    state: replace(state, claim, updated, event(updated, by === userId ? 'unclaimed' : 'released', by, now)),
    outcome: { kind: 'released', claim: updated },
  };
}

export type DoneOutcome =
  /** `claimed` says whether a current claim was closed, or the outcome was recorded without one. */
  | { kind: 'done'; claim: Claim; claimed: boolean }
  | { kind: 'link-updated'; claim: Claim; previousLink: string | null };

/**
 * Records a write-up. Closes the member's current claim when there is one; otherwise updates the link of their
 * last finished claim, or records the outcome on its own (finished work counts even if it was never claimed).
 */
export function applyDone(state: GuildClaims, problem: ProblemRef, userId: string, link: string, now: number): Transition<DoneOutcome> {
  const current = currentClaim(state, problem, userId);
  if (current) {
    const updated: Claim = { ...current, status: 'done', staleAt: null, closedAt: now, outcomeLink: link };
    return { state: replace(state, current, updated, event(updated, 'done', userId, now, null, link)), outcome: { kind: 'done', claim: updated, claimed: true } };
  }
  const finished = state.claims.findLast((c) => c.status === 'done' && c.userId === userId && isFor(c, problem));
  if (finished) {
    const updated: Claim = { ...finished, outcomeLink: link };
    return {
      state: replace(state, finished, updated, event(updated, 'done', userId, now, null, link)),
      outcome: { kind: 'link-updated', claim: updated, previousLink: finished.outcomeLink },
    };
  }
  const claim: Claim = {
    id: nextClaimId(state),
    set: problem.set,
    problemId: problem.problemId,
    userId,
    intent: 'writing-up',
    note: null,
    link: null,
    status: 'done',
    pinned: false,
    claimedAt: now,
    lastCheckinAt: now,
    staleAt: null,
    closedAt: now,
    outcomeLink: link,
  };
  return {
    state: { ...state, claims: [...state.claims, claim], history: [...state.history, event(claim, 'done', userId, now, null, link)], ...nextSeq(state) },
    outcome: { kind: 'done', claim, claimed: false },
  };
}

export type PinOutcome = { kind: 'pinned' | 'unpinned' | 'unchanged'; claim: Claim } | { kind: 'no-claim' };

/** Pinning exempts a claim from the lifecycle; pinning a stale claim makes it active again. */
export function applyPin(state: GuildClaims, problem: ProblemRef, userId: string, pinned: boolean, by: string, now: number): Transition<PinOutcome> {
  const claim = currentClaim(state, problem, userId);
  if (!claim) return { state: null, outcome: { kind: 'no-claim' } };
  if (claim.pinned === pinned) return { state: null, outcome: { kind: 'unchanged', claim } };
  const updated: Claim = pinned ? { ...claim, pinned, status: 'active', staleAt: null } : { ...claim, pinned };
  return {
    state: replace(state, claim, updated, event(updated, pinned ? 'pinned' : 'unpinned', by, now)),
    outcome: { kind: pinned ? 'pinned' : 'unpinned', claim: updated },
  };
}

// ---- queries ----

export function currentClaim(state: GuildClaims, problem: ProblemRef, userId: string): Claim | undefined {
  return state.claims.find((c) => isCurrent(c) && c.userId === userId && isFor(c, problem));
}

export interface ProblemClaims {
  current: Claim[];
  /** Finished work, newest first. */
  done: Claim[];
  /** Events about this problem, newest first. */
  history: ClaimEvent[];
}

export function claimsForProblem(state: GuildClaims, problem: ProblemRef): ProblemClaims {
  const mine = state.claims.filter((c) => isFor(c, problem));
  return {
    current: mine.filter(isCurrent).sort((a, b) => a.claimedAt - b.claimedAt),
    done: mine.filter((c) => c.status === 'done').sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)),
    history: state.history.filter((e) => isFor(e, problem)).reverse(),
  };
}

export const CLAIM_FILTERS = ['current', 'stale', 'done', 'released', 'all'] as const;
export type ClaimFilter = (typeof CLAIM_FILTERS)[number];

const lastActivity = (c: Claim) => Math.max(c.lastCheckinAt, c.closedAt ?? 0, c.staleAt ?? 0);

/** Claims for a list: optionally one member's, by status, most recent activity first. */
export function listClaims(claims: readonly Claim[], filter: { userId?: string | undefined; status: ClaimFilter }): Claim[] {
  const wanted = (c: Claim) =>
    filter.status === 'all' ? true : filter.status === 'current' ? isCurrent(c) : c.status === filter.status;
  return claims
    .filter((c) => (filter.userId === undefined || c.userId === filter.userId) && wanted(c))
    .sort((a, b) => lastActivity(b) - lastActivity(a) || b.claimedAt - a.claimedAt || a.id.localeCompare(b.id));
}

/** Problems (as problemKey) with more than one current claim, for the switch to exclusive mode. */
export function sharedProblems(claims: readonly Claim[]): string[] {
  const counts = new Map<string, number>();
  for (const c of claims.filter(isCurrent)) {
    const key = problemKey(c.set, c.problemId);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1).map(([key]) => key);
}

// ---- input ----

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** A claim or write-up link: http(s) only, no embedded credentials, at most CLAIM_LINK_MAX characters. */
export function parseLink(input: string): Parsed<string> {
  const text = input.trim();
  const refuse = (why: string): Parsed<string> => ({ ok: false, error: `That link was not accepted: ${why}` });
  if (text.length === 0) return refuse('it is empty.');
  if (text.length > CLAIM_LINK_MAX) return refuse(`links can be at most ${CLAIM_LINK_MAX} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('it is not a URL. Paste the full address, starting with https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('only http:// and https:// links are allowed.');
  // "https://arxiv.org@evil.example" reads like arxiv but goes elsewhere.
  if (url.username || url.password) return refuse('links with a user name or password are not allowed.');
  // Parentheses would end a Markdown link early; percent-encoding them keeps the same address.
  const href = url.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  if (href.length > CLAIM_LINK_MAX) return refuse(`links can be at most ${CLAIM_LINK_MAX} characters.`);
  return { ok: true, value: href };
}

/** A one-line note of at most CLAIM_NOTE_MAX characters; blank means none. */
export function parseNote(input: string | undefined): Parsed<string | null> {
  if (input === undefined) return { ok: true, value: null };
  const text = input.replace(/\s+/g, ' ').trim();
  if (text.length === 0) return { ok: true, value: null };
  if (text.length > CLAIM_NOTE_MAX) return { ok: false, error: `Notes can be at most ${CLAIM_NOTE_MAX} characters (yours has ${text.length}).` };
  return { ok: true, value: text };
}

// ---- helpers ----

/** Claims are never deleted, so their count is a unique, stable sequence within the guild. A state holding only
 *  some of the guild's claims carries the count in `seq`. */
const claimCount = (state: GuildClaims) => state.seq ?? state.claims.length;
const nextClaimId = (state: GuildClaims) => `c${claimCount(state) + 1}`;
const nextSeq = (state: GuildClaims) => (state.seq === undefined ? {} : { seq: state.seq + 1 });

function event(claim: Claim, action: ClaimAction, by: string, at: number, note: string | null = null, link: string | null = null): ClaimEvent {
  return { at, set: claim.set, problemId: claim.problemId, userId: claim.userId, action, by, note, link };
}

function replace(state: GuildClaims, previous: Claim, updated: Claim, added: ClaimEvent): GuildClaims {
  return { ...state, claims: state.claims.map((c) => (c === previous ? updated : c)), history: [...state.history, added] };
}

/** The user id that replaces a member's own in history after /privacy delete. */
export const FORMER_MEMBER = '0';

export interface ForgetOutcome {
  released: number;
  claims: number;
  events: number;
}

/**
 * Removes a member from the claim record for /privacy delete: their current claims are released, and every claim
 * and event that names them is kept (so each problem's history stays consistent) but anonymised, with their
 * notes and links dropped.
 */
export function applyForgetMember(state: GuildClaims, userId: string, now: number): Transition<ForgetOutcome> {
  let released = 0;
  let claims = 0;
  let events = 0;
  const releaseEvents: ClaimEvent[] = [];
  const nextClaims = state.claims.map((c) => {
    if (c.userId !== userId) return c;
    claims++;
    const current = isCurrent(c);
    if (current) {
      released++;
      releaseEvents.push({ at: now, set: c.set, problemId: c.problemId, userId: FORMER_MEMBER, action: 'released', by: FORMER_MEMBER, note: null, link: null });
    }
    return {
      ...c,
      userId: FORMER_MEMBER,
      note: null,
      link: null,
      outcomeLink: null,
      status: current ? ('released' as const) : c.status,
      closedAt: current ? now : c.closedAt,
      staleAt: current ? null : c.staleAt,
    };
  });
  const anonymised = anonymiseEvents(state.history, userId);
  const nextHistory = anonymised.events;
  events = anonymised.changed;
  if (claims === 0 && events === 0) return { state: null, outcome: { released, claims, events } };
  return { state: { ...state, claims: nextClaims, history: [...nextHistory, ...releaseEvents] }, outcome: { released, claims, events } };
}

/** Anonymises a member in a list of events (their own events lose notes and links). Returns how many changed. */
export function anonymiseEvents(events: readonly ClaimEvent[], userId: string): { events: ClaimEvent[]; changed: number } {
  let changed = 0;
  const next = events.map((e) => {
    if (e.userId !== userId && e.by !== userId) return e;
    changed++;
    const own = e.userId === userId;
    return { ...e, userId: own ? FORMER_MEMBER : e.userId, by: e.by === userId ? FORMER_MEMBER : e.by, note: own ? null : e.note, link: own ? null : e.link };
  });
  return { events: next, changed };
}
