/**
 * /admin export: the server's progress or claims as CSV, for moving between Induction and the spreadsheets the
 * community uses. The claims columns follow the community sheet. Manage Server only, checked on our side too.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { exportFileName } from '../src/render/file-names.ts';
import { plural } from '../src/render/text.ts';
import { AttachmentBuilder, MessageFlags, type Client } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { MANAGE_GUILD, requireGuild, requireManageGuild } from '../src/discord/permissions.ts';
import { claimsCsv, progressCsv } from '../src/privacy/csv-export.ts';
import { runGuildDoctor } from '../src/doctor/guild-doctor.ts';

/** Looks up display names for member ids; a missing name leaves the id alone in the sheet. */
async function names(client: Client, ids: readonly string[], max = 200): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)].filter((id) => id !== '0').slice(0, max);
  for (let i = 0; i < unique.length; i += 5) {
    await Promise.all(
      unique.slice(i, i + 5).map(async (id) => {
        const user = await client.users.fetch(id).catch(() => null);
        if (user) out.set(id, user.globalName ?? user.username);
      }),
    );
  }
  return out;
}

export default defineCommand({
  data: {
    name: 'admin',
    description: 'Server admin tools (Manage Server)',
    default_member_permissions: MANAGE_GUILD,
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'export',
        description: 'Download the server’s progress or claims as CSV',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'kind',
            description: 'What to export',
            required: true,
            choices: [
              { name: 'progress', value: 'progress' },
              { name: 'claims', value: 'claims' },
            ],
          },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'doctor', description: 'Check that the bot can do its job here, with the fix for each problem' },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction)) || !(await requireManageGuild(interaction))) return;
    if (args.subcommand === 'doctor') return runGuildDoctor(interaction, services);
    const guildId = interaction.guildId!;
    const kind = args.options.kind;
    if (kind !== 'progress' && kind !== 'claims') {
      await interaction.reply({ content: 'Pick progress or claims.', flags: MessageFlags.Ephemeral });
      return;
    }
    // Name look-ups and large servers can take a while: answer first, then attach the file.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { registry, repos } = services;
    let csv: string;
    let rows: number;
    if (kind === 'claims') {
      const state = await repos.claims.guild(guildId);
      const lookup = await names(interaction.client, state.claims.map((c) => c.userId));
      ({ csv, rows } = claimsCsv(registry, state.claims, lookup));
    } else {
      const { members } = await repos.progress.guildIndex(guildId);
      const records = await repos.progress.members.getMany(members.map((m) => [guildId, m]));
      const lookup = await names(interaction.client, members);
      ({ csv, rows } = progressCsv(registry, members.map((id, i) => [id, records[i]] as const), lookup));
    }
    await interaction.editReply({
      content: `${plural(rows, 'row')} of ${kind}. Times are UTC. Opens in any spreadsheet.`,
      files: [new AttachmentBuilder(Buffer.from(csv, 'utf8'), { name: exportFileName(kind, interaction.guild?.name, services.clock.now(), 'csv') })],
    });
  },
});
