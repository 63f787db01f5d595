/**
 * `npm run doctor`: checks the set-up before anyone notices a problem, one line per check with the fix:
 * the .env settings (parsed as `npm start` parses them), the token against Discord's REST API (a bot token, of
 * the configured application), the registered commands against the code, the store (opens, writable, and for
 * SQLite: WAL on a local disk), and the invite URL with exactly the permissions the loaded features need.
 * Any failed check makes the exit code 1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { REST } from '@discordjs/rest';
import { Routes, type APIApplication, type APIUser } from 'discord-api-types/v10';
import { ConfigError, parseConfig, type Config } from '../config.ts';
import type { Command } from '../discord/command.ts';
import { enabledFeatures, inviteUrl, permissionsFor } from '../discord/required-permissions.ts';
import { flagsOf, permissionName } from '../domain/permissions.ts';
import { openStore, sqlitePath } from '../store/open-store.ts';
import { diffCommands, isInSync } from './command-diff.ts';

export type CheckStatus = 'ok' | 'fail' | 'skip' | 'info';

export interface CheckLine {
  status: CheckStatus;
  name: string;
  text: string;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', skip: '–', info: 'ℹ' };
export const formatLine = (l: CheckLine): string => `${MARK[l.status]} ${l.name}: ${l.text}`;

const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;
const messageOf = (error: unknown): string => String((error as Error)?.message ?? error).slice(0, 200);

/** Network file systems where SQLite's WAL (shared memory) and locking are unsafe. */
const NETWORK_FS = /^(nfs4?|cifs|smb2?|smb3|smbfs|9p|afs|ceph|glusterfs|fuse\.sshfs|fuse\.rclone|fuse\.s3fs|fuse\.gcsfuse|davfs|virtiofs)$/;

/** The file system type of the mount holding `path`, from /proc/mounts (Linux); null elsewhere. */
export function fileSystemOf(path: string, mounts = existsSync('/proc/mounts') ? readFileSync('/proc/mounts', 'utf8') : null): string | null {
  if (mounts === null) return null;
  let best: { point: string; type: string } | null = null;
  for (const line of mounts.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const mount = point.replace(/\\040/g, ' ');
    if ((path === mount || path.startsWith(mount.endsWith('/') ? mount : `${mount}/`)) && (!best || mount.length > best.point.length)) best = { point: mount, type };
  }
  return best?.type ?? null;
}

async function checkDiscord(config: Config, commands: readonly Command<any>[], lines: CheckLine[]): Promise<void> {
  const api = config.DISCORD_API_URL ?? 'https://discord.com/api';
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}), retries: 0, timeout: 10_000 }).setToken(config.DISCORD_TOKEN);
  let me: APIUser;
  try {
    me = (await rest.get(Routes.user('@me'))) as APIUser;
  } catch (error) {
    const status = statusOf(error);
    lines.push({
      status: 'fail',
      name: 'Token',
      text:
        status === 401
          ? 'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the developer portal (Bot → Reset Token) into .env'
          : `could not reach Discord at ${api} (${messageOf(error)}): check the network${config.DISCORD_API_URL ? ' and DISCORD_API_URL' : ''}`,
    });
    lines.push({ status: 'skip', name: 'Commands', text: 'skipped until the token works' });
    return;
  }
  if (!me.bot) {
    lines.push({ status: 'fail', name: 'Token', text: `DISCORD_TOKEN belongs to the user account ${me.username}, not a bot: copy the token from the developer portal (Bot → Reset Token)` });
    lines.push({ status: 'skip', name: 'Commands', text: 'skipped until the token works' });
    return;
  }
  let app: APIApplication;
  try {
    app = (await rest.get(Routes.currentApplication())) as APIApplication;
  } catch (error) {
    lines.push({ status: 'fail', name: 'Token', text: `GET /applications/@me failed (${messageOf(error)}): check that DISCORD_TOKEN is the application's bot token` });
    lines.push({ status: 'skip', name: 'Commands', text: 'skipped until the token works' });
    return;
  }
  if (app.id !== config.DISCORD_APPLICATION_ID) {
    lines.push({
      status: 'fail',
      name: 'Application',
      text: `DISCORD_APPLICATION_ID is ${config.DISCORD_APPLICATION_ID}, but the token belongs to application ${app.id} (${app.name}): set DISCORD_APPLICATION_ID=${app.id} in .env`,
    });
    lines.push({ status: 'skip', name: 'Commands', text: 'skipped until DISCORD_APPLICATION_ID matches the token' });
    return;
  }
  lines.push({ status: 'ok', name: 'Token', text: `a bot token for ${me.username} (application ${app.name}, ${app.id})` });

  const guild = config.DISCORD_GUILD_ID;
  const scope = guild ? `in server ${guild}` : 'globally';
  const where = guild ? `in server ${guild}` : 'global commands';
  try {
    const registered = (await rest.get(guild ? Routes.applicationGuildCommands(app.id, guild) : Routes.applicationCommands(app.id))) as Record<string, unknown>[];
    const diff = diffCommands(
      commands.map((c) => c.data),
      registered,
    );
    if (isInSync(diff)) {
      lines.push({ status: 'ok', name: 'Commands', text: `the ${registered.length} commands registered ${scope} match the code` });
    } else {
      const parts = [
        ...(diff.missing.length ? [`not registered: ${diff.missing.map((n) => `/${n}`).join(', ')}`] : []),
        ...diff.changed.map((c) => `/${c.name} differs (${c.what.join(', ')})`),
        ...(diff.extra.length ? [`no longer in the code: ${diff.extra.map((n) => `/${n}`).join(', ')}`] : []),
      ];
      lines.push({ status: 'fail', name: 'Commands', text: `${parts.join('; ')} (${where}): run npm run deploy-commands` });
    }
  } catch (error) {
    const status = statusOf(error);
    lines.push({
      status: 'fail',
      name: 'Commands',
      text:
        guild && (status === 403 || status === 404)
          ? `cannot read the commands of server ${guild} (${status}): invite the bot there with the URL below, or fix DISCORD_GUILD_ID`
          : `could not read the registered commands (${messageOf(error)})`,
    });
  }
}

async function checkStore(config: Config, cwd: string, lines: CheckLine[]): Promise<void> {
  let store;
  try {
    store = await openStore(config.STORE_URL, { cwd, sharedFile: true });
  } catch (error) {
    lines.push({ status: 'fail', name: 'Store', text: `${messageOf(error)}: check STORE_URL` });
    return;
  }
  try {
    const key = `doctor:probe:${randomBytes(6).toString('hex')}`;
    try {
      await store.keyv.set(key, { at: Date.now() });
      const back = await store.keyv.get(key);
      await store.keyv.delete(key);
      if (!back) throw new Error('a value written could not be read back');
    } catch (error) {
      lines.push({ status: 'fail', name: 'Store', text: `${store.description} opens but is not writable (${messageOf(error)}): check the file's permissions or the server's access rights` });
      return;
    }
    if (store.backend !== 'sqlite') {
      lines.push({ status: 'ok', name: 'Store', text: `${store.description} opens and is writable` });
      return;
    }
    const file = sqlitePath(config.STORE_URL, cwd);
    const adapter = store.keyv.store as { query(sql: string): Promise<{ journal_mode?: string }[]> };
    const mode = (await adapter.query('PRAGMA journal_mode'))[0]?.journal_mode ?? 'unknown';
    const fs = fileSystemOf(dirname(file));
    if (mode.toLowerCase() !== 'wal') {
      lines.push({ status: 'fail', name: 'Store', text: `${file} runs in ${mode} journal mode, not WAL: put it on a local disk that supports WAL (not a network share)` });
    } else if (fs && NETWORK_FS.test(fs)) {
      lines.push({ status: 'fail', name: 'Store', text: `${file} is on a network file system (${fs}), where SQLite's locking and WAL are unsafe: move it to a local disk (or use redis:// or postgres://)` });
    } else {
      lines.push({ status: 'ok', name: 'Store', text: `${file} opens, is writable, uses WAL${fs ? ` and is on a local disk (${fs})` : ''}` });
    }
  } finally {
    await store.close().catch(() => undefined);
  }
}

function inviteLines(config: Config, commands: readonly Command<any>[]): CheckLine[] {
  const features = enabledFeatures(commands);
  const permissions = permissionsFor(features);
  const lines: CheckLine[] = [
    { status: 'info', name: 'Invite', text: inviteUrl(config.DISCORD_APPLICATION_ID, permissions, config.DISCORD_GUILD_ID) },
    {
      status: 'info',
      name: 'Permissions',
      text: `${permissions} = ${flagsOf(permissions).map(permissionName).join(', ')} (for ${features.map((f) => f.label).join(', ')})`,
    },
  ];
  const optional = features.filter((f) => f.onlyWhen);
  if (optional.length) {
    const without = permissionsFor(features.filter((f) => !f.onlyWhen));
    lines.push({ status: 'info', name: 'Optional', text: `${optional.map((f) => `${f.guild.map(permissionName).join(', ')} is only used when ${f.onlyWhen}`).join('; ')}; without it the integer is ${without}` });
  }
  return lines;
}

export interface DoctorResult {
  lines: CheckLine[];
  ok: boolean;
}

/** Runs every check against an environment (already merged with .env by the caller, as `npm start` does). */
export async function runSetupDoctor(options: { env: NodeJS.ProcessEnv; commands: readonly Command<any>[]; cwd?: string }): Promise<DoctorResult> {
  const lines: CheckLine[] = [];
  let config: Config;
  try {
    config = parseConfig(options.env);
    lines.push({ status: 'ok', name: '.env', text: `settings are valid (${config.INTERACTIONS_MODE} mode, commands ${config.DISCORD_GUILD_ID ? `in server ${config.DISCORD_GUILD_ID}` : 'global'})` });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    lines.push({ status: 'fail', name: '.env', text: error.message.replace(/^Configuration error: /, '') });
    return { lines, ok: false };
  }
  await checkDiscord(config, options.commands, lines);
  await checkStore(config, options.cwd ?? process.cwd(), lines);
  lines.push(...inviteLines(config, options.commands));
  return { lines, ok: !lines.some((l) => l.status === 'fail') };
}
