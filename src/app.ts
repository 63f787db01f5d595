/**
 * Wires the pieces together: registry, store, services, router and the discord.js client.
 * index.ts runs this for production; tests run the same function against the loopback Discord.
 */
import { Events, type Client, type ClientOptions } from 'discord.js';
import { commands as defaultCommands } from '../commands/index.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createClient } from './discord/client.ts';
import type { Command } from './discord/command.ts';
import { Router } from './discord/router.ts';
import type { DeadlineOptions } from './discord/deadline.ts';
import type { Logger } from './log.ts';
import { loadRegistry, type Registry } from './registry/load.ts';
import { DATA_DIR } from './paths.ts';
import { createServices, type Services } from './services.ts';
import { openStore, type OpenedStore } from './store/open-store.ts';
import { migrateAtStart } from './store/migrations.ts';
import { DigestScheduler } from './digest/scheduler.ts';
import { restPoster } from './digest/poster.ts';
import { SessionJobs } from './sessions/jobs.ts';
import { sessionsApi } from './sessions/discord-api.ts';
import { loadCommandIds } from './discord/command-ids.ts';
import { jargonMatcher } from './glossary/explain.ts';
import { flashcardReminders } from './flashcards/reminders.ts';
import { restMessenger } from './flashcards/direct-messages.ts';

export interface BotOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  registry?: Registry;
  commands?: readonly Command<any>[];
  clientOverrides?: Partial<ClientOptions>;
  storeBusyTimeoutMs?: number;
  /** The router's 3-second guarantee (default: defer after 2,000 ms, or INTERACTION_DEFER_AFTER_MS). */
  interactionDeadline?: DeadlineOptions;
  /** Run the digest scheduler on timers (default). Tests turn this off and call scheduler.tick() themselves. */
  schedulerTimers?: boolean;
}

export interface Bot {
  readonly client: Client;
  readonly services: Services;
  readonly router: Router;
  readonly store: OpenedStore;
  readonly scheduler: DigestScheduler;
  /** Liveness: connected to the gateway and the store answers. */
  health(): Promise<{ ok: boolean; [detail: string]: unknown }>;
  /** Stops taking work, finishes in-flight interactions, closes the gateway and the store. */
  stop(): Promise<void>;
}

/** What the gateway bot and the HTTP-interactions bot share: registry, store, services, router and client. */
export interface Core {
  registry: Registry;
  store: OpenedStore;
  services: Services;
  router: Router;
  client: Client;
}

export async function createCore(options: BotOptions): Promise<Core> {
  const { config, log } = options;
  const registry = options.registry ?? loadRegistry(DATA_DIR);
  log.info({ resources: registry.resources.length, terms: registry.terms.length, problems: registry.problems.length }, 'registry loaded');
  jargonMatcher(registry); // "Explain jargon" matcher, built once at start rather than in the first interaction.

  // Shard processes share a SQLite file, so none of them may treat it as its own.
  const store = await openStore(config.STORE_URL, { busyTimeoutMs: options.storeBusyTimeoutMs, sharedFile: process.env.SHARDS !== undefined });
  log.info({ store: store.description }, 'store opened');

  const commands = options.commands ?? defaultCommands;
  const services = createServices({ registry, store, clock: options.clock ?? systemClock, log, commands });
  // Stored records in an older layout are converted before anything is served (see README, "Storage layout and
  // upgrades"); a shard process converts its own guilds.
  await migrateAtStart(store.keyv, store.locks, services.repos, log);
  const deferAfterMs = Number(process.env.INTERACTION_DEFER_AFTER_MS) || undefined;
  const router = new Router(commands, services, { deferAfterMs, ...options.interactionDeadline });
  const client = createClient({ apiUrl: config.DISCORD_API_URL, overrides: options.clientOverrides });
  return { registry, store, services, router, client };
}

/** The digest scheduler for a bot, posting through its REST client, for the guilds `guildIds` names. */
export function startScheduler(
  core: Pick<Core, 'services' | 'client'>,
  options: Pick<BotOptions, 'schedulerTimers'> & { guildIds: () => Iterable<string>; ownsGuild: (guildId: string) => boolean },
): DigestScheduler {
  const sessionJobs = new SessionJobs(core.services, sessionsApi(core.client.rest));
  const scheduler = new DigestScheduler({
    services: core.services,
    poster: restPoster(core.client.rest, () => core.client.user!.id),
    guildIds: options.guildIds,
    ownsGuild: options.ownsGuild,
    timers: options.schedulerTimers ?? true,
    guildJobs: [
      { label: 'Reading sessions (reminders, series, event sync)', run: (guildId) => sessionJobs.run(guildId) },
      { label: 'Flashcard reminders', run: flashcardReminders({ services: core.services, messenger: restMessenger(core.client.rest), guildName: (id) => core.client.guilds.cache.get(id)?.name ?? null }) },
    ],
  });
  scheduler.start();
  return scheduler;
}

/** Whether the store answers a read right now (for health checks). */
export async function storeAnswers(store: OpenedStore): Promise<boolean> {
  try {
    await store.keyv.get('health:probe');
    return true;
  } catch {
    return false;
  }
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const { config, log } = options;
  const { store, services, router, client } = await createCore(options);

  let stopping = false;
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    void router.handle(interaction);
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  // Removed from a server: its data is purged after a 30-day grace period, unless the bot is added back.
  client.on(Events.GuildDelete, (guild) => {
    void services.repos.departedGuilds.markLeft(guild.id, services.clock.now()).catch((error) => log.error({ err: error, guildId: guild.id }, 'could not record a departed guild'));
  });
  client.on(Events.GuildCreate, (guild) => {
    void services.repos.departedGuilds.markPresent(guild.id).catch((error) => log.error({ err: error, guildId: guild.id }, 'could not record a returning guild'));
  });
  client.on(Events.ShardDisconnect, (_event, shardId) => log.warn({ shardId }, 'shard disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'logged in');
  // Command ids for clickable mentions (cmd()); a failure only means mentions show as code.
  await loadCommandIds(client.rest, config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID, log);

  // Digests and claim sweeps run for the guilds this process's shards own, so each guild is handled once.
  const scheduler = startScheduler(
    { services, client },
    {
      schedulerTimers: options.schedulerTimers,
      guildIds: () => client.guilds.cache.keys(),
      ownsGuild: (guildId) => client.ws.shards.has(Number((BigInt(guildId) >> 22n) % BigInt(client.options.shardCount ?? 1))),
    },
  );

  return {
    client,
    services,
    router,
    store,
    scheduler,
    async health() {
      const connected = client.ws.status === 0;
      const storeOk = await storeAnswers(store);
      return {
        ok: connected && storeOk && !stopping,
        gateway: connected ? 'ready' : 'disconnected',
        store: storeOk ? 'ok' : 'unavailable',
        guilds: client.guilds.cache.size,
        shards: [...client.ws.shards.keys()],
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await scheduler.stop();
      await router.drain();
      await services.locks.idle();
      await client.destroy();
      await store.close();
      log.info('stopped');
    },
  };
}
