/**
 * The start-up migration survives SIGKILL at any point: a child process converts a guild stored in the previous
 * layout and kills itself after its Nth write; the next start finishes the conversion and nothing is lost.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { expectedFixture, legacyFixture } from './claims-fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GUILD = '100000000000000001';
const dir = mkdtempSync(join(tmpdir(), 'induction-migrate-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (url: string, killAfter?: number) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'test/store/migrate-child.ts', url], {
    cwd: ROOT,
    env: { ...process.env, INDUCTION_MIGRATION_KILL_AFTER_WRITES: killAfter === undefined ? '' : String(killAfter) },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('claims migration under SIGKILL', () => {
  // The conversion of the fixture makes 53 writes: 5 log chunks (270 items, 64 a chunk), 40 problem and 3 member
  // indexes, the marked open record, the old record, 2 old archive chunks, and the cleared mark. Kill in each phase.
  it.each([1, 3, 5, 6, 30, 48, 49, 50, 51, 52, 53])('loses nothing when killed after write %i, and the next start finishes', async (killAfter) => {
    const url = `sqlite://${join(dir, `kill-${killAfter}.sqlite`)}`;
    const seed = await openStore(url);
    for (const [key, value] of legacyFixture(GUILD)) await seed.keyv.set(key, value);
    await seed.close();

    const killed = start(url, killAfter);
    expect(killed.signal).toBe('SIGKILL');

    const next = start(url);
    expect(next.status, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toEqual({ ran: ['claims-v2', 'departed-guilds-v2'] });

    const store = await openStore(url);
    try {
      const claims = new ClaimsRepo(store.keyv, store.locks);
      claims.legacyPossible = false;
      expect(await claims.guild(GUILD)).toEqual(expectedFixture());
      for (const [key] of legacyFixture(GUILD)) expect(await store.keyv.get(key)).toBeUndefined();
      expect((await claims.open.get(GUILD))!.legacyArchive).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('makes exactly the 53 writes counted above, so the kill points cover every phase', async () => {
    // Killed after write 53 above; with the switch at 54 it finishes: there are exactly 53.
    const url = `sqlite://${join(dir, 'count.sqlite')}`;
    const seed = await openStore(url);
    for (const [key, value] of legacyFixture(GUILD)) await seed.keyv.set(key, value);
    await seed.close();
    const run = start(url, 54);
    expect(run.signal).toBeNull();
    expect(run.status, run.stderr).toBe(0);
  });
});
