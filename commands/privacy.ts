/** /privacy: members own their data. Export everything stored about you here, or delete it after a confirmation. */
import { ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { exportFileName } from '../src/render/file-names.ts';
import { listJoin, plural } from '../src/render/text.ts';
import { AttachmentBuilder, MessageFlags } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { customId } from '../src/discord/custom-id.ts';
import { replyEphemeral } from '../src/discord/replies.ts';
import { requireGuild } from '../src/discord/permissions.ts';
import { deleteMemberData, exportMemberData, type DeletionSummary } from '../src/privacy/member-data.ts';
import { cmd } from '../src/render/command-mentions.ts';

const SNOWFLAKE = z.string().regex(/^\d{1,20}$/);

function describeDeletion(s: DeletionSummary): string {
  const lines = [
    `Deleted ${s.progressEntries} reading-progress entr${s.progressEntries === 1 ? 'y' : 'ies'} (with their notes).`,
    `Released ${plural(s.claimsReleased, 'current claim')}; ${plural(s.claimsAnonymised, 'claim')} and ${plural(s.historyEventsAnonymised, 'history entry', 'history entries')} now show "a former member", without your notes or links.`,
    s.groupsLeft.length ? `Left study group${s.groupsLeft.length === 1 ? '' : 's'}: ${s.groupsLeft.join(', ')}.` : 'You were in no study groups.',
    ...(s.planJoinDates || s.plansAnonymised ? [`Study plans: removed ${s.planJoinDates ?? 0} group join date${s.planJoinDates === 1 ? '' : 's'}; ${s.plansAnonymised ?? 0} plan${s.plansAnonymised === 1 ? '' : 's'} you created or started now show "a former member".`] : []),
    ...(s.sessionsTouched ? [`Removed your answers from ${s.sessionsTouched} reading session${s.sessionsTouched === 1 ? '' : 's'}.`] : []),
    `Deleted ${s.flashcards} glossary flashcard${s.flashcards === 1 ? '' : 's'} with their review history, and your flashcard settings and reminders.`,
  ];
  return `Your data in this server is deleted.\n${lines.map((l) => `• ${l}`).join('\n')}`;
}

export default defineCommand({
  data: {
    name: 'privacy',
    description: 'Export or delete what Induction stores about you in this server',
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'export', description: 'Get a JSON file of everything stored about you here' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'delete', description: 'Delete your progress and memberships, and anonymise your claims' },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction))) return;
    const guildId = interaction.guildId!;
    const userId = interaction.user.id;
    if (args.subcommand === 'export') {
      const data = await exportMemberData(services.repos, guildId, userId, services.clock.now());
      const name = exportFileName('export', interaction.guild?.name, services.clock.now(), 'json');
      const file = new AttachmentBuilder(Buffer.from(`${JSON.stringify(data, null, 2)}\n`), { name });
      const counts = [plural(data.progress.length, 'progress entry', 'progress entries'), plural(data.claims.length, 'claim'), plural(data.claimHistory.length, 'history entry', 'history entries'), plural(data.studyGroups.length, 'study group')];
      await interaction.reply({
        content: `Everything Induction stores about you in this server: ${listJoin(counts)}.`,
        files: [file],
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    await interaction.reply({
      content:
        `This deletes your reading progress and notes and removes you from study groups in this server. Your current claims are released, and your claims stay in problem history as "a former member", without your notes or links. It cannot be undone; run ${cmd('privacy export')} first if you want a copy.`,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Delete my data', custom_id: customId('privacy', 'confirm', userId) },
            { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: customId('privacy', 'cancel', userId) },
          ],
        },
      ],
      flags: MessageFlags.Ephemeral,
    });
  },

  components: {
    confirm: component({
      args: z.tuple([SNOWFLAKE]),
      async run(interaction, [ownerId], services) {
        if (!interaction.isButton() || !interaction.inGuild()) return;
        // Only the member who asked can confirm, and it always deletes the presser's own data.
        if (interaction.user.id !== ownerId) return replyEphemeral(interaction, `Only the member who asked can confirm this. Use ${cmd('privacy delete')} for your own data.`);
        const summary = await deleteMemberData(services.repos, interaction.guildId, ownerId, services.clock.now());
        services.log.info({ guildId: interaction.guildId, ...summary, groupsLeft: summary.groupsLeft.length }, 'member data deleted on request');
        await interaction.update({ content: describeDeletion(summary), components: [] });
      },
    }),
    cancel: component({
      args: z.tuple([SNOWFLAKE]),
      async run(interaction, [ownerId]) {
        if (!interaction.isButton()) return;
        if (interaction.user.id !== ownerId) return replyEphemeral(interaction, 'This is not your request.');
        await interaction.update({ content: 'Cancelled. Nothing was deleted.', components: [] });
      },
    }),
  },
});
