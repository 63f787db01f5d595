/**
 * Learns the application's command ids from Discord, so cmd('problem show') can render a clickable mention.
 * Runs once at startup in both modes (after login in gateway mode, before listening in HTTP mode). It can never
 * stop the bot: on any failure, or if Discord is slow, mentions fall back to code formatting.
 */
import type { REST } from '@discordjs/rest';
import { Routes, type APIApplicationCommand } from 'discord-api-types/v10';
import type { Logger } from '../log.ts';
import { setCommandIds } from '../render/command-mentions.ts';

/** How long startup waits for the ids before carrying on (the fetch keeps going in the background). */
export const COMMAND_IDS_WAIT_MS = 3_000;

export async function fetchCommandIds(rest: REST, applicationId: string, guildId: string | undefined): Promise<{ name: string; id: string }[]> {
  const global = (await rest.get(Routes.applicationCommands(applicationId))) as APIApplicationCommand[];
  // Guild commands (DISCORD_GUILD_ID, used while setting up) shadow global ones of the same name in that server.
  const guild = guildId ? ((await rest.get(Routes.applicationGuildCommands(applicationId, guildId))) as APIApplicationCommand[]) : [];
  const byName = new Map<string, string>();
  for (const c of [...global, ...guild]) if (c && typeof c.name === 'string' && typeof c.id === 'string') byName.set(c.name, c.id);
  return [...byName].map(([name, id]) => ({ name, id }));
}

/** Fetches the ids and records them for cmd(); resolves within COMMAND_IDS_WAIT_MS and never rejects. */
export async function loadCommandIds(rest: REST, applicationId: string, guildId: string | undefined, log: Logger, waitMs = COMMAND_IDS_WAIT_MS): Promise<void> {
  const work = fetchCommandIds(rest, applicationId, guildId)
    .then((commands) => {
      setCommandIds(commands);
      log.info({ commands: commands.length }, commands.length > 0 ? 'command ids loaded' : 'no registered commands found; run npm run deploy-commands');
    })
    .catch((error: unknown) => log.warn({ err: error }, 'could not fetch command ids; command mentions fall back to code formatting'));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)).unref())]);
  clearTimeout(timer);
}
