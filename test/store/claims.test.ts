/** ClaimsRepo on a real SQLite file: concurrency, persistence, corrupt records and the sweep. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, type ClaimRequest } from '../../src/domain/claims.ts';
import { CorruptRecordError } from '../../src/store/errors.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { openStore, type OpenedStore } from '../../src/store/open-store.ts';
import { ClaimsRepo, LOG_CHUNK_MAX, sweepGuildClaims } from '../../src/store/repos/claims.ts';
import { DEFAULT_GUILD_SETTINGS, GuildSettingsRepo } from '../../src/store/repos/guild-settings.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const T0 = Date.UTC(2026, 2, 2, 12);
const P110 = { set: 'concrete-open-problems', problemId: '1.10' };
const user = (i: number) => String(300000000000000100n + BigInt(i));
const request = (userId: string, problem = P110): ClaimRequest => ({ problem, userId, intent: 'working', note: null, link: null, onExisting: 'update' });

let dir: string;
let stores: OpenedStore[];
const open = async () => {
  const store = await openStore(`sqlite://${join(dir, 'db.sqlite')}`);
  stores.push(store);
  const locks = new KeyedMutex();
  return { store, claims: new ClaimsRepo(store.keyv, locks), guildSettings: new GuildSettingsRepo(store.keyv, locks) };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'induction-claims-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('ClaimsRepo', () => {
  it('records all 50 of 50 simultaneous claims on one problem in shared mode', async () => {
    const { claims } = await open();
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(GUILD, request(user(i)), DEFAULT_GUILD_SETTINGS, T0 + i)));
    expect(outcomes.every((o) => o.kind === 'claimed')).toBe(true);
    const state = await claims.guild(GUILD);
    expect(new Set(state.claims.map((c) => c.userId)).size).toBe(50);
    expect(new Set(state.claims.map((c) => c.id)).size).toBe(50);
    expect(state.history.filter((e) => e.action === 'claimed')).toHaveLength(50);
  });

  it('gives exactly one winner of 50 simultaneous claims in exclusive mode', async () => {
    const { claims } = await open();
    const exclusive = { ...DEFAULT_GUILD_SETTINGS, claimsExclusive: true };
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(GUILD, request(user(i)), exclusive, T0)));
    const winners = outcomes.filter((o) => o.kind === 'claimed');
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'taken')).toHaveLength(49);
    const state = await claims.guild(GUILD);
    expect(state.claims).toHaveLength(1);
    expect(state.claims[0]!.userId).toBe(winners[0]!.kind === 'claimed' ? winners[0]!.claim.userId : '');
  });

  it('loses no update when claims, check-ins, unclaims and another guild’s claims interleave', async () => {
    const { claims } = await open();
    const problems = ['1.1', '1.2', '1.3'].map((problemId) => ({ ...P110, problemId }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => claims.claim(GUILD, request(user(i), problems[0]), DEFAULT_GUILD_SETTINGS, T0)));
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => claims.checkin(GUILD, problems[0]!, user(i), `note ${i}`, T0 + DAY_MS)),
      ...Array.from({ length: 20 }, (_, i) => claims.claim(GUILD, request(user(i), problems[1]), DEFAULT_GUILD_SETTINGS, T0 + DAY_MS)),
      ...Array.from({ length: 10 }, (_, i) => claims.unclaim(GUILD, problems[0]!, user(i + 10), T0 + 2 * DAY_MS)),
      ...Array.from({ length: 20 }, (_, i) => claims.claim(OTHER_GUILD, request(user(i), problems[2]), DEFAULT_GUILD_SETTINGS, T0)),
    ]);
    const state = await claims.guild(GUILD);
    const on = (problemId: string) => state.claims.filter((c) => c.problemId === problemId);
    expect(on('1.1').filter((c) => c.status === 'active')).toHaveLength(10);
    expect(on('1.1').filter((c) => c.status === 'released')).toHaveLength(10);
    expect(on('1.2')).toHaveLength(20);
    expect(state.history.filter((e) => e.action === 'checked-in')).toHaveLength(20);
    expect(state.history.filter((e) => e.action === 'unclaimed')).toHaveLength(10);
    expect((await claims.guild(OTHER_GUILD)).claims).toHaveLength(20);
  });

  it('keeps claims and history across a restart', async () => {
    const first = await open();
    await first.claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    await first.claims.done(GUILD, P110, user(1), 'https://example.org/write-up', T0 + DAY_MS);
    const before = await first.claims.guild(GUILD);
    await first.store.close();
    const second = await open();
    expect(await second.claims.guild(GUILD)).toEqual(before);
    expect(before.claims[0]).toMatchObject({ status: 'done', outcomeLink: 'https://example.org/write-up' });
  });

  it('treats a damaged record as corrupt, never as "no claims", and leaves it for repair', async () => {
    const { store, claims } = await open();
    await store.keyv.set(`claims:${GUILD}`, { v: 1, data: { claims: [{ id: 'c1' }], history: [] } });
    await expect(claims.guild(GUILD)).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0)).rejects.toBeInstanceOf(CorruptRecordError);
    expect(await store.keyv.get(`claims:${GUILD}`)).toEqual({ v: 1, data: { claims: [{ id: 'c1' }], history: [] } });
  });

  it('treats a damaged record of the bounded layout as corrupt too, claim by claim', async () => {
    const { store, claims } = await open();
    await claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    const good: any = await store.keyv.get(`claims-open:${GUILD}`);
    const damaged = { v: 1, data: { ...good.data, claims: [...good.data.claims, { ...good.data.claims[0], id: 'c2', userId: 'not-a-snowflake' }] } };
    await store.keyv.set(`claims-open:${GUILD}`, damaged);
    const reopened = new ClaimsRepo(store.keyv, new KeyedMutex());
    await expect(reopened.openClaims(GUILD)).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(reopened.claim(GUILD, request(user(2)), DEFAULT_GUILD_SETTINGS, T0)).rejects.toBeInstanceOf(CorruptRecordError);
  });

  it('answers a claim once decided, with the card as it will be, and holds the guild until it is saved', async () => {
    const { store, claims } = await open();
    const exclusive = { ...DEFAULT_GUILD_SETTINGS, claimsExclusive: true };
    const decided = await claims.claimDecided(GUILD, request(user(1)), exclusive, T0);
    expect(decided.outcome.kind).toBe('claimed');
    // Someone else's claim, started now, decides on the saved state: it waits for the guild's lock.
    const rival = claims.claim(GUILD, request(user(2)), exclusive, T0);
    const card = await decided.card(P110);
    expect(card.claims.map((c) => [c.userId, c.status])).toEqual([[user(1), 'active']]);
    expect(card.history.map((e) => [e.userId, e.action])).toEqual([[user(1), 'claimed']]);
    await decided.saved;
    expect(await claims.forProblem(GUILD, P110)).toEqual(card);
    expect((await rival).kind).toBe('taken');
    // What was saved is what a fresh process reads.
    const reopened = new ClaimsRepo(store.keyv, new KeyedMutex());
    expect(await reopened.forProblem(GUILD, P110)).toEqual(card);
  });

  it('rejects `saved` when the write fails, and nothing is claimed', async () => {
    const { store, claims } = await open();
    await claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    const setMany = store.keyv.setMany.bind(store.keyv);
    // Fails as SQLite does, after a while (a busy store fails after its timeout).
    store.keyv.setMany = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('disk full');
    }) as typeof store.keyv.setMany;
    const decided = await claims.claimDecided(GUILD, request(user(2)), DEFAULT_GUILD_SETTINGS, T0 + 1);
    expect(decided.outcome.kind).toBe('claimed');
    await expect(decided.saved).rejects.toThrow(/disk full/);
    store.keyv.setMany = setMany;
    // The guild is free again, and neither this process nor a fresh one sees the failed claim.
    expect((await claims.openClaims(GUILD)).claims.map((c) => c.userId)).toEqual([user(1)]);
    const reopened = new ClaimsRepo(store.keyv, new KeyedMutex());
    expect((await reopened.openClaims(GUILD)).claims.map((c) => c.userId)).toEqual([user(1)]);
    expect((await claims.claim(GUILD, request(user(2)), DEFAULT_GUILD_SETTINGS, T0 + 2)).kind).toBe('claimed');
  });

  it('does not write a record for a refused action in a guild with no claims', async () => {
    const { store, claims } = await open();
    expect(await claims.checkin(GUILD, P110, user(1), null, T0)).toEqual({ kind: 'no-claim' });
    expect(await store.keyv.get(`claims:${GUILD}`)).toBeUndefined();
    expect(await store.keyv.get(`claims-open:${GUILD}`)).toBeUndefined();
  });

  it('sweeps with each guild’s own settings', async () => {
    const repos = await open();
    await repos.guildSettings.update(GUILD, { staleAfterDays: 7, releaseAfterDays: 3 });
    await repos.claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    await repos.claims.claim(OTHER_GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    const a = await sweepGuildClaims(repos, GUILD, T0 + 7 * DAY_MS);
    const b = await sweepGuildClaims(repos, OTHER_GUILD, T0 + 7 * DAY_MS);
    expect(a.turnedStale.map((c) => c.userId)).toEqual([user(1)]);
    expect(b).toEqual({ turnedStale: [], released: [] });
    const released = await sweepGuildClaims(repos, GUILD, T0 + 10 * DAY_MS);
    expect(released.released.map((c) => [c.userId, c.status])).toEqual([[user(1), 'released']]);
    expect((await repos.claims.guild(GUILD)).history.map((e) => e.action)).toEqual(['claimed', 'stale', 'released']);
  });
});

describe('claim history log', () => {
  it('keeps every record bounded, and every event readable, anonymisable and purgeable', async () => {
    const { claims, store } = await open();
    await claims.claim(GUILD, request(user(1)), DEFAULT_GUILD_SETTINGS, T0);
    await claims.claim(GUILD, request(user(2)), DEFAULT_GUILD_SETTINGS, T0);
    const total = 1_400;
    for (let i = 2; i < total; i++) await claims.checkin(GUILD, P110, user(1 + (i % 2)), `note ${i}`, T0 + i * 60_000);

    const head = await claims.open.get(GUILD);
    // The head keeps no claims itself: they are in the members' parts, each holding only its members' claims.
    expect(head!.claims).toHaveLength(0);
    expect((await claims.openClaims(GUILD)).claims.map((c) => c.userId)).toEqual([user(1), user(2)]);
    const parts = await claims.openParts.getMany(Array.from({ length: head!.parts! }, (_, k) => [GUILD, String(k)]));
    expect(parts.flatMap((p) => p?.claims ?? []).map((c) => c.userId).sort()).toEqual([user(1), user(2)].sort());
    for (const part of parts) expect(new Set(part?.claims.map((c) => c.userId)).size).toBeLessThanOrEqual(2);
    expect(head!.chunks).toBe(Math.ceil(total / LOG_CHUNK_MAX));
    for (let n = 0; n < head!.chunks; n++) expect((await claims.log.get(GUILD, String(n)))!.events.length).toBeLessThanOrEqual(LOG_CHUNK_MAX);
    expect((await claims.problems.get(GUILD, P110.set, P110.problemId))!.events.length).toBeLessThanOrEqual(10);
    const all = await claims.fullHistory(GUILD);
    expect(all).toHaveLength(total);
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort((a, b) => a - b));
    // A window reaching back into the archive gets the archived events too.
    expect(await claims.historySince(GUILD, T0)).toHaveLength(total);
    expect((await claims.historySince(GUILD, T0 + (total - 10) * 60_000)).length).toBe(10);

    const forgotten = await claims.forgetMember(GUILD, user(1), T0 + total * 60_000);
    expect(forgotten.events).toBeGreaterThan(600);
    const after = JSON.stringify(await claims.fullHistory(GUILD));
    expect(after).not.toContain(user(1));
    expect(after).toContain(user(2));

    await claims.purge(GUILD);
    const rows = (await (store.keyv.store as any).query("SELECT key FROM keyv WHERE key LIKE 'induction:claims%'")) as { key: string }[];
    expect(rows).toEqual([]);
  });
});
