import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { renderHelp } from '../src/render/help.ts';

export default defineCommand({
  data: {
    name: 'help',
    description: 'List what Induction can do',
  },
  async execute(interaction, _args, { commands }) {
    // Outside a server (a DM) there are no server permissions: show what a member can use.
    const canManage = interaction.inGuild() && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
    await interaction.reply({ ...renderHelp(commands.map((c) => c.data), canManage), flags: MessageFlags.Ephemeral });
  },
});
