/** `npm run doctor` against the loopback Discord: in-process for each check, and once as the real CLI. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseConfig } from '../../src/config.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { fileSystemOf, formatLine, runSetupDoctor } from '../../src/doctor/setup-doctor.ts';
import { diffCommands } from '../../src/doctor/command-diff.ts';
import { TEST_TOKEN } from '../harness/bot.ts';
import { childBotEnv } from '../harness/child-bot.ts';
import { APPLICATION_ID, LoopbackDiscord } from '../harness/loopback-discord.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GUILD = '100000000000000001';

describe('npm run doctor', () => {
  let discord: LoopbackDiscord;
  let dir: string;
  let env: Record<string, string>;
  const run = async (extra: Record<string, string | undefined> = {}) => {
    const result = await runSetupDoctor({ env: { ...env, ...extra }, commands, cwd: dir });
    return { ...result, text: result.lines.map(formatLine), failures: result.lines.filter((l) => l.status === 'fail').map(formatLine) };
  };

  beforeAll(async () => {
    discord = new LoopbackDiscord();
    await discord.start();
    dir = mkdtempSync(join(tmpdir(), 'induction-doctor-'));
    env = {
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_GUILD_ID: GUILD,
      DISCORD_API_URL: discord.apiBase,
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    };
  });
  afterAll(async () => {
    await discord?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(discord.violations()).toEqual([]);
  });

  it('says to deploy the commands before they are registered, and exits non-zero', async () => {
    const { ok, failures } = await run();
    expect(ok).toBe(false);
    expect(failures).toEqual([`✗ Commands: not registered: ${commands.map((c) => `/${c.data.name}`).join(', ')} (in server ${GUILD}): run npm run deploy-commands`]);
  });

  it('passes every check once the commands are deployed, and prints the invite URL with the permission integer', async () => {
    await deployCommands(parseConfig(env), commands);
    const { ok, text } = await run();
    expect(text.filter((l) => !l.startsWith('✓') && !l.startsWith('ℹ'))).toEqual([]);
    expect(ok).toBe(true);
    expect(text[0]).toBe(`✓ .env: settings are valid (gateway mode, commands in server ${GUILD})`);
    expect(text).toContain(`✓ Token: a bot token for Induction (application Induction, ${APPLICATION_ID})`);
    expect(text).toContain(`✓ Commands: the ${commands.length} commands registered in server ${GUILD} match the code`);
    expect(text.find((l) => l.startsWith('✓ Store:'))).toMatch(/store\.sqlite opens, is writable, uses WAL/);
    expect(text).toContain(`ℹ Invite: https://discord.com/oauth2/authorize?client_id=${APPLICATION_ID}&scope=bot+applications.commands&permissions=318096133120&guild_id=${GUILD}`);
    expect(text).toContain('ℹ Permissions: 318096133120 = View Channel, Send Messages, Embed Links, Attach Files, Read Message History, Manage Roles, Manage Events, Create Public Threads, Send Messages in Threads (for weekly digests, study-group roles, reading sessions)');
  });

  it('names the command whose registration differs from the code', async () => {
    const stale = commands.map((c) => (c.data.name === 'admin' ? { ...c.data, options: c.data.options!.slice(0, 1), default_member_permissions: null } : c.data));
    discord.permissions.validToken = undefined;
    await deployCommands(parseConfig(env), stale.map((data) => ({ data })) as never);
    const { failures } = await run();
    expect(failures).toEqual([`✗ Commands: /admin differs (default_member_permissions, options (+doctor)) (in server ${GUILD}): run npm run deploy-commands`]);
    await deployCommands(parseConfig(env), commands);
  });

  it('reports a rejected token in one line', async () => {
    discord.permissions.validToken = 'another-token';
    try {
      const { failures } = await run();
      expect(failures).toEqual(['✗ Token: Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the developer portal (Bot → Reset Token) into .env']);
    } finally {
      discord.permissions.validToken = undefined;
    }
  });

  it('reports a bad setting the way npm start does, and stops there', async () => {
    const { ok, text } = await run({ DISCORD_APPLICATION_ID: 'abc' });
    expect(ok).toBe(false);
    expect(text).toEqual(['✗ .env: DISCORD_APPLICATION_ID must be a Discord id (17–20 digits) from the developer portal (General Information). See .env.example.']);
  });

  it('refuses a store it cannot open', async () => {
    const { failures } = await run({ STORE_URL: 'redis://127.0.0.1:1' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^✗ Store: could not open the redis store at redis:\/\/127\.0\.0\.1:1.*: check STORE_URL$/);
  }, 30_000);

  it('knows a network file system from a local one', () => {
    const mounts = ['/dev/sda1 / ext4 rw 0 0', 'server:/export /srv/share nfs4 rw 0 0', 'tmpfs /srv/share/tmp tmpfs rw 0 0'].join('\n');
    expect(fileSystemOf('/srv/share/bot/state', mounts)).toBe('nfs4');
    expect(fileSystemOf('/srv/share/tmp/x', mounts)).toBe('tmpfs');
    expect(fileSystemOf('/srv/shared', mounts)).toBe('ext4');
  });

  it('ignores what Discord fills in by default when comparing commands', () => {
    const code = [{ name: 'x', description: 'd', options: [{ type: 3, name: 'q', description: 'q' }] }];
    const live = [{ name: 'x', description: 'd', type: 1, default_member_permissions: null, id: '1', version: '1', options: [{ type: 3, name: 'q', description: 'q', required: false }] }];
    expect(diffCommands(code, live)).toEqual({ missing: [], extra: [], changed: [] });
    expect(diffCommands(code, [{ ...live[0], options: [{ type: 3, name: 'q', description: 'q', required: true }] }]).changed).toEqual([{ name: 'x', what: ['options'] }]);
  });

  it('as the real CLI, exits 1 with one clear line when the application id is wrong', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/doctor/cli.ts'], {
      cwd: ROOT,
      env: childBotEnv({ ...env, DISCORD_APPLICATION_ID: '900000000000000099' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const failures = out.split('\n').filter((l) => l.startsWith('✗'));
    expect(code, out).toBe(1);
    expect(failures).toEqual([
      `✗ Application: DISCORD_APPLICATION_ID is 900000000000000099, but the token belongs to application ${APPLICATION_ID} (Induction): set DISCORD_APPLICATION_ID=${APPLICATION_ID} in .env`,
    ]);
    expect(out).not.toContain(TEST_TOKEN);
    expect(out).toContain('Fix the ✗ lines above, then run npm run doctor again.');
  }, 60_000);
});
