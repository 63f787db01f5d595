/**
 * The discord.js client as production runs it: the Guilds intent only (no privileged intents), caches capped so
 * memory stays flat in large servers, and mentions disabled for every message the bot sends.
 */
import { Client, GatewayIntentBits, Options, Partials, type ClientOptions } from 'discord.js';

export interface ClientSettings {
  /** REST base such as http://127.0.0.1:8080/api (a proxy, or the loopback Discord in tests). */
  apiUrl?: string | undefined;
  /** Extra options for tests (timeouts, shard ids). */
  overrides?: Partial<ClientOptions>;
}

export const INTENTS = [GatewayIntentBits.Guilds] as const;

export function createClient(settings: ClientSettings = {}): Client {
  return new Client({
    intents: [...INTENTS],
    partials: [Partials.Channel],
    // Nobody is ever pinged by a reply unless a handler opts in explicitly for one message.
    allowedMentions: { parse: [], repliedUser: false },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      // Members arrive with each interaction and nothing reads them back from the cache; only the bot's own member
      // (permission checks) is kept, so memory does not grow with the number of members who interact.
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 1_000, keepOverLimit: (user) => user.id === user.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      ThreadMemberManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
      StageInstanceManager: 0,
      GuildScheduledEventManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      users: { interval: 3_600, filter: () => (user) => user.id !== user.client.user.id },
      threads: { interval: 3_600, lifetime: 3_600 },
    },
    ...(settings.apiUrl ? { rest: { api: settings.apiUrl } } : {}),
    ...settings.overrides,
    ...(settings.apiUrl && settings.overrides?.rest ? { rest: { api: settings.apiUrl, ...settings.overrides.rest } } : {}),
  });
}
