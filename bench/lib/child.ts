/** Spawns the real bot entry point as a child process against a loopback Discord, as test/harness/child-bot.ts does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { childBotEnv } from '../../test/harness/child-bot.ts';
import { DIST_ENTRY, ROOT } from './build.ts';

export type Flavour = 'compiled' | 'tsx';

export interface SpawnedBot {
  child: ChildProcess;
  spawnedAt: number;
  spawnedAtEpoch: number;
  /** performance.now() when the "logged in" line arrived on stdout. */
  ready: Promise<number>;
  exited: Promise<number | null>;
  output(): string;
  stop(): Promise<number | null>;
}

const ASSIGNMENT = /^[A-Z_][A-Z0-9_]*=/;
const settingsOf = (words: string[]): Record<string, string> =>
  Object.fromEntries(words.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));

/** `npm start` as package.json has it: leading NAME=value settings, then `node`, its flags and the script. */
function startScript(): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  const leading = words.findIndex((w) => !ASSIGNMENT.test(w));
  const env = settingsOf(words.splice(0, leading < 0 ? words.length : leading));
  return { env, flags: words[0] === 'node' ? words.slice(1).filter((w) => w.startsWith('--')) : [] };
}

/** The node flags `npm start` runs the bot with (from package.json), so the figures describe what ships. */
export function startScriptNodeFlags(): string[] {
  return startScript().flags;
}

/**
 * The environment settings `npm start` sets (MALLOC_ARENA_MAX, say), plus BENCH_BOT_ENV ("NAME=value NAME=value")
 * to try others, e.g. BENCH_BOT_ENV="MALLOC_TRIM_THRESHOLD_=131072" (figures say so).
 */
export function startScriptEnv(): Record<string, string> {
  const trial = settingsOf((process.env.BENCH_BOT_ENV ?? '').split(' ').filter((w) => ASSIGNMENT.test(w)));
  return { ...startScript().env, ...trial };
}

export function botArgs(flavour: Flavour, extra: string[] = []): string[] {
  // `npm run bench -- --profile` sets BENCH_PROFILE_DIR: the bot processes then write CPU profiles there too.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // BENCH_BOT_NODE_ARGS tries the bot with extra node flags, e.g. "--max-semi-space-size=2" (figures say so).
  const trial = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...startScriptNodeFlags(), ...profile, ...trial, ...extra];
  return flavour === 'compiled' ? [...args, DIST_ENTRY] : [...args, '--import', 'tsx', join('src', 'index.ts')];
}

export function spawnBot(options: { flavour: Flavour; env: Record<string, string>; nodeArgs?: string[]; ipc?: boolean; timeoutMs?: number }): SpawnedBot {
  const spawnedAtEpoch = Date.now();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, botArgs(options.flavour, options.nodeArgs), {
    cwd: ROOT,
    env: { ...startScriptEnv(), ...childBotEnv(options.env) },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not log in:\n${output.slice(-2_000)}`)), options.timeoutMs ?? 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      const at = performance.now();
      if (output.length < 200_000) output += d;
      if (output.includes('"logged in"')) {
        clearTimeout(timer);
        resolve(at);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (output.length < 200_000) output += d;
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`bot exited before logging in:\n${output.slice(-2_000)}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    spawnedAt,
    spawnedAtEpoch,
    ready,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The bot's JSON log lines (pino), for timing breakdowns. */
export function logLines(output: string): { msg?: string; time?: number; [k: string]: unknown }[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
}
