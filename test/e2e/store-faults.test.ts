/**
 * Store faults through the real bot: while the store is unavailable, commands answer a clear ephemeral
 * "nothing was changed" within Discord's 3 seconds, nothing is overwritten, and the bot recovers afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { chatInput, str, sub } from '../harness/interactions.ts';
import { startTestBot } from '../harness/bot.ts';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/discord/router.ts';

const GUILD = '100000000000000001';
const mark = (resource: string, status = 'done') => chatInput('progress', [sub('mark', [str('resource', resource), str('status', status)])]);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('store faults', () => {
  it('SQLite locked by another process: "nothing was changed", then recovery', async () => {
    const t = await startTestBot();
    try {
      expect((await t.send(mark('arena-1-1-transformer-from-scratch'))).body.data.content).toMatch(/^✅ Marked/);
      const file = t.storeUrl.replace('sqlite://', '');
      const locker = new sqlite3.Database(file);
      const exec = (sql: string) => new Promise<void>((res, rej) => locker.exec(sql, (e) => (e ? rej(e) : res())));
      await exec("BEGIN EXCLUSIVE; INSERT INTO keyv(key, value) VALUES ('lock', '1');");
      try {
        const started = Date.now();
        const reply = await t.send(mark('arena-1-2-intro-mech-interp'));
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(reply.body.data).toMatchObject({ content: STORE_UNAVAILABLE_MESSAGE, flags: 64 });
        // Commands that need no storage keep working.
        expect((await t.send(chatInput('glossary', [sub('lookup', [str('term', 'DLA')])]))).body.data.embeds[0].title).toBe('Direct logit attribution');
      } finally {
        await exec('ROLLBACK');
        await new Promise<void>((res) => locker.close(() => res()));
      }
      expect((await t.send(mark('arena-1-2-intro-mech-interp'))).body.data.content).toMatch(/^✅ Marked/);
      const progress = await t.bot.services.repos.progress.get(GUILD, '300000000000000011');
      expect(Object.keys(progress.entries).sort()).toEqual(['arena-1-1-transformer-from-scratch', 'arena-1-2-intro-mech-interp']);
      expect(t.discord.violations()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('/problem claim while SQLite is locked: no "You claimed", nothing claimed, then the claim works', async () => {
    const t = await startTestBot();
    const claim = (id: string) => chatInput('problem', [sub('claim', [str('id', id), str('intent', 'working')])]);
    try {
      // The guild's claims are read (and cached) before the lock, so the claim is decided and fails only on writing.
      expect((await t.send(claim('1.10'))).body.data.content).toMatch(/^You claimed \*\*1\.10\*\*/);
      const file = t.storeUrl.replace('sqlite://', '');
      const locker = new sqlite3.Database(file);
      const exec = (sql: string) => new Promise<void>((res, rej) => locker.exec(sql, (e) => (e ? rej(e) : res())));
      await exec("BEGIN EXCLUSIVE; INSERT INTO keyv(key, value) VALUES ('lock', '1');");
      try {
        const reply = await t.send(claim('2.1'));
        expect(reply.body.data).toMatchObject({ content: STORE_UNAVAILABLE_MESSAGE, flags: 64 });
      } finally {
        await exec('ROLLBACK');
        await new Promise<void>((res) => locker.close(() => res()));
      }
      const open = await t.bot.services.repos.claims.openClaims(GUILD);
      expect(open.claims.map((c) => c.problemId)).toEqual(['1.10']);
      const retry = await t.send(claim('2.1'));
      expect(retry.body.data.content).toMatch(/^You claimed \*\*2\.1\*\*/);
      expect(retry.body.data.embeds[0].fields.some((f: { value: string }) => f.value.includes('<@300000000000000011>'))).toBe(true);
      expect(t.discord.violations()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it.runIf(existsSync('/usr/bin/redis-server'))('Redis stopped: "nothing was changed", then recovery when it returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'induction-redis-'));
    dirs.push(dir);
    const port = await freePort();
    let redis: ChildProcess | undefined;
    const startRedis = async () => {
      redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
      for (let i = 0; i < 50; i++) {
        const up = await new Promise<boolean>((resolve) => {
          const socket = createServer().listen(port, '127.0.0.1');
          socket.on('listening', () => socket.close(() => resolve(false)));
          socket.on('error', () => resolve(true));
        });
        if (up) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('redis-server did not start');
    };
    const stopRedis = async () => {
      const exited = new Promise((resolve) => redis!.once('exit', resolve));
      redis!.kill('SIGTERM');
      await exited;
    };
    await startRedis();
    const t = await startTestBot({ storeUrl: `redis://127.0.0.1:${port}` });
    try {
      expect((await t.send(mark('arena-1-1-transformer-from-scratch'))).body.data.content).toMatch(/^✅ Marked/);
      await stopRedis();
      const started = Date.now();
      const reply = await t.send(mark('arena-1-2-intro-mech-interp'));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(reply.body.data).toMatchObject({ content: STORE_UNAVAILABLE_MESSAGE, flags: 64 });
      await startRedis();
      let recovered = '';
      for (let i = 0; i < 40 && !recovered.startsWith('✅'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        recovered = (await t.send(mark('arena-1-2-intro-mech-interp'))).body.data.content;
      }
      expect(recovered).toMatch(/^✅ Marked/);
      const progress = await t.bot.services.repos.progress.get(GUILD, '300000000000000011');
      expect(Object.keys(progress.entries).sort()).toEqual(['arena-1-1-transformer-from-scratch', 'arena-1-2-intro-mech-interp']);
      expect(t.discord.violations()).toEqual([]);
    } finally {
      await t.close().catch(() => undefined);
      redis?.kill('SIGKILL');
    }
  }, 60_000);
});
