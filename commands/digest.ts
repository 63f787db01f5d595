/**
 * /digest: set up and inspect a study group's weekly digest. Admin only: the command is hidden from members
 * without Manage Server, and every handler checks the permission again on the server side.
 */
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { AttachmentBuilder, MessageFlags } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { MANAGE_GUILD, requireGuild, requireManageGuild } from '../src/discord/permissions.ts';
import { isValidTimezone, nextFire, periodOf, weekStart } from '../src/domain/digest-schedule.ts';
import { searchTimezones } from '../src/domain/timezones.ts';
import { buildDigest } from '../src/digest/builder.ts';
import { CHART_NAME } from '../src/render/digest.ts';
import { describeSchedule, renderDigestStatus } from '../src/render/study-groups.ts';
import type { StudyGroup } from '../src/store/repos/study-groups.ts';
import { findGroup, groupChoices } from './studygroup.ts';
import { cmd } from '../src/render/command-mentions.ts';

const groupOption = {
  type: ApplicationCommandOptionType.String,
  name: 'group',
  description: 'The study group (optional when the server has only one)',
  autocomplete: true,
  max_length: 50,
} as const;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DEFAULT_GROUP_ID = 'everyone';

/** Picks the group an admin means: by name, or the only one there is. */
function pickGroup(groups: readonly StudyGroup[], value: string | undefined): StudyGroup | string {
  if (value !== undefined) return findGroup(groups, value) ?? `No study group "${quote(value)}". See ${cmd('studygroup list')}.`;
  if (groups.length === 1) return groups[0]!;
  if (groups.length === 0) return `No study groups yet: set one up with ${cmd('digest schedule')} (it creates a default group) or ${cmd('studygroup create')}.`;
  return 'This server has several study groups: say which one with the `group` option.';
}

export default defineCommand({
  data: {
    name: 'digest',
    description: 'Weekly progress digests for study groups (Manage Server)',
    default_member_permissions: MANAGE_GUILD,
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'schedule',
        description: 'Post a group’s digest every week at a local time',
        options: [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'weekday',
            description: 'Day of the week',
            required: true,
            choices: WEEKDAYS.map((name, i) => ({ name, value: i + 1 })),
          },
          { type: ApplicationCommandOptionType.Integer, name: 'hour', description: 'Hour of the day, 0–23, local time', required: true, min_value: 0, max_value: 23 },
          { type: ApplicationCommandOptionType.String, name: 'timezone', description: 'IANA time zone, e.g. Europe/London', required: true, autocomplete: true, max_length: 64 },
          groupOption,
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Post it here instead (optional)',
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'preview', description: 'See (privately) what the next digest would say now', options: [groupOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: 'Next run, last run and last error', options: [groupOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'off', description: 'Stop a group’s weekly digest', options: [groupOption] },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction)) || !(await requireManageGuild(interaction))) return;
    const guildId = interaction.guildId!;
    const repo = services.repos.studyGroups;
    const now = services.clock.now();

    if (args.subcommand === 'schedule') {
      const { weekday, hour, timezone, group: groupName, channel } = args.options;
      if (!isValidTimezone(timezone)) {
        const near = searchTimezones(timezone, 3);
        return replyEphemeral(interaction, `Unknown time zone "${quote(timezone)}".${near.length ? ` Did you mean: ${near.join(', ')}?` : ' Use an IANA name such as Europe/London.'}`);
      }
      if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7 || !Number.isInteger(hour) || hour < 0 || hour > 23) {
        return replyEphemeral(interaction, 'Pick a weekday from the list and an hour from 0 to 23.');
      }
      const result = await repo.mutate(guildId, (groups) => {
        // A server with no groups gets one default group, covering everyone, posting to this channel.
        if (groups.length === 0 && groupName === undefined) {
          groups.push({
            id: DEFAULT_GROUP_ID,
            name: 'Everyone',
            channelId: channel?.id ?? interaction.channelId,
            roleId: null,
            everyone: true,
            members: [],
            createdAt: now,
            createdBy: interaction.user.id,
            schedule: null,
            runs: [],
          });
        }
        const group = pickGroup(groups, groupName);
        if (typeof group === 'string') return group;
        group.schedule = { weekday, hour, timezone, since: now };
        if (channel) group.channelId = channel.id;
        return structuredClone(group);
      });
      if (typeof result === 'string') return replyEphemeral(interaction, result);
      const next = nextFire(result.schedule!, now);
      return replyEphemeral(
        interaction,
        `**${result.name}** gets its digest ${describeSchedule(result.schedule!)} in <#${result.channelId}>. Next: <t:${Math.floor((next ?? now) / 1000)}:F>.`,
      );
    }

    const group = pickGroup(await repo.list(guildId), args.options.group);
    if (typeof group === 'string') return replyEphemeral(interaction, group);

    if (args.subcommand === 'status') {
      await interaction.reply({ ...renderDigestStatus(group, now, guildId), flags: MessageFlags.Ephemeral });
      return;
    }

    if (args.subcommand === 'off') {
      await repo.mutate(guildId, (groups) => {
        const g = groups.find((x) => x.id === group.id);
        if (g) g.schedule = null;
      });
      return replyEphemeral(interaction, `Weekly digest for **${group.name}** is off. Turn it back on with ${cmd('digest schedule')}.`);
    }

    // preview: exactly what the scheduler would post for the coming fire time, with the data as it is now.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const schedule = group.schedule ?? { weekday: 1, hour: 9, timezone: 'UTC', since: now };
    const end = nextFire(schedule, now) ?? now;
    const built = await buildDigest(services, guildId, group, {
      start: weekStart(schedule, end),
      end,
      late: false,
      period: periodOf(schedule.timezone, end),
      timezone: schedule.timezone,
    });
    const note = group.schedule ? 'Preview of the next digest, with the data as it stands now:' : 'No schedule yet; this is how a digest would look:';
    const [first, ...rest] = built.parts;
    await interaction.editReply({
      content: note,
      embeds: first!.embeds,
      files: first!.withChart && built.chart ? [new AttachmentBuilder(built.chart, { name: CHART_NAME })] : [],
    });
    for (const part of rest) await interaction.followUp({ embeds: part.embeds, flags: MessageFlags.Ephemeral });
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') {
      return interaction.respond(searchTimezones(focused.value).slice(0, 25).map((tz) => ({ name: tz, value: tz })));
    }
    if (!interaction.inGuild()) return interaction.respond([]);
    return interaction.respond(await groupChoices(services, interaction.guildId, focused.value));
  },
});
