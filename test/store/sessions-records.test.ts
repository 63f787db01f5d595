/**
 * Reading sessions are stored one record per session with a bounded guild index, on a real SQLite file: a v1
 * guild record (every session inline) is moved to per-session records on first access, exactly once and
 * idempotently; scheduling writes only the new session and the index; an RSVP writes only its session.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planReminders, SESSIONS_KEPT, type Session } from '../../src/domain/sessions.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { openStore, type OpenedStore } from '../../src/store/open-store.ts';
import { SessionsRepo } from '../../src/store/repos/sessions.ts';

const GUILD = '100000000000000001';
const ALICE = '300000000000000001';
const T0 = Date.UTC(2026, 10, 1, 12);
const ids = 'abcdefghijkmnpqrstuvwxyz';

function session(n: number, patch: Partial<Session> = {}): Session {
  const startsAt = T0 + n * 86_400_000;
  return {
    id: `s${ids[n % 24]}${ids[Math.floor(n / 24) % 24]}22`, groupId: 'everyone', resourceId: 'zoom-in', startsAt, durationMin: 60, timezone: 'UTC',
    location: { kind: 'external', place: 'x' }, createdBy: ALICE, createdAt: T0, status: 'scheduled', cancelledAt: null, cancelledVia: null,
    channelId: '200000000000000001', messageId: '400000000000000001', threadId: null, eventId: null, notes: [], willRead: [ALICE], cantMake: [], readIt: [],
    reminders: planReminders([1440, 60], startsAt), heldMarkedAt: null, syncedAt: null, seriesId: null, seriesIndex: null, pingRoleId: null, ...patch,
  };
}

let dir: string;
let stores: OpenedStore[];
const open = async () => {
  const store = await openStore(`sqlite://${join(dir, 'db.sqlite')}`);
  stores.push(store);
  return { store, repo: new SessionsRepo(store.keyv, new KeyedMutex()) };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'induction-sessions-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('per-session records', () => {
  it('moves a v1 guild record to per-session records on first access, once, keeping everything', async () => {
    const { store, repo } = await open();
    const legacy = [session(1), session(2, { status: 'cancelled', cancelledAt: T0, cancelledVia: 'command' }), session(3)];
    const settings = { everyone: { reminderOffsetsMin: [60], pingRole: false, timezone: 'Europe/London' } };
    await store.keyv.set(`sessions:${GUILD}`, { v: 1, data: { sessions: legacy, series: [], settings } });

    const all = await repo.all(GUILD);
    expect(all.sessions.map((s) => s.id)).toEqual([legacy[2]!.id, legacy[1]!.id, legacy[0]!.id]);
    expect(all.settings).toEqual(settings);
    const raw = (await store.keyv.get(`sessions:${GUILD}`)) as { v: number; data: Record<string, unknown> };
    expect(raw.v).toBe(2);
    expect(raw.data.legacy).toBeUndefined();
    expect(raw.data.entries).toEqual([
      { id: legacy[2]!.id, startsAt: legacy[2]!.startsAt, open: true, seriesId: null, seriesIndex: null },
      { id: legacy[1]!.id, startsAt: legacy[1]!.startsAt, open: false, seriesId: null, seriesIndex: null },
      { id: legacy[0]!.id, startsAt: legacy[0]!.startsAt, open: true, seriesId: null, seriesIndex: null },
    ]);
    for (const s of legacy) expect(((await store.keyv.get(`session:${GUILD}:${s.id}`)) as { data: Session }).data).toEqual(s);
    // The scheduler reads only the sessions with work left.
    expect((await repo.open(GUILD)).sessions.map((s) => s.id)).toEqual([legacy[2]!.id, legacy[0]!.id]);

    // An RSVP after the migration is kept; a new process (no memory of the migration) does not redo it.
    await repo.update(GUILD, legacy[0]!.id, (s) => ({ ...s, cantMake: ['300000000000000009'] }));
    const again = (await open()).repo;
    expect((await again.get(GUILD, legacy[0]!.id))?.cantMake).toEqual(['300000000000000009']);
    expect(await again.migrateGuild(GUILD)).toMatchObject({ entries: raw.data.entries });
    expect((await again.get(GUILD, legacy[0]!.id))?.cantMake).toEqual(['300000000000000009']);
  });

  it('an interrupted migration (records written, index still v1) finishes on the next access with the same data', async () => {
    const { store, repo } = await open();
    const legacy = [session(1), session(2)];
    await store.keyv.set(`sessions:${GUILD}`, { v: 1, data: { sessions: legacy, series: [], settings: {} } });
    await store.keyv.set(`session:${GUILD}:${legacy[0]!.id}`, { v: 1, data: legacy[0] });
    expect((await repo.all(GUILD)).sessions).toEqual([legacy[1], legacy[0]]);
  });

  it('a v1 record that is not valid reads as corrupt, never as empty', async () => {
    const { store, repo } = await open();
    await store.keyv.set(`sessions:${GUILD}`, { v: 1, data: { sessions: 'not a list' } });
    await expect(repo.all(GUILD)).rejects.toThrow(/is invalid/);
  });

  it('an RSVP writes only its own session; the index changes only when a session is done with or moves', async () => {
    const { store, repo } = await open();
    for (let n = 0; n < 30; n++) await repo.add(GUILD, session(n));
    const writes: string[] = [];
    const set = store.keyv.set.bind(store.keyv);
    store.keyv.set = ((key: string, value: unknown) => {
      writes.push(key);
      return set(key, value);
    }) as typeof store.keyv.set;
    const target = session(5);
    await repo.update(GUILD, target.id, (s) => ({ ...s, willRead: [...s.willRead, '300000000000000002'] }));
    expect(writes).toEqual([`session:${GUILD}:${target.id}`]);
    await repo.update(GUILD, target.id, (s) => ({ ...s, status: 'cancelled', cancelledAt: T0, cancelledVia: 'command' }));
    expect(writes).toEqual([`session:${GUILD}:${target.id}`, `session:${GUILD}:${target.id}`, `sessions:${GUILD}`]);
    expect((await repo.open(GUILD)).sessions).toHaveLength(29);
  });

  it('scheduling writes the new session and the index in one store call; reading settings reads no session', async () => {
    const { store, repo } = await open();
    const settings = { reminderOffsetsMin: [60], pingRole: false, timezone: 'Europe/London' };
    await repo.mutate(GUILD, (record) => void (record.settings.everyone = settings));
    for (let n = 0; n < 10; n++) await repo.add(GUILD, session(n));
    const calls: string[][] = [];
    const set = store.keyv.set.bind(store.keyv);
    const setMany = store.keyv.setMany.bind(store.keyv);
    const getMany = store.keyv.getMany.bind(store.keyv);
    const get = store.keyv.get.bind(store.keyv);
    store.keyv.set = ((key: string, value: unknown) => (calls.push(['set', key]), set(key, value))) as typeof store.keyv.set;
    store.keyv.setMany = ((entries: { key: string; value: unknown }[]) => (calls.push(['setMany', ...entries.map((e) => e.key)]), setMany(entries))) as typeof store.keyv.setMany;
    store.keyv.get = ((key: string) => (calls.push(['get', key]), get(key))) as typeof store.keyv.get;
    store.keyv.getMany = ((keys: string[]) => (calls.push(['getMany', ...keys]), getMany(keys))) as typeof store.keyv.getMany;
    const added = session(11);
    await repo.add(GUILD, added);
    expect(calls.filter((c) => c[0] !== 'get')).toEqual([['setMany', `session:${GUILD}:${added.id}`, `sessions:${GUILD}`]]);
    calls.length = 0;
    expect(await repo.allSettings(GUILD)).toEqual({ everyone: settings });
    expect(calls.flat().filter((k) => k.startsWith('session:'))).toEqual([]);
    // What was written reads back the same from a fresh process.
    const fresh = new SessionsRepo(store.keyv, new KeyedMutex());
    expect((await fresh.all(GUILD)).sessions.map((s) => s.id)).toEqual((await repo.all(GUILD)).sessions.map((s) => s.id));
    expect((await fresh.get(GUILD, added.id))?.willRead).toEqual([ALICE]);
  });

  it('keeps a bounded index and deletes the records that fall off its end', async () => {
    const { store, repo } = await open();
    for (let n = 0; n < SESSIONS_KEPT + 2; n++) await repo.add(GUILD, session(n, { id: `k${String(n).padStart(3, '0').replace(/0/g, 'a').replace(/1/g, 'b')}` }));
    const all = await repo.all(GUILD);
    expect(all.sessions).toHaveLength(SESSIONS_KEPT);
    expect(await store.keyv.get(`session:${GUILD}:kaaa`)).toBeUndefined();
    await repo.purgeGuild(GUILD);
    expect(await store.keyv.get(`session:${GUILD}:${all.sessions[0]!.id}`)).toBeUndefined();
    expect((await repo.all(GUILD)).sessions).toEqual([]);
  });
});
