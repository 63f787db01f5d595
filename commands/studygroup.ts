/** /studygroup: cohorts within a server. Each group has a channel for its weekly digest and its own members. */
import { ApplicationCommandOptionType, ChannelType, Routes } from 'discord-api-types/v10';
import { MessageFlags } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { requireGuild, requireManageGuild } from '../src/discord/permissions.ts';
import { FuzzyIndex } from '../src/domain/fuzzy-index.ts';
import { groupIdFor, MAX_GROUPS, type StudyGroup } from '../src/store/repos/study-groups.ts';
import { renderGroupList } from '../src/render/study-groups.ts';
import type { Services } from '../src/services.ts';
import { adoptPlan } from './plan-admin.ts';
import { planChoices } from '../src/plans/resolve.ts';
import { cmd } from '../src/render/command-mentions.ts';

const groupOption = {
  type: ApplicationCommandOptionType.String,
  name: 'name',
  description: 'The study group',
  required: true,
  autocomplete: true,
  max_length: 50,
} as const;

/** Finds a group by id or name, forgiving case and spacing. */
export function findGroup(groups: readonly StudyGroup[], value: string): StudyGroup | undefined {
  const id = groupIdFor(value);
  return groups.find((g) => g.id === value || g.id === id);
}

export async function groupChoices(services: Services, guildId: string, query: string) {
  const groups = await services.repos.studyGroups.list(guildId);
  const matches = query.trim() ? new FuzzyIndex(groups, (g) => [g.name, g.id]).search(query, 25).map((m) => m.item) : groups;
  return matches.slice(0, 25).map((g) => ({ name: g.name, value: g.id }));
}

export default defineCommand({
  data: {
    name: 'studygroup',
    description: 'Study groups (cohorts) in this server',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'create',
        description: 'Create a study group (Manage Server)',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'name', description: 'A short name, e.g. Autumn cohort', required: true, max_length: 50 },
          {
            type: ApplicationCommandOptionType.Channel,
            name: 'channel',
            description: 'Where its weekly digest is posted',
            required: true,
            channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
          },
          { type: ApplicationCommandOptionType.Role, name: 'role', description: 'A role to give members when they join (optional)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'join', description: 'Join a study group', options: [groupOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'leave', description: 'Leave a study group', options: [groupOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'The study groups in this server' },
      // Study plans (commands/plan-admin.ts): start, switch, restart or stop a group's plan.
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'plan',
        description: 'Start a study plan for a group, or switch or stop it (Manage Server)',
        options: [
          { ...groupOption, name: 'group' },
          { type: ApplicationCommandOptionType.String, name: 'plan', description: 'The plan (see /plan list), or "none" to stop', required: true, autocomplete: true, max_length: 40 },
          { type: ApplicationCommandOptionType.String, name: 'start', description: 'Start date YYYY-MM-DD in the group’s time zone (default: today)', max_length: 20 },
        ],
      },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction))) return;
    const guildId = interaction.guildId!;
    const userId = interaction.user.id;
    const repo = services.repos.studyGroups;
    const now = services.clock.now();

    if (args.subcommand === 'create') {
      if (!(await requireManageGuild(interaction))) return;
      const name = args.options.name.replace(/\s+/g, ' ').trim();
      if (!/[\p{L}\p{N}]/u.test(name)) return replyEphemeral(interaction, 'Give the group a name with at least one letter or digit.');
      const id = groupIdFor(name);
      const result = await repo.mutate(guildId, (groups) => {
        if (groups.some((g) => g.id === id)) return 'exists' as const;
        if (groups.length >= MAX_GROUPS) return 'full' as const;
        groups.push({
          id,
          name,
          channelId: args.options.channel.id,
          roleId: args.options.role?.id ?? null,
          everyone: false,
          members: [],
          createdAt: now,
          createdBy: userId,
          schedule: null,
          runs: [],
        });
        return 'created' as const;
      });
      if (result === 'exists') return replyEphemeral(interaction, `A group called "${quote(name)}" already exists.`);
      if (result === 'full') return replyEphemeral(interaction, `A server can have at most ${MAX_GROUPS} study groups.`);
      return replyEphemeral(
        interaction,
        `Created **${quote(name, 50)}**. Its digest goes to <#${args.options.channel.id}>. Members join with ${cmd('studygroup join')}; set the weekly digest with ${cmd('digest schedule')}.`,
      );
    }

    if (args.subcommand === 'plan') return adoptPlan(interaction, args.options, services);

    if (args.subcommand === 'list') {
      const groups = await repo.list(guildId);
      await interaction.reply({ ...renderGroupList(groups, services.clock.now()), flags: MessageFlags.Ephemeral });
      return;
    }

    const value = args.options.name;
    let joinedId: string | undefined;
    const outcome = await repo.mutate(guildId, (groups) => {
      const group = findGroup(groups, value);
      if (!group) return { kind: 'missing' as const };
      if (group.everyone) return { kind: 'everyone' as const, group: structuredClone(group) };
      const isMember = group.members.includes(userId);
      if (args.subcommand === 'join') {
        if (isMember) return { kind: 'unchanged' as const, group: structuredClone(group) };
        group.members.push(userId);
        joinedId = group.id;
      } else {
        if (!isMember) return { kind: 'unchanged' as const, group: structuredClone(group) };
        group.members = group.members.filter((m) => m !== userId);
      }
      return { kind: 'changed' as const, group: structuredClone(group) };
    });
    if (outcome.kind === 'missing') {
      const names = (await repo.list(guildId)).map((g) => `**${g.name}**`);
      return replyEphemeral(interaction, `No study group "${quote(value)}".${names.length ? ` Groups here: ${names.slice(0, 10).join(', ')}.` : ` An admin can create one with ${cmd('studygroup create')}.`}`);
    }
    // When a member joined, for a study plan's late-joiner rule.
    if (joinedId) await services.repos.plans.noteJoin(guildId, joinedId, userId, now);
    const name = outcome.group.name;
    if (outcome.kind === 'everyone') return replyEphemeral(interaction, `**${name}** includes everyone who tracks progress here; there is nothing to ${args.subcommand}.`);
    if (outcome.kind === 'unchanged') {
      return replyEphemeral(interaction, args.subcommand === 'join' ? `You are already in **${name}**.` : `You are not in **${name}**.`);
    }
    let roleNote = '';
    if (outcome.group.roleId) {
      // Giving the role is a convenience: joining still counts if Discord refuses (missing Manage Roles).
      const route = Routes.guildMemberRole(guildId, userId, outcome.group.roleId);
      try {
        if (args.subcommand === 'join') await interaction.client.rest.put(route);
        else await interaction.client.rest.delete(route);
      } catch (error) {
        services.log.warn({ err: error, guildId, group: outcome.group.id }, 'could not update the study-group role');
        roleNote = ' (I could not update your role: ask an admin to check my Manage Roles permission.)';
      }
    }
    return replyEphemeral(interaction, args.subcommand === 'join' ? `You joined **${name}**.${roleNote}` : `You left **${name}**.${roleNote}`);
  },

  async autocomplete(interaction, services) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'plan') return interaction.respond(await planChoices(services, interaction.guildId, focused.value));
    await interaction.respond(await groupChoices(services, interaction.guildId, focused.value));
  },
});
