/**
 * HTTP interactions mode (INTERACTIONS_MODE=http): the same registry, store, services, Router and command
 * modules as the gateway bot, fed by a signed HTTP endpoint instead of a gateway connection.
 *
 * A real discord.js Client is kept but never logged in to the gateway. It only provides REST (token and API base
 * set by hand) and the interaction classes: each verified payload goes through discord.js's own
 * InteractionCreate action, exactly what the gateway's INTERACTION_CREATE handler runs, so handlers get the same
 * ChatInputCommandInteraction, ButtonInteraction, ... objects and `reply()` posts the callback through REST.
 * What the gateway would have provided is fetched through REST instead: the bot user (GET /users/@me) at startup
 * and the guild list (GET /users/@me/guilds, paged) for the digest scheduler, refreshed every 10 minutes.
 */
import { ClientApplication, ClientUser, Events, type Client } from 'discord.js';
import { Routes, type APIInteraction, type APIPartialGuild, type APIUser } from 'discord-api-types/v10';
import { createCore, startScheduler, storeAnswers, type Bot, type BotOptions } from '../app.ts';
import { createInteractionsServer, INTERACTIONS_PATH, type DispatchOutcome } from './interactions-server.ts';
import { importPublicKey } from './verify.ts';
import { loadCommandIds } from '../discord/command-ids.ts';

export const GUILD_REFRESH_MS = 10 * 60_000;
const GUILD_RETRY_MS = 30_000;
const GUILDS_PAGE = 200;

export interface HttpBotOptions extends BotOptions {
  /** Where the endpoint listens. Default: config.PORT on every interface. */
  listen?: { port?: number; host?: string };
  /** How often the guild list is fetched again (default 10 minutes). */
  guildRefreshMs?: number;
  /** Wall clock for the signature timestamp check (default Date.now; the bot's Clock may be a test clock). */
  now?: () => number;
}

export interface HttpBot extends Bot {
  /** The port the interactions endpoint is bound to. */
  readonly port: number;
  /** The endpoint's path (configure `http(s)://your-host:PORT` + this as the Interactions Endpoint URL). */
  readonly path: string;
  /** The guilds the bot is in, as last fetched through REST. */
  readonly guildIds: ReadonlySet<string>;
  /** Fetches the guild list now (the timer does this every 10 minutes). */
  refreshGuilds(): Promise<void>;
}

/** discord.js keeps its actions private in the typings; this is the one the gateway runs for INTERACTION_CREATE. */
interface ClientInternals {
  actions: { InteractionCreate: { handle(data: APIInteraction): void } };
}

/** The constructors are private in the typings; at runtime they are what the READY handler calls. */
const newClientUser = (client: Client, data: APIUser): ClientUser =>
  new (ClientUser as unknown as new (client: Client, data: APIUser) => ClientUser)(client, data);
const newClientApplication = (client: Client, data: { id: string; flags: number }): ClientApplication =>
  new (ClientApplication as unknown as new (client: Client, data: { id: string; flags: number }) => ClientApplication)(client, data);

const statusOf = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : undefined;

export async function startHttpBot(options: HttpBotOptions): Promise<HttpBot> {
  const { config, log } = options;
  if (!config.DISCORD_PUBLIC_KEY) throw new Error('DISCORD_PUBLIC_KEY is required for HTTP interactions');
  const publicKey = importPublicKey(config.DISCORD_PUBLIC_KEY);

  const { store, services, router, client } = await createCore(options);
  // What login() would do, minus the gateway: the token only ever goes to REST.
  client.token = config.DISCORD_TOKEN;
  client.rest.setToken(config.DISCORD_TOKEN);

  let stopping = false; // no new interactions are dispatched
  let shuttingDown = false; // health reports not ok from the first moment of stop()
  let emitted = 0;
  client.on(Events.InteractionCreate, (interaction) => {
    emitted++;
    if (stopping) return;
    void router.handle(interaction);
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));

  const guildIds = new Set<string>();
  let lastGuildRefresh: number | null = null;
  let guildRefreshError: string | null = null;
  let refreshing: Promise<void> | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;

  const fetchGuilds = async (): Promise<void> => {
    const found = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: String(GUILDS_PAGE) });
      if (after) query.set('after', after);
      const page = (await client.rest.get(Routes.userGuilds(), { query })) as APIPartialGuild[];
      for (const guild of page) found.add(guild.id);
      if (page.length < GUILDS_PAGE) break;
      const last = page.reduce((max, g) => (BigInt(g.id) > BigInt(max) ? g.id : max), page[0]!.id);
      if (after !== undefined && BigInt(last) <= BigInt(after)) break; // never loop on a misbehaving proxy
      after = last;
    }
    // Without a gateway there is no GUILD_DELETE: a guild missing from the list means the bot was removed.
    if (lastGuildRefresh !== null) {
      const now = services.clock.now();
      for (const id of guildIds) if (!found.has(id)) await services.repos.departedGuilds.markLeft(id, now);
    }
    for (const id of found) if (!guildIds.has(id)) await services.repos.departedGuilds.markPresent(id);
    guildIds.clear();
    for (const id of found) guildIds.add(id);
    lastGuildRefresh = Date.now();
    guildRefreshError = null;
  };
  const refreshGuilds = (): Promise<void> => {
    refreshing ??= fetchGuilds()
      .catch((error: unknown) => {
        guildRefreshError = String((error as Error)?.message ?? error).slice(0, 200);
        if (!stopping) log.warn({ err: error, keeping: guildIds.size }, 'could not refresh the guild list; keeping the last one');
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };
  const scheduleRefresh = (ms: number) => {
    clearTimeout(refreshTimer);
    if (stopping) return;
    refreshTimer = setTimeout(() => {
      void refreshGuilds().then(() => scheduleRefresh(guildRefreshError && guildIds.size === 0 ? GUILD_RETRY_MS : (options.guildRefreshMs ?? GUILD_REFRESH_MS)));
    }, ms);
    refreshTimer.unref();
  };

  const dispatch = (payload: { type: number }): DispatchOutcome => {
    if (stopping) return 'unavailable';
    const before = emitted;
    (client as unknown as ClientInternals).actions.InteractionCreate.handle(payload as APIInteraction);
    return emitted > before ? 'accepted' : 'unsupported';
  };
  const endpoint = createInteractionsServer({ publicKey, log, dispatch, now: options.now });

  let port: number;
  try {
    // The gateway's READY would carry the bot user; without it, ask REST (this also checks the token).
    let me: APIUser;
    try {
      me = (await client.rest.get(Routes.user('@me'))) as APIUser;
    } catch (error) {
      if (statusOf(error) === 401) throw new Error('Discord rejected DISCORD_TOKEN (401 Unauthorized): copy the bot token again from the developer portal (Bot → Reset Token)');
      throw error;
    }
    client.user = newClientUser(client, me);
    client.users.cache.set(client.user.id, client.user);
    client.application = newClientApplication(client, { id: config.DISCORD_APPLICATION_ID, flags: 0 });

    await refreshGuilds();
    // Command ids for clickable mentions (cmd()); a failure only means mentions show as code.
    await loadCommandIds(client.rest, config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID, log);
    log.info({ user: client.user.tag, guilds: guildIds.size, mode: 'http' }, 'logged in');

    const wanted = options.listen?.port ?? config.PORT;
    try {
      port = await endpoint.listen(wanted, options.listen?.host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`PORT ${wanted} is already in use: stop whatever listens there or choose another PORT`);
      if (code === 'EACCES') throw new Error(`PORT ${wanted} needs privileges this process lacks: choose a port above 1023 (and put a reverse proxy in front)`);
      throw error;
    }
    log.info({ port, path: INTERACTIONS_PATH }, 'interactions endpoint listening');
  } catch (error) {
    await endpoint.close(0).catch(() => undefined);
    await client.destroy().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
  scheduleRefresh(guildRefreshError && guildIds.size === 0 ? GUILD_RETRY_MS : (options.guildRefreshMs ?? GUILD_REFRESH_MS));

  // Same-day digests and claim sweeps go through REST, exactly as in gateway mode.
  const scheduler = startScheduler({ services, client }, { schedulerTimers: options.schedulerTimers, guildIds: () => guildIds, ownsGuild: () => true });

  return {
    client,
    services,
    router,
    store,
    scheduler,
    port,
    path: INTERACTIONS_PATH,
    guildIds,
    refreshGuilds,
    async health() {
      const storeOk = await storeAnswers(store);
      const listening = endpoint.listening;
      return {
        ok: listening && storeOk && !shuttingDown,
        mode: 'http',
        endpoint: listening ? 'listening' : 'closed',
        store: storeOk ? 'ok' : 'unavailable',
        guilds: guildIds.size,
        lastGuildRefresh: lastGuildRefresh === null ? null : new Date(lastGuildRefresh).toISOString(),
        ...(guildRefreshError ? { guildRefreshError } : {}),
        uptimeSeconds: Math.round(process.uptime()),
      };
    },
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      // Stop accepting; requests already being read are still verified and dispatched.
      await endpoint.close(2_000);
      stopping = true;
      clearTimeout(refreshTimer);
      await scheduler.stop();
      await router.drain();
      await services.locks.idle();
      await Promise.race([refreshing, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      await client.destroy();
      await store.close();
      log.info('stopped');
    },
  };
}
