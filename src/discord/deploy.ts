/** One bulk-overwrite PUT of every command: to one guild when given (instant), otherwise global. */
import { REST } from '@discordjs/rest';
import { Routes, type RESTPutAPIApplicationCommandsResult } from 'discord-api-types/v10';
import type { Config } from '../config.ts';
import type { Command } from './command.ts';
import { setCommandIds } from '../render/command-mentions.ts';

export async function deployCommands(config: Config, commands: readonly Command<any>[]): Promise<{ scope: string; names: string[]; ids: { name: string; id: string }[] }> {
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}), retries: 1, timeout: 15_000 }).setToken(
    config.DISCORD_TOKEN,
  );
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const registered = (await rest.put(route, { body: commands.map((c) => c.data) })) as RESTPutAPIApplicationCommandsResult;
  // The bulk overwrite answers with the ids Discord assigned: record them, as startup does with GET.
  setCommandIds(registered);
  const scope = config.DISCORD_GUILD_ID ? `to guild ${config.DISCORD_GUILD_ID}` : 'globally (new global commands can take up to an hour to appear)';
  return { scope, names: registered.map((c) => c.name), ids: registered.map((c) => ({ name: c.name, id: c.id })) };
}
