/**
 * Claims on every backend (SQLite always; Redis and PostgreSQL when REDIS_URL / POSTGRES_URL are set): exclusivity
 * and the per-member cap stay exact under parallel claims in the bounded layout, and a guild stored in the previous
 * one-record layout is converted at start-up with nothing lost.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ClaimRequest } from '../../src/domain/claims.ts';
import { runMigrations, storeMigrations } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { DepartedGuildsRepo } from '../../src/store/repos/departed-guilds.ts';
import { DEFAULT_GUILD_SETTINGS } from '../../src/store/repos/guild-settings.ts';
import { legacyFixture, expectedFixture } from './claims-fixture.ts';
import { storeBackends } from '../harness/store-backends.ts';

const backends = storeBackends('claims-backends');

const GUILD = '100000000000000001';
const T0 = Date.UTC(2026, 2, 2, 12);
const user = (i: number) => String(300000000000000100n + BigInt(i));
const problem = (i: number) => ({ set: 'concrete-open-problems', problemId: `1.${10 + i}` });
const request = (userId: string, p = problem(0)): ClaimRequest => ({ problem: p, userId, intent: 'working', note: null, link: null, onExisting: 'update' });

describe.each(backends)('claims on $name', ({ url }) => {
  const namespace = `t${randomUUID().slice(0, 8)}`;
  const open = async () => {
    const store = await openStore(url, { namespace, busyTimeoutMs: 2_000 });
    return { store, claims: new ClaimsRepo(store.keyv, store.locks), departedGuilds: new DepartedGuildsRepo(store.keyv, store.locks) };
  };

  it('gives exactly one winner of 40 parallel claims on one problem in exclusive mode, over closed history', async () => {
    const { store, claims } = await open();
    try {
      const guild = `${GUILD}1`;
      // Some closed history first, so the decision is made on the open record with a log behind it.
      for (let i = 0; i < 5; i++) {
        await claims.claim(guild, request(user(100 + i)), DEFAULT_GUILD_SETTINGS, T0);
        await claims.unclaim(guild, problem(0), user(100 + i), T0 + 1);
      }
      const exclusive = { ...DEFAULT_GUILD_SETTINGS, claimsExclusive: true };
      const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => claims.claim(guild, request(user(i)), exclusive, T0 + 2)));
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'taken')).toHaveLength(39);
      const state = await claims.guild(guild);
      expect(state.claims.filter((c) => c.status === 'active')).toHaveLength(1);
      expect(new Set(state.claims.map((c) => c.id)).size).toBe(state.claims.length);
    } finally {
      await store.close();
    }
  });

  it('holds the per-member cap exactly under 30 parallel claims by one member', async () => {
    const { store, claims } = await open();
    try {
      const guild = `${GUILD}2`;
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => claims.claim(guild, request(user(1), problem(i)), DEFAULT_GUILD_SETTINGS, T0)));
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(DEFAULT_GUILD_SETTINGS.claimCap);
      expect(outcomes.filter((o) => o.kind === 'cap')).toHaveLength(30 - DEFAULT_GUILD_SETTINGS.claimCap);
      expect((await claims.forMember(guild, user(1))).claims.filter((c) => c.userId === user(1))).toHaveLength(DEFAULT_GUILD_SETTINGS.claimCap);
    } finally {
      await store.close();
    }
  });

  it('converts a guild in the previous layout at start-up, once, with every claim and event', async () => {
    const guild = `${GUILD}3`;
    const first = await open();
    try {
      for (const [key, value] of legacyFixture(guild)) await first.store.keyv.set(key, value);
      const ran = await runMigrations(first.store.keyv, first.store.locks, storeMigrations(first.store.keyv, first));
      expect(ran).toEqual(['claims-v2', 'departed-guilds-v2']);
      expect(first.claims.legacyPossible).toBe(false);
      expect(await first.claims.guild(guild)).toEqual(expectedFixture());
      for (const [key] of legacyFixture(guild)) expect(await first.store.keyv.get(key)).toBeUndefined();
    } finally {
      await first.store.close();
    }
    const second = await open();
    try {
      expect(await runMigrations(second.store.keyv, second.store.locks, storeMigrations(second.store.keyv, second))).toEqual([]);
      expect(await second.claims.guild(guild)).toEqual(expectedFixture());
      // The converted guild works: the cap counts its open claims, and a write-up link updates the finished claim.
      const outcome = await second.claims.done(guild, { set: 'concrete-open-problems', problemId: '1.10' }, user(0), 'https://example.org/new', T0 + 10_000);
      expect(outcome.kind).toBe('link-updated');
    } finally {
      await second.store.close();
    }
  });
});
