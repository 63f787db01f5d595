/**
 * The open claims in parts by member (claims-records.ts), on every backend (SQLite always; Redis and PostgreSQL
 * when REDIS_URL / POSTGRES_URL are set): a claim rewrites its member's part and the head only; a head written
 * before parts existed (claims inline) reads back whole and moves to the parts at the next action; a release
 * empties the part; a fresh process reads the same open claims.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClaimRequest } from '../../src/domain/claims.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { OPEN_PARTS, openPartOf } from '../../src/store/repos/claims-records.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';
import { RecordCache } from '../../src/store/record-cache.ts';
import { storeBackends } from '../harness/store-backends.ts';

const backends = storeBackends('open-parts');

const GUILD = '100000000000000001';
const T0 = Date.UTC(2026, 2, 2, 12);
const user = (i: number) => String(300000000000000100n + BigInt(i));
const problem = (i: number) => ({ set: 'concrete-open-problems', problemId: `1.${10 + i}` });
const request = (userId: string, i: number): ClaimRequest => ({ problem: problem(i), userId, intent: 'working', note: null, link: null, onExisting: 'update' });

describe.each(backends)('open claims in parts on $name', ({ url }) => {
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const open = async () => {
    const store = await openStore(url, { namespace });
    const repo = new ClaimsRepo(store.keyv, store.locks, store.exclusive ? new RecordCache() : undefined);
    repo.legacyPossible = false;
    return { store, repo };
  };
  // What another process sees: a repository without this one's record cache (one store: Postgres pools are shared).
  const reopen = (store: Awaited<ReturnType<typeof open>>['store']) => {
    const repo = new ClaimsRepo(store.keyv, store.locks);
    repo.legacyPossible = false;
    return { store, repo };
  };

  it('a claim rewrites its member part and the head, and nothing else of the open claims', async () => {
    const { store, repo } = await open();
    try {
      for (let i = 0; i < 40; i++) await repo.claim(GUILD, request(user(i), i), DEFAULT_GUILD_SETTINGS, T0 + i);
      const keyv = store.keyv as unknown as { setMany: (entries: { key: string }[]) => Promise<unknown> };
      const setMany = keyv.setMany.bind(keyv);
      const written: string[] = [];
      keyv.setMany = (entries) => {
        written.push(...entries.map((e) => e.key));
        return setMany(entries);
      };
      const newcomer = user(99);
      await repo.claim(GUILD, request(newcomer, 41), DEFAULT_GUILD_SETTINGS, T0 + 100);
      keyv.setMany = setMany;
      const openKeys = written.filter((k) => k.includes('claims-open'));
      expect(openKeys.sort()).toEqual([`claims-open-part:${GUILD}:${openPartOf(newcomer)}`, `claims-open:${GUILD}`].sort());
      const all = (await repo.openClaims(GUILD)).claims;
      expect(all).toHaveLength(41);
      // In claim order, as the one-record layout kept them.
      expect(all.map((c) => c.id)).toEqual(Array.from({ length: 41 }, (_, i) => `c${i + 1}`));

      // A fresh process (no cache) reads the same open claims; a release empties the member's part.
      const again = reopen(store);
      {
        expect((await again.repo.openClaims(GUILD)).claims).toEqual(all);
        await again.repo.unclaim(GUILD, problem(41), newcomer, T0 + 200);
        const part = await again.repo.openParts.get(GUILD, String(openPartOf(newcomer)));
        expect(part!.claims.some((c) => c.userId === newcomer)).toBe(false);
        expect((await again.repo.openClaims(GUILD)).claims).toHaveLength(40);
      }
    } finally {
      await store.close();
    }
  });

  it('reads a head that still holds its open claims, and moves them to the parts at the next action', async () => {
    const { store, repo } = await open();
    try {
      const guild = `${GUILD}7`;
      for (let i = 0; i < 6; i++) await repo.claim(guild, request(user(i), i), DEFAULT_GUILD_SETTINGS, T0 + i);
      const merged = (await repo.openClaims(guild)).claims;
      // Rewrite the guild as the previous release stored it: the claims in the head, no parts.
      const head = (await repo.open.get(guild))!;
      for (let k = 0; k < OPEN_PARTS; k++) await repo.openParts.delete(guild, String(k));
      const { parts: _, ...old } = head;
      await repo.open.put([guild], { ...old, claims: merged });
      const fresh = reopen(store);
      {
        expect((await fresh.repo.openClaims(guild)).claims).toEqual(merged);
        // The cap and exclusivity still see every claim: a second claim on a held problem in exclusive mode is refused.
        const taken = await fresh.repo.claim(guild, request(user(50), 0), { ...DEFAULT_GUILD_SETTINGS, claimsExclusive: true }, T0 + 10);
        expect(taken.kind).toBe('taken');
        const claimed = await fresh.repo.claim(guild, request(user(50), 9), DEFAULT_GUILD_SETTINGS, T0 + 11);
        expect(claimed.kind).toBe('claimed');
        const after = (await fresh.repo.open.get(guild))!;
        expect(after.claims).toEqual([]);
        expect(after.parts).toBe(OPEN_PARTS);
        expect((await fresh.repo.openClaims(guild)).claims.map((c) => c.id)).toEqual([...merged.map((c) => c.id), 'c7']);
        await fresh.repo.purge(guild);
        for (let k = 0; k < OPEN_PARTS; k++) expect(await fresh.repo.openParts.get(guild, String(k))).toBeUndefined();
        expect(await fresh.repo.open.get(guild)).toBeUndefined();
      }
    } finally {
      await store.close();
    }
  });
});
