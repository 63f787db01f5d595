/**
 * The bot for the /session schedule benchmark in its own process, as it runs in production: startBot (the
 * production wiring) with the shipped commands, pong and the replay baseline, on a manual clock, against the
 * loopback Discord in the parent process (DISCORD_API_URL, STORE_URL from the environment). IPC messages:
 * { replay } sets the baseline's requests, { advance: ms } moves the clock; each is acknowledged with { ack }.
 */
import { commands } from '../../commands/index.ts';
import { startBot } from '../../src/app.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { scheduleBaseline, setReplay, type Replay } from '../lib/session-baseline.ts';
import { pong } from '../lib/workload.ts';

const clock = new ManualClock(Number(process.env.BENCH_NOW));
const bot = await startBot({
  config: parseConfig({ ...process.env, LOG_LEVEL: 'silent' }),
  log: silentLogger,
  clock,
  commands: [...commands, pong, scheduleBaseline],
  clientOverrides: { rest: { retries: 0, timeout: 5_000 }, waitGuildTimeout: 500 } as never,
  schedulerTimers: false,
});
await bot.scheduler.settled();

process.on('message', (message: { replay?: Replay; advance?: number; stop?: boolean }) => {
  if (message.replay) setReplay(message.replay);
  if (message.advance) clock.advance(message.advance);
  if (message.stop) {
    void bot.stop().then(() => process.exit(0));
    return;
  }
  process.send!({ ack: true });
});
process.send!({ ready: true });
