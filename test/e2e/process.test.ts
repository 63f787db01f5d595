/**
 * The real entry points as separate processes: `npm start` and `npm run deploy-commands`, against the loopback
 * Discord. Slower than the in-process tests, so it covers only what only a process can show.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackDiscord } from '../harness/loopback-discord.ts';
import { chatInput } from '../harness/interactions.ts';
import { TEST_TOKEN } from '../harness/bot.ts';
import { commands } from '../../commands/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function run(args: string[], env: Record<string, string>, until?: (out: string) => boolean) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // A clean environment: nothing from the developer's shell or .env leaks in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out; stdout:\n${out}\nstderr:\n${err}`)), 60_000);
    const check = () => {
      if (until?.(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, output: () => ({ out, err }) };
}

describe('entry points', () => {
  let discord: LoopbackDiscord;
  let dir: string;
  beforeAll(async () => {
    discord = new LoopbackDiscord();
    await discord.start();
    dir = mkdtempSync(join(tmpdir(), 'induction-proc-'));
  });
  afterAll(async () => {
    await discord.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm start without configuration prints one clear line and exits non-zero', async () => {
    const p = run(['scripts/start.mjs'], { INDUCTION_NO_DOTENV: '1' });
    const code = await p.exited;
    const { out, err } = p.output();
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^Configuration error: DISCORD_TOKEN is missing: .*\.env/);
    expect(err).not.toMatch(/at .*\.js:\d+/);
  }, 90_000);

  it('a malformed value names the variable and the fix', async () => {
    const p = run(['scripts/start.mjs'], { INDUCTION_NO_DOTENV: '1', DISCORD_TOKEN: TEST_TOKEN, DISCORD_APPLICATION_ID: 'abc' });
    expect(await p.exited).toBe(1);
    expect(p.output().err).toMatch(/^Configuration error: DISCORD_APPLICATION_ID must be a Discord id/);
  }, 90_000);

  it('npm start logs in with only the Guilds intent, answers /help and shuts down cleanly on SIGTERM', async () => {
    const p = run(
      ['scripts/start.mjs'],
      {
        INDUCTION_NO_DOTENV: '1',
        DISCORD_TOKEN: TEST_TOKEN,
        DISCORD_APPLICATION_ID: '900000000000000001',
        DISCORD_API_URL: discord.apiBase,
        STORE_URL: `sqlite://${join(dir, 'start.sqlite')}`,
        LOG_LEVEL: 'info',
      },
      (out) => out.includes('"logged in"'),
    );
    await p.ready;
    expect(discord.identifies.at(-1).intents).toBe(1);
    const payload = chatInput('help');
    discord.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
    const reply = await discord.waitFor((r) => r.kind === 'callback' && r.path.includes(payload.id));
    expect(JSON.stringify(reply.body.data.embeds[0])).toContain('/help');
    expect(reply.violations).toEqual([]);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const { out, err } = p.output();
    expect(out + err).not.toContain(TEST_TOKEN);
    expect(out).toContain('"stopped"');
  }, 90_000);

  it('deploy-commands sends one valid bulk PUT to the guild and prints what it registered', async () => {
    const before = discord.requests.length;
    const p = run(['--import', 'tsx', 'src/deploy-commands.ts'], {
      INDUCTION_NO_DOTENV: '1',
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_APPLICATION_ID: '900000000000000001',
      DISCORD_GUILD_ID: '100000000000000001',
      DISCORD_API_URL: discord.apiBase,
    });
    expect(await p.exited).toBe(0);
    const puts = discord.requests.slice(before).filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.path).toBe('/applications/900000000000000001/guilds/100000000000000001/commands');
    expect(puts[0]!.headers.authorization).toBe(`Bot ${TEST_TOKEN}`);
    expect(puts[0]!.violations).toEqual([]);
    expect(puts[0]!.body.map((c: any) => c.name)).toEqual(commands.map((c) => c.data.name));
    expect(p.output().out).toMatch(/Registered \d+ commands to guild 100000000000000001: \/help/);
  }, 90_000);
});
