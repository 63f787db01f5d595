/** The claim lifecycle, claim rules, input parsing, problem search and the /problem card limits, as pure functions. */
import { describe, expect, it } from 'vitest';
import problemCommand from '../../commands/problem.ts';
import {
  DAY_MS,
  applyCheckin,
  applyClaim,
  applyDone,
  applyPin,
  applyRelease,
  applySweep,
  checkClaim,
  claimsForProblem,
  listClaims,
  nextStatus,
  parseLink,
  parseNote,
  releaseDueAt,
  sharedProblems,
  type ClaimRequest,
} from '../../src/domain/claims.ts';
import { chunkWords, drawProblem, matchProblems, problemSearch, relaxations } from '../../src/domain/problem-search.ts';
import { CUSTOM_ID_MAX } from '../../src/discord/custom-id.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { loadRegistry, problemKey } from '../../src/registry/load.ts';
import { anotherCustomId, claimsPageCustomId, renderProblemCard, renderProblemChoices } from '../../src/render/problem.ts';
import { EMPTY_GUILD_CLAIMS, GuildClaims, type Claim } from '../../src/store/repos/claims.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';
import { embedLength } from '../harness/discord-spec.ts';

const registry = loadRegistry(DATA_DIR);
const T0 = Date.UTC(2026, 2, 2, 12);
const ALICE = '300000000000000011';
const BOB = '300000000000000012';
const ADMIN = '300000000000000013';
const P110 = { set: 'concrete-open-problems', problemId: '1.10' };
const P11 = { set: 'concrete-open-problems', problemId: '1.1' };
const rules = { claimsExclusive: false, claimCap: 3 };
const life = { staleAfterDays: 21, releaseAfterDays: 14 };

const request = (userId: string, problem = P110, extra: Partial<ClaimRequest> = {}): ClaimRequest => ({
  problem,
  userId,
  intent: 'working',
  note: null,
  link: null,
  onExisting: 'update',
  ...extra,
});

/** Applies a transition and checks that the state it produces is one the store would accept. */
function run<O>(result: { state: GuildClaims | null; outcome: O }, before: GuildClaims) {
  const state = result.state ?? before;
  GuildClaims.parse(state);
  return { state, outcome: result.outcome, changed: result.state !== null };
}

function claimed(userId = ALICE, problem = P110, at = T0) {
  return run(applyClaim(EMPTY_GUILD_CLAIMS, request(userId, problem), rules, at), EMPTY_GUILD_CLAIMS).state;
}

describe('lifecycle', () => {
  it('walks the whole ladder: claim, stale, check-in, stale, release', () => {
    let state = claimed();
    const sweep = (at: number) => {
      const r = run(applySweep(state, at, life), state);
      state = r.state;
      return r.outcome;
    };
    expect(sweep(T0 + 21 * DAY_MS - 1)).toEqual({ turnedStale: [], released: [] });
    const first = sweep(T0 + 21 * DAY_MS);
    expect(first.turnedStale.map((c) => [c.userId, c.status, c.staleAt])).toEqual([[ALICE, 'stale', T0 + 21 * DAY_MS]]);

    const checkinAt = T0 + 25 * DAY_MS;
    const checked = run(applyCheckin(state, P110, ALICE, 'still at it', checkinAt), state);
    expect(checked.outcome).toMatchObject({ kind: 'checked-in', wasStale: true, claim: { status: 'active', staleAt: null, lastCheckinAt: checkinAt, note: 'still at it' } });
    state = checked.state;

    expect(sweep(checkinAt + 21 * DAY_MS - 1).turnedStale).toEqual([]);
    const staleAt = checkinAt + 22 * DAY_MS; // a weekly sweep runs a day late
    expect(sweep(staleAt).turnedStale).toHaveLength(1);
    // Release counts from when it was marked stale, so the member gets the full notice period.
    expect(sweep(staleAt + 14 * DAY_MS - 1)).toEqual({ turnedStale: [], released: [] });
    const last = sweep(staleAt + 14 * DAY_MS);
    expect(last.released.map((c) => [c.status, c.closedAt])).toEqual([['released', staleAt + 14 * DAY_MS]]);
    expect(state.history.map((e) => [e.action, e.by])).toEqual([
      ['claimed', ALICE],
      ['stale', 'system'],
      ['checked-in', ALICE],
      ['stale', 'system'],
      ['released', 'system'],
    ]);
  });

  it('never releases without listing the claim as stale first, however long the bot was down', () => {
    const state = claimed();
    const r = run(applySweep(state, T0 + 400 * DAY_MS, life), state);
    expect(r.outcome.released).toEqual([]);
    expect(r.outcome.turnedStale).toHaveLength(1);
  });

  it('exempts pinned claims, and pinning a stale claim makes it active again', () => {
    let state = claimed();
    state = run(applySweep(state, T0 + 30 * DAY_MS, life), state).state;
    const pinned = run(applyPin(state, P110, ALICE, true, ADMIN, T0 + 31 * DAY_MS), state);
    expect(pinned.outcome).toMatchObject({ kind: 'pinned', claim: { status: 'active', staleAt: null, pinned: true } });
    state = pinned.state;
    expect(nextStatus(state.claims[0]!, T0 + 1000 * DAY_MS, life)).toBe('active');
    expect(run(applySweep(state, T0 + 1000 * DAY_MS, life), state).changed).toBe(false);
    expect(run(applyPin(state, P110, ALICE, true, ADMIN, T0), state).outcome.kind).toBe('unchanged');
    const unpinned = run(applyPin(state, P110, ALICE, false, ADMIN, T0 + 32 * DAY_MS), state);
    expect(unpinned.outcome.kind).toBe('unpinned');
    expect(unpinned.state.history.at(-1)).toMatchObject({ action: 'unpinned', by: ADMIN, userId: ALICE });
    // Back on the normal clock, counted from the last real check-in.
    expect(nextStatus(unpinned.state.claims[0]!, T0 + 32 * DAY_MS, life)).toBe('stale');
  });

  it('leaves released and done claims alone', () => {
    let state = claimed();
    state = run(applyRelease(state, P110, ALICE, ALICE, T0 + 1), state).state;
    expect(nextStatus(state.claims[0]!, T0 + 999 * DAY_MS, life)).toBe('released');
    expect(releaseDueAt({ ...state.claims[0]!, staleAt: null }, life)).toBe(T0 + 35 * DAY_MS);
  });
});

describe('claim rules', () => {
  it('shares by default: every member gets a claim and sees the others', () => {
    let state = claimed(ALICE);
    const bob = run(applyClaim(state, request(BOB), rules, T0 + 5), state);
    expect(bob.outcome).toMatchObject({ kind: 'claimed', others: [{ userId: ALICE }] });
    state = bob.state;
    expect(claimsForProblem(state, P110).current.map((c) => c.userId)).toEqual([ALICE, BOB]);
    expect(state.claims.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(sharedProblems(state.claims)).toEqual([problemKey(P110.set, P110.problemId)]);
  });

  it('gives an exclusive problem to the first claimant, stale or not, until released', () => {
    const exclusive = { ...rules, claimsExclusive: true };
    let state = claimed(ALICE);
    expect(run(applyClaim(state, request(BOB), exclusive, T0), state).outcome).toMatchObject({ kind: 'taken', holder: { userId: ALICE } });
    state = run(applySweep(state, T0 + 22 * DAY_MS, life), state).state;
    expect(checkClaim(state.claims, P110, BOB, exclusive)).toMatchObject({ ok: false, reason: 'taken' });
    state = run(applyRelease(state, P110, ALICE, ADMIN, T0 + 23 * DAY_MS), state).state;
    expect(state.history.at(-1)).toMatchObject({ action: 'released', by: ADMIN, userId: ALICE });
    expect(run(applyClaim(state, request(BOB), exclusive, T0 + 23 * DAY_MS), state).outcome.kind).toBe('claimed');
  });

  it('counts active and stale claims toward the cap, and not finished or released ones', () => {
    let state = EMPTY_GUILD_CLAIMS;
    for (const id of ['1.1', '1.2', '1.3']) state = run(applyClaim(state, request(ALICE, { ...P11, problemId: id }), rules, T0), state).state;
    const over = run(applyClaim(state, request(ALICE), rules, T0), state);
    expect(over).toMatchObject({ changed: false, outcome: { kind: 'cap', cap: 3 } });
    if (over.outcome.kind === 'cap') expect(over.outcome.current.map((c) => c.problemId)).toEqual(['1.1', '1.2', '1.3']);
    state = run(applySweep(state, T0 + 21 * DAY_MS, life), state).state;
    expect(checkClaim(state.claims, P110, ALICE, rules)).toMatchObject({ reason: 'cap' });
    state = run(applyDone(state, P11, ALICE, 'https://example.org/w', T0 + 22 * DAY_MS), state).state;
    expect(checkClaim(state.claims, P110, ALICE, rules)).toEqual({ ok: true });
    expect(checkClaim(state.claims, P110, ALICE, { ...rules, claimCap: 2 })).toMatchObject({ reason: 'cap' });
  });

  it('handles claiming the same problem twice: the command updates intent as a check-in, the button changes nothing', () => {
    let state = claimed(ALICE, P110, T0);
    const button = run(applyClaim(state, request(ALICE, P110, { intent: 'exploring', onExisting: 'keep' }), rules, T0 + DAY_MS), state);
    expect(button).toMatchObject({ changed: false, outcome: { kind: 'already', claim: { intent: 'working' } } });
    const again = run(applyClaim(state, request(ALICE, P110, { intent: 'writing-up', note: 'drafting' }), rules, T0 + DAY_MS), state);
    expect(again.outcome).toMatchObject({ kind: 'already', previous: { intent: 'working' }, claim: { intent: 'writing-up', note: 'drafting', lastCheckinAt: T0 + DAY_MS } });
    state = again.state;
    expect(state.claims).toHaveLength(1);
    expect(state.history.map((e) => e.action)).toEqual(['claimed', 'checked-in']);
  });

  it('records done on a claim, updates the link on a second done, and records unclaimed work too', () => {
    let state = claimed(ALICE);
    const first = run(applyDone(state, P110, ALICE, 'https://example.org/a', T0 + 1), state);
    expect(first.outcome).toMatchObject({ kind: 'done', claimed: true, claim: { status: 'done', outcomeLink: 'https://example.org/a', closedAt: T0 + 1 } });
    state = first.state;
    const second = run(applyDone(state, P110, ALICE, 'https://example.org/b', T0 + 2), state);
    expect(second.outcome).toMatchObject({ kind: 'link-updated', previousLink: 'https://example.org/a' });
    state = second.state;
    const bob = run(applyDone(state, P110, BOB, 'https://example.org/c', T0 + 3), state);
    expect(bob.outcome).toMatchObject({ kind: 'done', claimed: false, claim: { userId: BOB, status: 'done' } });
    state = bob.state;
    expect(claimsForProblem(state, P110).done.map((c) => c.outcomeLink)).toEqual(['https://example.org/c', 'https://example.org/b']);
    expect(claimsForProblem(state, P110).current).toEqual([]);
  });

  it('only acts on a member’s own current claim', () => {
    const state = claimed(ALICE);
    expect(run(applyCheckin(state, P110, BOB, null, T0), state)).toMatchObject({ changed: false, outcome: { kind: 'no-claim' } });
    expect(run(applyRelease(state, P110, BOB, BOB, T0), state)).toMatchObject({ changed: false, outcome: { kind: 'no-claim' } });
    expect(run(applyPin(state, P11, ALICE, true, ADMIN, T0), state).outcome.kind).toBe('no-claim');
    const unclaimed = run(applyRelease(state, P110, ALICE, ALICE, T0 + 1), state);
    expect(unclaimed.state.history.at(-1)).toMatchObject({ action: 'unclaimed', by: ALICE });
    expect(run(applyCheckin(unclaimed.state, P110, ALICE, null, T0 + 2), unclaimed.state).outcome.kind).toBe('no-claim');
  });

  it('lists claims by member and status, most recent activity first', () => {
    let state = claimed(ALICE, P11, T0);
    state = run(applyClaim(state, request(BOB, P110), rules, T0 + 10), state).state;
    state = run(applyClaim(state, request(ALICE, P110), rules, T0 + 20), state).state;
    state = run(applyDone(state, P11, ALICE, 'https://example.org/x', T0 + 30), state).state;
    const ids = (cs: Claim[]) => cs.map((c) => `${c.userId === ALICE ? 'A' : 'B'}${c.problemId}`);
    expect(ids(listClaims(state.claims, { status: 'current' }))).toEqual(['A1.10', 'B1.10']);
    expect(ids(listClaims(state.claims, { status: 'all' }))).toEqual(['A1.1', 'A1.10', 'B1.10']);
    expect(ids(listClaims(state.claims, { status: 'done' }))).toEqual(['A1.1']);
    expect(ids(listClaims(state.claims, { status: 'current', userId: BOB }))).toEqual(['B1.10']);
    expect(listClaims(state.claims, { status: 'stale' })).toEqual([]);
  });
});

describe('input', () => {
  it.each([
    ['https://github.com/me/repo', 'https://github.com/me/repo'],
    ['  http://example.org/a b  ', 'http://example.org/a%20b'],
    ['https://en.wikipedia.org/wiki/Attention_(machine_learning)', 'https://en.wikipedia.org/wiki/Attention_%28machine_learning%29'],
  ])('accepts %s', (input, expected) => {
    expect(parseLink(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['javascript:alert(1)', 'only http:// and https:// links are allowed.'],
    ['ftp://example.org/x', 'only http:// and https:// links are allowed.'],
    ['example.org/no-scheme', 'it is not a URL. Paste the full address, starting with https://'],
    ['https://arxiv.org@evil.example/', 'links with a user name or password are not allowed.'],
    [`https://example.org/${'x'.repeat(290)}`, 'links can be at most 300 characters.'],
    ['   ', 'it is empty.'],
  ])('refuses %s', (input, why) => {
    expect(parseLink(input)).toEqual({ ok: false, error: `That link was not accepted: ${why}` });
  });

  it('keeps notes to one line of at most 200 characters', () => {
    expect(parseNote(undefined)).toEqual({ ok: true, value: null });
    expect(parseNote('  \n ')).toEqual({ ok: true, value: null });
    expect(parseNote('line one\nline  two')).toEqual({ ok: true, value: 'line one line two' });
    expect(parseNote('x'.repeat(200))).toEqual({ ok: true, value: 'x'.repeat(200) });
    expect(parseNote('x'.repeat(201))).toEqual({ ok: false, error: 'Notes can be at most 200 characters (yours has 201).' });
  });
});

describe('problem search and draws', () => {
  const search = problemSearch(registry);

  it('finds a bare id in either set, ignoring case, and keeps 1.1 apart from 1.10', () => {
    expect(search.byId('1.10')?.summary).toMatch(/composition scores/);
    expect(search.byId(' op-3 ')?.id).toBe('OP-3');
    expect(search.byId('1.1')?.id).toBe('1.1');
    expect(search.byId('1.100')).toBeUndefined();
    expect(search.suggest('1.1').slice(0, 3).map((p) => p.id)).toEqual(['1.1', '1.10', '1.11']);
  });

  it('autocompletes on summary words, including words past the first 100 characters', () => {
    expect(search.suggest('composition scores').map((p) => p.id)).toContain('1.10');
    const long = registry.problems.find((p) => (p.summary?.length ?? 0) > 300)!;
    const lastWords = long.summary!.split(' ').slice(-3).join(' ').replace(/[.?]$/, '');
    expect(search.suggest(lastWords, 25).map((p) => p.id)).toContain(long.id);
    expect(chunkWords('a '.repeat(120).trim(), 100).every((c) => c.length <= 100)).toBe(true);
  });

  it('suggests near ids for a miss, and nothing for nonsense', () => {
    expect(search.didYouMean('1.100').map((p) => p.id)).toContain('1.10');
    // Issue 13, finding 10: a suggestion far from what was typed is noise.
    expect(search.didYouMean('zzqqxx')).toEqual([]);
    expect(search.didYouMean('quantum blockchain')).toEqual([]);
  });

  it('resolves categories by id or name, within a set', () => {
    expect(search.resolveCategory('1', 'concrete-open-problems')?.name).toBe('Toy Language Models');
    expect(search.resolveCategory('toy language models')?.id).toBe('1');
    expect(search.resolveCategory('1', 'open-problems-2025')).toBeUndefined();
    expect(search.categories('', 'open-problems-2025').map((c) => c.id)).toEqual(['M', 'A', 'S']);
  });

  it('filters draws, treats unrated as never matching a difficulty, and names the filter to relax', () => {
    const claimed = new Set([problemKey('concrete-open-problems', '1.6')]);
    const a = matchProblems(registry.problems, { difficulty: 'A', unclaimed: true }, claimed);
    expect(a.length).toBe(registry.problems.filter((p) => p.difficulty === 'A').length - 1);
    expect(a.every((p) => p.difficulty === 'A' && p.id !== '1.6')).toBe(true);
    expect(matchProblems(registry.problems, { unclaimed: false }, new Set()).some((p) => p.summary === null)).toBe(false);
    const none = { set: 'open-problems-2025', difficulty: 'A' as const, unclaimed: false };
    expect(matchProblems(registry.problems, none, new Set())).toEqual([]);
    expect(relaxations(registry.problems, none, new Set())).toEqual([
      { filter: 'set', count: a.length + 1 },
      { filter: 'difficulty', count: 32 },
    ]);
  });

  it('draws another problem than the one on screen when it can', () => {
    const [x, y] = registry.problems;
    expect(drawProblem([x!, y!], () => 0, x!.id)).toBe(y);
    expect(drawProblem([x!], () => 0, x!.id)).toBe(x);
    expect(drawProblem([], () => 0)).toBeUndefined();
  });
});

describe('/problem payload limits', () => {
  it('offers exactly the registry’s problem sets as choices', () => {
    const random = problemCommand.data.options.find((o) => o.name === 'random')!;
    const setOption = 'options' in random ? random.options!.find((o) => o.name === 'set') : undefined;
    const values = setOption && 'choices' in setOption ? setOption.choices!.map((c) => c.value) : [];
    expect(values).toEqual(registry.sets.map((s) => s.id));
  });

  it('keeps the busiest possible card inside 6000 characters, and every custom_id inside 100', () => {
    const problem = [...registry.problems].sort((a, b) => (b.summary?.length ?? 0) - (a.summary?.length ?? 0))[0]!;
    let state = EMPTY_GUILD_CLAIMS;
    const ref = { set: problem.set, problemId: problem.id };
    for (let i = 0; i < 40; i++) {
      const user = String(300000000000000100n + BigInt(i));
      const r = applyClaim(state, { problem: ref, userId: user, intent: 'writing-up', note: 'n'.repeat(200), link: `https://example.org/${'l'.repeat(270)}`, onExisting: 'update' }, { claimsExclusive: false, claimCap: 50 }, T0);
      state = r.state!;
      if (i % 2 === 0) state = applyDone(state, ref, user, `https://example.org/${'d'.repeat(270)}`, T0 + 1).state!;
    }
    state = applySweep(state, T0 + 30 * DAY_MS, life).state!;
    const card = renderProblemCard(
      { registry, problem: { ...problem, difficultyNote: 'x'.repeat(120), subcategory: 's'.repeat(120) }, claims: state, settings: DEFAULT_GUILD_SETTINGS },
      { viewerId: '12345678901234567890', current: 'OP-9999', set: 'concrete-open-problems', category: '9', difficulty: 'A', unclaimed: true },
    );
    const embed = card.embeds[0]!;
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
    for (const f of embed.fields ?? []) expect(f.value.length, f.name).toBeLessThanOrEqual(1024);
    expect(embed.fields!.find((f) => f.name === 'Working on it here')!.value).toMatch(/…and \d+ more$/);
    const ids = card.components.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids.every((id) => id.length <= CUSTOM_ID_MAX)).toBe(true);
    expect(anotherCustomId({ viewerId: '12345678901234567890', current: 'OP-9999', set: 'open-problems-2025', category: 'M', difficulty: 'D', unclaimed: false }).length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(claimsPageCustomId({ page: 9999, memberId: '12345678901234567890', status: 'released' }, 9999, 'n').length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
  });

  it('keeps autocomplete names within 100 characters and at most 25 choices', () => {
    const choices = renderProblemChoices(registry.problems);
    expect(choices).toHaveLength(25);
    expect(choices.every((c) => c.name.length <= 100 && c.name.length > 0)).toBe(true);
  });
});
