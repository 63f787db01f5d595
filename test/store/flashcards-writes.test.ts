/** FlashcardsRepo on a real SQLite file: how many store calls an answer makes, and that a failed one leaves nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyAnswer } from '../../src/domain/flashcards.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { openStore, type OpenedStore } from '../../src/store/open-store.ts';
import { RecordCache } from '../../src/store/record-cache.ts';
import { FlashcardsRepo, INDEX_PARTS } from '../../src/store/repos/flashcards.ts';

const GUILD = '100000000000000001';
const ALICE = '300000000000000011';
const BOB = '300000000000000012';
const now = Date.UTC(2026, 2, 4, 12);

let dir: string;
let store: OpenedStore;
let calls: string[][];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'induction-flashcards-'));
  store = await openStore(`sqlite://${join(dir, 'db.sqlite')}`);
  calls = [];
  const { keyv } = store;
  const [set, setMany] = [keyv.set.bind(keyv), keyv.setMany.bind(keyv)];
  keyv.set = ((key: string, value: unknown) => (calls.push(['set', key]), set(key, value))) as typeof keyv.set;
  keyv.setMany = ((entries: { key: string; value: unknown }[]) => (calls.push(['setMany', ...entries.map((e) => e.key)]), setMany(entries))) as typeof keyv.setMany;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const answer = (repo: FlashcardsRepo, userId: string, termId: string, at = now) =>
  repo.update(GUILD, userId, (current) => {
    const result = applyAnswer(current, termId, current.cards[termId]?.reps ?? 0, true, at, 'UTC');
    return { state: result.kind === 'recorded' ? result.state : null, result };
  });

describe('FlashcardsRepo writes', () => {
  it("saves a member's first record and their index entry in one store call, and a returning answer alone", async () => {
    const repo = new FlashcardsRepo(store.keyv, new KeyedMutex(), new RecordCache());
    await answer(repo, ALICE, 'attention-head');
    expect(calls).toEqual([['setMany', `flashcards:${GUILD}:${ALICE}`, expect.stringMatching(new RegExp(`^flashcards-members-part:${GUILD}:\\d+$`))]]);
    calls.length = 0;
    await answer(repo, ALICE, 'residual-stream');
    expect(calls).toEqual([['set', `flashcards:${GUILD}:${ALICE}`]]);
    // Two first answers at once both land in the index.
    await Promise.all([answer(repo, BOB, 'attention-head'), answer(new FlashcardsRepo(store.keyv, new KeyedMutex()), '300000000000000013', 'attention-head')]);
    const fresh = new FlashcardsRepo(store.keyv, new KeyedMutex());
    expect(await fresh.guildMembers(GUILD)).toContain(BOB);
    expect(Object.keys((await fresh.get(GUILD, ALICE))!.cards).sort()).toEqual(['attention-head', 'residual-stream']);
  });

  it('stores neither the record nor the index entry when the write fails', async () => {
    const repo = new FlashcardsRepo(store.keyv, new KeyedMutex(), new RecordCache());
    const setMany = store.keyv.setMany;
    store.keyv.setMany = (async () => {
      throw new Error('disk full');
    }) as typeof store.keyv.setMany;
    await expect(answer(repo, ALICE, 'attention-head')).rejects.toThrow(/disk full/);
    store.keyv.setMany = setMany;
    const fresh = new FlashcardsRepo(store.keyv, new KeyedMutex());
    expect(await fresh.get(GUILD, ALICE)).toBeUndefined();
    expect(await fresh.guildMembers(GUILD)).toEqual([]);
    // The cache holds nothing stale either: the retry is a first answer again, and indexes the member.
    await answer(repo, ALICE, 'attention-head');
    expect(await fresh.guildMembers(GUILD)).toEqual([ALICE]);
  });

  it('decide answers while the write is in flight, holds the lock until it is stored, and a failed write rejects saved', async () => {
    const repo = new FlashcardsRepo(store.keyv, new KeyedMutex(), new RecordCache());
    await answer(repo, ALICE, 'attention-head');
    // Hold the next write until released, to see what happens while it is in flight.
    const set = store.keyv.set.bind(store.keyv);
    let release!: (fail: boolean) => void;
    store.keyv.set = ((key: string, value: unknown) =>
      new Promise<boolean>((resolve, reject) => {
        release = (fail) => (fail ? reject(new Error('disk full')) : resolve(set(key, value)));
      })) as typeof store.keyv.set;
    const change = (termId: string) => (current: Parameters<Parameters<FlashcardsRepo['decide']>[2]>[0]) => {
      const result = applyAnswer(current, termId, current.cards[termId]?.reps ?? 0, true, now, 'UTC');
      return { state: result.kind === 'recorded' ? result.state : null, result };
    };
    const decided = await repo.decide(GUILD, ALICE, change('residual-stream'));
    expect(decided.result.kind).toBe('recorded');
    let savedYet = false;
    void decided.saved.then(() => (savedYet = true));
    // A second answer by the same member waits for the first write: it reads the state with both cards.
    let secondDecided = false;
    const second = repo.decide(GUILD, ALICE, change('superposition')).then((d) => ((secondDecided = true), d));
    await new Promise((r) => setTimeout(r, 20));
    expect(savedYet).toBe(false);
    expect(secondDecided).toBe(false);
    const releaseFirst = release;
    releaseFirst(false);
    await decided.saved;
    await new Promise((r) => setTimeout(r, 20));
    expect(secondDecided).toBe(true);
    // The second write fails: its `saved` rejects, and the store keeps the first two cards only.
    release(true);
    await expect((await second).saved).rejects.toThrow(/disk full/);
    store.keyv.set = set as typeof store.keyv.set;
    const fresh = new FlashcardsRepo(store.keyv, new KeyedMutex());
    expect(Object.keys((await fresh.get(GUILD, ALICE))!.cards).sort()).toEqual(['attention-head', 'residual-stream']);
    expect(Object.keys((await repo.get(GUILD, ALICE))!.cards).sort()).toEqual(['attention-head', 'residual-stream']);
  });

  it("spreads the index over parts, so a first answer rewrites one small part whatever the number of learners", async () => {
    const repo = new FlashcardsRepo(store.keyv, new KeyedMutex(), new RecordCache());
    const learners = Array.from({ length: 200 }, (_, i) => String(300000000000001000n + BigInt(i)));
    for (const id of learners) await answer(repo, id, 'attention-head');
    const sizes = await Promise.all(Array.from({ length: INDEX_PARTS }, async (_, k) => (await repo.indexParts.get(GUILD, String(k)))?.members.length ?? 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
    // Spread, not piled into one part: no part holds more than a quarter of the learners.
    expect(Math.max(...sizes)).toBeLessThan(50);
    expect([...(await new FlashcardsRepo(store.keyv, new KeyedMutex()).guildMembers(GUILD))].sort()).toEqual([...learners].sort());
  });

  it('reads a one-record index from before parts, and removes a forgotten member from it', async () => {
    // A guild indexed by the previous release: one record listing its learners.
    await store.keyv.set(`flashcards-members:${GUILD}`, { v: 1, data: { members: [ALICE, BOB] } });
    const repo = new FlashcardsRepo(store.keyv, new KeyedMutex(), new RecordCache());
    await answer(repo, '300000000000000013', 'attention-head');
    expect([...(await repo.guildMembers(GUILD))].sort()).toEqual([ALICE, BOB, '300000000000000013']);
    await repo.forgetMember(GUILD, ALICE);
    expect([...(await repo.guildMembers(GUILD))].sort()).toEqual([BOB, '300000000000000013']);
    expect(await store.keyv.get(`flashcards-members:${GUILD}`)).toEqual({ v: 1, data: { members: [BOB] } });
    await repo.purgeGuild(GUILD);
    expect(await repo.guildMembers(GUILD)).toEqual([]);
  });
});
