/** Pure rendering of /help from the command registration data, so help text can never drift from the commands. */
import { ApplicationCommandOptionType, ApplicationCommandType, type APIEmbed } from 'discord-api-types/v10';
import type { CommandData, MessageCommandData } from '../discord/command.ts';
import { BRAND_COLOUR } from './style.ts';

export function helpLines(commands: readonly (CommandData | MessageCommandData)[]): string[] {
  const lines: string[] = [];
  for (const command of commands) {
    if (command.type === ApplicationCommandType.Message) {
      lines.push(`**Apps → ${command.name}**: right-click or long-press any message, then Apps`);
      continue;
    }
    const subcommands = (command.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
    if (subcommands.length === 0) {
      lines.push(`**/${command.name}**: ${command.description}`);
    } else {
      for (const sub of subcommands) lines.push(`**/${command.name} ${sub.name}**: ${sub.description}`);
    }
  }
  return lines;
}

export function renderHelp(commands: readonly (CommandData | MessageCommandData)[]): { embeds: APIEmbed[] } {
  return {
    embeds: [
      {
        title: 'Induction: your mech interp study group, in the server',
        description: [
          'Browse the curriculum, look up jargon, pick an open problem and keep track of where everyone is.',
          '',
          ...helpLines(commands),
        ]
          .join('\n')
          .slice(0, 4096),
        color: BRAND_COLOUR,
      },
    ],
  };
}
