/**
 * Runs the real bot (startBot, the production wiring) against a loopback Discord and a fresh SQLite file,
 * and offers `send(payload)` that dispatches an interaction and returns the bot's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type Bot, type BotOptions } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/log.ts';
import { commands as allCommands } from '../../commands/index.ts';
import { LoopbackDiscord, type CapturedRequest, type EmulatedGuild } from './loopback-discord.ts';

export const TEST_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.fake-test-token.SECRET-LOOPBACK-ONLY';

export interface TestBot {
  discord: LoopbackDiscord;
  bot: Bot;
  clock: ManualClock;
  dir: string;
  storeUrl: string;
  /** Dispatches an interaction and resolves with the bot's first answer to it (the callback). */
  send(payload: any): Promise<CapturedRequest>;
  /** Every request made for one interaction token (callback, edits, follow-ups). */
  requestsFor(payload: any): CapturedRequest[];
  /** Waits for a request about an interaction (for example a deferred reply's edit). */
  waitForEdit(payload: any, timeoutMs?: number): Promise<CapturedRequest>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBot(
  options: { guilds?: EmulatedGuild[]; log?: Logger; now?: Date; storeUrl?: string; /** Register the commands first, as deploy-commands would (default true). */ deployed?: boolean; bot?: Pick<BotOptions, 'commands' | 'interactionDeadline'> } = {},
): Promise<TestBot> {
  const discord = new LoopbackDiscord({ guilds: options.guilds });
  await discord.start();
  // As if `npm run deploy-commands` had run: the bot fetches these ids at startup for its command mentions.
  if (options.deployed ?? true) discord.commands.seed(allCommands.map((c) => c.data as { name: string }));
  const dir = mkdtempSync(join(tmpdir(), 'induction-test-'));
  const storeUrl = options.storeUrl ?? `sqlite://${join(dir, 'store.sqlite')}`;
  const clock = new ManualClock((options.now ?? new Date('2026-03-02T12:00:00Z')).getTime());
  const config = parseConfig({
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_APPLICATION_ID: '900000000000000001',
    DISCORD_API_URL: discord.apiBase,
    STORE_URL: storeUrl,
    LOG_LEVEL: 'silent',
  });
  const boot = () =>
    startBot({
      config,
      log: options.log ?? silentLogger,
      clock,
      clientOverrides: { rest: { retries: 0, timeout: 3_000 }, waitGuildTimeout: 500 } as never,
      schedulerTimers: false,
      ...options.bot,
    });
  const first = await boot();
  await first.scheduler.settled();
  const harness: TestBot = {
    discord,
    bot: first,
    clock,
    dir,
    storeUrl,
    async send(payload) {
      discord.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
      return discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    },
    requestsFor(payload) {
      return discord.requests.filter((r) => r.path.includes(`/${payload.token}`));
    },
    waitForEdit(payload, timeoutMs) {
      return discord.waitFor((r) => r.kind === 'webhook-edit' && r.path.includes(`/${payload.token}/`), timeoutMs);
    },
    async restart() {
      await harness.bot.stop();
      harness.bot = await boot();
      // The startup pass (digest catch-up, claim sweep) runs in the background in production; wait for it here.
      await harness.bot.scheduler.settled();
    },
    async close() {
      await harness.bot.stop();
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
