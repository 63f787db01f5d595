/**
 * Stored claims follow the published renumbering (data/problem-renames.json) exactly once, on a real SQLite file:
 * a record in the format before the renumbering (no `renames` stamp) is renamed on first access, archive chunks
 * too, restarts never rename again, and records made after the renumbering are never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../../src/paths.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { openStore, type OpenedStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';

const registry = loadRegistry(DATA_DIR);
const batches = registry.problemRenames;
const SET = 'concrete-open-problems';
const GUILD = '100000000000000001';
const ALICE = '300000000000000001';
const BOB = '300000000000000002';
const T0 = Date.UTC(2026, 10, 1, 12);

/** A claims record exactly as the previous release wrote it: no `renames` stamp, old ids. */
const claim = (id: string, userId: string, problemId: string, status: 'active' | 'done' = 'active') => ({
  id, set: SET, problemId, userId, intent: 'working', note: null, link: status === 'done' ? 'https://example.org/write-up' : null,
  status, pinned: false, claimedAt: T0, lastCheckinAt: T0, staleAt: null, closedAt: status === 'done' ? T0 : null, outcomeLink: null,
});
const event = (userId: string, problemId: string, action = 'claimed') => ({ at: T0, set: SET, problemId, userId, action, by: userId, note: null, link: null });
const legacyRecord = {
  v: 1,
  data: {
    claims: [claim('c1', ALICE, '2.30'), claim('c2', BOB, '2.37', 'done'), claim('c3', BOB, '2.26'), claim('c4', ALICE, '1.10')],
    history: [event(ALICE, '2.30'), event(BOB, '2.37', 'done'), event(BOB, '2.26'), event(ALICE, '1.10')],
    archivedChunks: 1,
  },
};
const legacyChunk = { v: 1, data: { events: [event(ALICE, '2.29'), event(BOB, '2.36', 'unclaimed')] } };

let dir: string;
let stores: OpenedStore[];
const open = async () => {
  const store = await openStore(`sqlite://${join(dir, 'db.sqlite')}`);
  stores.push(store);
  const claims = new ClaimsRepo(store.keyv, new KeyedMutex());
  claims.useRenames(batches, () => T0 + 1000);
  return { store, claims };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'induction-renames-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('problem renumbering of stored claims', () => {
  it('ships the Circuits in the Wild batch (2.30 → 2.31)', () => {
    expect(batches.some((b) => b.set === SET && b.renames.some((r) => r.from === '2.30' && r.to === '2.31'))).toBe(true);
  });

  it('renames an old-format record and its archive once, and never again after a restart', async () => {
    const first = await open();
    await first.store.keyv.set(first.claims.legacy.key(GUILD), legacyRecord);
    await first.store.keyv.set(first.claims.legacyArchive.key(GUILD, '0'), legacyChunk);

    const state = await first.claims.guild(GUILD);
    expect(state.claims.map((c) => c.problemId)).toEqual(['2.31', '2.38', '2.26', '1.10']);
    // The guild's whole history: the archived events (2.29, 2.36 renamed one step), then the recent ones.
    expect(state.history.map((e) => e.problemId)).toEqual(['2.30', '2.37', '2.31', '2.38', '2.26', '1.10']);
    expect(state.renames).toEqual(batches.map((b) => b.id));
    const history = await first.claims.fullHistory(GUILD);
    expect(history.slice(0, 2).map((e) => e.problemId)).toEqual(['2.30', '2.37']);
    await first.store.close();

    // A restart reads the stamped records: nothing moves on a second time (2.31 stays 2.31).
    const second = await open();
    const again = await second.claims.guild(GUILD);
    expect(again.claims.map((c) => c.problemId)).toEqual(['2.31', '2.38', '2.26', '1.10']);
    expect((await second.claims.fullHistory(GUILD)).map((e) => e.problemId)).toEqual(['2.30', '2.37', '2.31', '2.38', '2.26', '1.10']);
    const raw: any = await second.store.keyv.get(second.claims.log.key(GUILD, '0'));
    expect(raw.data.renames).toEqual(batches.map((b) => b.id));
    expect(await second.store.keyv.get(second.claims.legacyArchive.key(GUILD, '0'))).toBeUndefined();
  });

  it('renumbers before deciding: a claim on the new id after migration joins the renamed claim', async () => {
    const { store, claims } = await open();
    await store.keyv.set(claims.legacy.key(GUILD), legacyRecord);
    // ALICE's old claim on "2.30" is now on 2.31: claiming 2.31 again updates it rather than adding a second one.
    await claims.claim(GUILD, { problem: { set: SET, problemId: '2.31' }, userId: ALICE, intent: 'writing-up', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, T0 + 2000);
    const state = await claims.guild(GUILD);
    const alice = state.claims.filter((c) => c.userId === ALICE && c.problemId === '2.31');
    expect(alice).toHaveLength(1);
    expect(alice[0]!.intent).toBe('writing-up');
  });

  it('never renames a record made after the renumbering', async () => {
    const { claims } = await open();
    await claims.claim(GUILD, { problem: { set: SET, problemId: '2.31' }, userId: ALICE, intent: 'working', note: null, link: null, onExisting: 'update' }, DEFAULT_GUILD_SETTINGS, T0);
    const state = await claims.guild(GUILD);
    expect(state.renames).toEqual(batches.map((b) => b.id));
    expect(state.claims.map((c) => c.problemId)).toEqual(['2.31']);
    await stores[0]!.close();
    const reopened = await open();
    expect((await reopened.claims.guild(GUILD)).claims.map((c) => c.problemId)).toEqual(['2.31']);
  });

  it('renames a guild stored in the bounded layout before the batch was published: log, open record and indexes', async () => {
    // Written by a release that knew no renumbering: nothing is stamped.
    const store = await openStore(`sqlite://${join(dir, 'db.sqlite')}`);
    stores.push(store);
    const before = new ClaimsRepo(store.keyv, new KeyedMutex());
    const req = (userId: string, problemId: string) => ({ problem: { set: SET, problemId }, userId, intent: 'working' as const, note: null, link: null, onExisting: 'update' as const });
    await before.claim(GUILD, req(ALICE, '2.30'), DEFAULT_GUILD_SETTINGS, T0);
    await before.done(GUILD, { set: SET, problemId: '2.29' }, BOB, 'https://example.org/bob', T0);
    expect((await before.open.get(GUILD))!.renames).toEqual([]);
    await store.close();

    const { claims } = await open();
    const state = await claims.guild(GUILD);
    expect(state.claims.map((c) => [c.userId, c.problemId, c.status])).toEqual([[ALICE, '2.31', 'active'], [BOB, '2.30', 'done']]);
    expect(state.history.map((e) => e.problemId)).toEqual(['2.31', '2.30']);
    // The card of the old id is gone; the new ids' cards show what moved there.
    expect(await claims.problems.get(GUILD, SET, '2.29')).toBeUndefined();
    expect((await claims.problems.get(GUILD, SET, '2.30'))!.done.map((c) => c.userId)).toEqual([BOB]);
    expect((await claims.forProblem(GUILD, { set: SET, problemId: '2.31' })).history.map((e) => e.userId)).toEqual([ALICE]);
    expect((await claims.forMember(GUILD, BOB)).claims.map((c) => c.problemId)).toEqual(['2.31', '2.30']);
    // A write-up on the new id updates BOB's renamed claim instead of adding one.
    expect((await claims.done(GUILD, { set: SET, problemId: '2.30' }, BOB, 'https://example.org/bob2', T0 + 1)).kind).toBe('link-updated');
    expect((await claims.guild(GUILD)).claims.filter((c) => c.userId === BOB)).toHaveLength(1);
    expect((await claims.open.get(GUILD))!.renames).toEqual(batches.map((b) => b.id));
  });
});
