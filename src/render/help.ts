/**
 * Pure rendering of /help from the command registration data, so help text can never drift from the commands.
 * Commands are grouped by what they are for and sorted within each group; each line is a clickable mention.
 * Members only see what they can use: commands that need Manage Server (default_member_permissions, or a
 * subcommand marked "(Manage Server)") are left out for members without it.
 */
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIEmbed } from 'discord-api-types/v10';
import type { CommandData, MessageCommandData } from '../discord/command.ts';
import { cmd } from './command-mentions.ts';
import { REFERENCE_COLOUR } from './style.ts';
import { joinWithin, truncate } from './text.ts';

/** Which group a top-level command belongs to; commands not listed here go under "More". */
export const HELP_GROUPS: readonly { name: string; commands: readonly string[] }[] = [
  { name: 'Read and track', commands: ['resources', 'progress', 'plan', 'flashcards', 'cards'] },
  { name: 'Look up', commands: ['glossary', 'help', 'suggest'] },
  { name: 'Open problems', commands: ['problem'] },
  { name: 'Study groups', commands: ['studygroup', 'session', 'sessions', 'digest'] },
  { name: 'Your data', commands: ['privacy'] },
  { name: 'Server admin', commands: ['admin', 'curate'] },
];
const MORE = 'More';
const ADMIN_MARK = /\(Manage Server\)\s*$/;
const COMMAND_ADMIN_MARK = /\(Manage Server or [^)]*\)\s*$/;

const needsManageGuild = (command: CommandData) =>
  command.default_member_permissions !== undefined &&
  command.default_member_permissions !== null &&
  (BigInt(command.default_member_permissions) & PermissionFlagsBits.ManageGuild) !== 0n;

export interface HelpLine {
  group: string;
  path: string;
  description: string;
  /** A message context-menu command (type 3): used from a message's Apps menu, not typed. */
  app?: boolean;
}

/** Every command and subcommand this member can use, grouped and sorted. */
export function helpLines(commands: readonly (CommandData | MessageCommandData)[], canManageGuild = true): HelpLine[] {
  const groupOf = (name: string) => HELP_GROUPS.find((g) => g.commands.includes(name))?.name ?? MORE;
  const lines: HelpLine[] = [];
  for (const command of commands) {
    if (command.type === 3) {
      lines.push({ group: 'Look up', path: command.name, description: 'right-click or long-press any message, then Apps', app: true });
      continue;
    }
    if (!canManageGuild && needsManageGuild(command)) continue;
    // Commands for Manage Server or a role the bot cannot see from here (/curate): shown to managers only.
    if (!canManageGuild && COMMAND_ADMIN_MARK.test(command.description)) continue;
    const subcommands = (command.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
    if (subcommands.length === 0) {
      lines.push({ group: groupOf(command.name), path: command.name, description: command.description });
      continue;
    }
    for (const sub of subcommands) {
      if (!canManageGuild && ADMIN_MARK.test(sub.description)) continue;
      lines.push({ group: groupOf(command.name), path: `${command.name} ${sub.name}`, description: sub.description });
    }
  }
  return lines.sort((a, b) => a.path.localeCompare(b.path));
}

export function renderHelp(commands: readonly (CommandData | MessageCommandData)[], canManageGuild = true): { embeds: APIEmbed[] } {
  const lines = helpLines(commands, canManageGuild);
  const order = [...HELP_GROUPS.map((g) => g.name), MORE];
  const fields = order
    .map((name) => ({ name, items: lines.filter((l) => l.group === name) }))
    .filter((g) => g.items.length > 0)
    .map((g) => ({ name: g.name, value: joinWithin(g.items.map((l) => (l.app ? `**Apps → ${l.path}** ${l.description}` : `${cmd(l.path)} ${truncate(l.description, 90)}`)), 1024) }));
  return {
    embeds: [
      {
        title: 'What Induction can do',
        description: 'Browse the curriculum, look up jargon, pick an open problem and keep track of where everyone is. Press a command to fill it in.',
        color: REFERENCE_COLOUR,
        fields: fields.slice(0, 25),
      },
    ],
  };
}
