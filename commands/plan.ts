/**
 * /plan: study plans. Members see where they stand in their group's plan (`/plan status`), anyone can browse the
 * plans (`list`, `show`, `export`), and admins upload or delete the server's own plans (Manage Server, checked
 * here). A group adopts a plan with `/studygroup plan` (see commands/plan-admin.ts).
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { AttachmentBuilder, MessageFlags } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { requireGuild } from '../src/discord/permissions.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { memberStanding } from '../src/domain/plans.ts';
import { cmd } from '../src/render/command-mentions.ts';
import { renderNoPlan, renderPlanList, renderPlanOverview, renderPlanStatus } from '../src/render/plans.ts';
import { STATUS_LABEL } from '../src/render/progress-style.ts';
import { findPlan, guildGroupPlans, joinDateFor, joinLookup, memberGroupPlans, planChoices, resolveGroupPlan, type GroupPlan } from '../src/plans/resolve.ts';
import type { Services } from '../src/services.ts';
import { deleteCustomPlan, uploadPlans } from './plan-admin.ts';
import { detailPayload } from './resources.ts';
import { findGroup, groupChoices } from './studygroup.ts';

const SNOWFLAKE = z.string().regex(/^\d{1,20}$/);
const RESOURCE_ID = z.string().regex(/^[a-z0-9-]{1,80}$/);
const notYours = () => `Only the member whose status this is can mark items from it. Run ${cmd('plan status')} for your own.`;

const planOption = { type: ApplicationCommandOptionType.String, name: 'plan', description: 'The plan', required: true, autocomplete: true, max_length: 40 } as const;

/** The status card of one member in one group's plan. */
export async function statusPayload(services: Services, guildId: string, groupPlan: GroupPlan, memberId: string, viewerId: string, notice?: string) {
  const now = services.clock.now();
  const [progress, joins] = await Promise.all([services.repos.progress.get(guildId, memberId), joinLookup(services, guildId, groupPlan)]);
  const standing = memberStanding(groupPlan.timeline, progress, now, () => joinDateFor(groupPlan, joins, memberId, progress));
  return renderPlanStatus({
    registry: services.registry,
    groupName: groupPlan.group.name,
    groupId: groupPlan.group.id,
    timeline: groupPlan.timeline,
    memberId,
    viewerId,
    progress,
    standing,
    now,
    ...(notice ? { notice } : {}),
  });
}

export default defineCommand({
  data: {
    name: 'plan',
    description: 'Study plans: what your group reads each week, and where you stand',
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'status',
        description: 'This week’s plan items and whether you (or a member) are on track',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'group', description: 'The study group (default: yours)', autocomplete: true, max_length: 50 },
          { type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose standing (default: yours)' },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'The built-in plans and this server’s own' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'show', description: 'One plan, week by week', options: [planOption] },
      { type: ApplicationCommandOptionType.Subcommand, name: 'export', description: 'A plan as a JSON file, to edit and upload as your own', options: [planOption] },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'upload',
        description: 'Add or replace this server’s own plans from a JSON file (Manage Server)',
        options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'A .json plan file (see /plan export)', required: true }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'delete', description: 'Delete one of this server’s own plans (Manage Server)', options: [planOption] },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction))) return;
    const guildId = interaction.guildId!;

    if (args.subcommand === 'status') {
      const member = args.options.member ?? interaction.user;
      const viewerId = interaction.user.id;
      let groupPlan: GroupPlan | null;
      let notice: string | undefined;
      if (args.options.group !== undefined) {
        const [groups, plans] = await Promise.all([services.repos.studyGroups.list(guildId), services.repos.plans.get(guildId)]);
        const group = findGroup(groups, args.options.group);
        if (!group) return replyEphemeral(interaction, `No study group "${quote(args.options.group)}". See ${cmd('studygroup list')}.`);
        groupPlan = resolveGroupPlan(services, guildId, group, plans);
        if (!groupPlan) return interaction.reply({ ...renderNoPlan(group.name), flags: MessageFlags.Ephemeral }).then(() => undefined);
      } else {
        const mine = await memberGroupPlans(services, guildId, member.id);
        groupPlan = mine[0] ?? null;
        if (!groupPlan) return interaction.reply({ ...renderNoPlan(null), flags: MessageFlags.Ephemeral }).then(() => undefined);
        if (mine.length > 1) notice = `Showing **${groupPlan.group.name}**; also following: ${mine.slice(1).map((p) => `**${p.group.name}**`).join(', ')} (pick one with the \`group\` option).`;
      }
      const payload = await statusPayload(services, guildId, groupPlan, member.id, viewerId, notice);
      await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      return;
    }

    if (args.subcommand === 'list') {
      const [stored, groupPlans] = await Promise.all([services.repos.plans.get(guildId), guildGroupPlans(services, guildId)]);
      const usedBy = (id: string) => groupPlans.filter((g) => g.plan.id === id).map((g) => g.group.name);
      const entries = [
        ...services.registry.plans.map((plan) => ({ plan, custom: false, usedBy: usedBy(plan.id) })),
        ...stored.custom.map((c) => ({ plan: c.plan, custom: true, createdBy: c.createdBy, usedBy: usedBy(c.plan.id) })),
      ];
      await interaction.reply({ ...renderPlanList(entries), flags: MessageFlags.Ephemeral });
      return;
    }

    if (args.subcommand === 'upload') return uploadPlans(interaction, services);

    const planId = args.options.plan.trim();
    if (args.subcommand === 'delete') return deleteCustomPlan(interaction, planId, services);
    const found = findPlan(services, await services.repos.plans.get(guildId), planId);
    if (!found) return replyEphemeral(interaction, `Unknown plan "${quote(planId)}". See ${cmd('plan list')}.`);
    if (args.subcommand === 'show') {
      await interaction.reply({ ...renderPlanOverview(services.registry, found.plan, found.custom), flags: MessageFlags.Ephemeral });
      return;
    }
    const file = new AttachmentBuilder(Buffer.from(`${JSON.stringify({ plans: [found.plan] }, null, 2)}\n`), { name: `plan-${found.plan.id}.json` });
    await interaction.reply({
      content: `**${found.plan.title}** as JSON. Change the \`id\`, edit the weeks (resource ids from ${cmd('resources')}), then ${cmd('plan upload')} it.`,
      files: [file],
      flags: MessageFlags.Ephemeral,
    });
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused(true);
    if (!interaction.inGuild()) return interaction.respond([]);
    if (focused.name === 'group') return interaction.respond(await groupChoices(services, interaction.guildId, focused.value));
    return interaction.respond(await planChoices(services, interaction.guildId, focused.value));
  },

  components: {
    open: component({
      args: z.tuple([RESOURCE_ID, SNOWFLAKE]),
      async run(interaction, [resourceId], services) {
        if (!interaction.isButton() || !interaction.inGuild()) return;
        const resource = services.registry.resourceById.get(resourceId);
        if (!resource) return replyEphemeral(interaction, 'That resource is no longer in the registry.');
        const payload = await detailPayload(services, interaction.guildId, interaction.user.id, resource);
        await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      },
    }),
    done: component({
      args: z.tuple([RESOURCE_ID, SNOWFLAKE]),
      async run(interaction, [resourceId, viewerId], services) {
        if (!interaction.isButton() || !interaction.inGuild()) return;
        if (interaction.user.id !== viewerId) return replyEphemeral(interaction, notYours());
        const resource = services.registry.resourceById.get(resourceId);
        if (!resource) return replyEphemeral(interaction, 'That resource is no longer in the registry.');
        const guildId = interaction.guildId;
        await services.repos.progress.mark(guildId, viewerId, resourceId, 'done', { now: services.clock.now() });
        const notice = `✅ Marked **${resource.title}** as ${STATUS_LABEL.done}.`;
        const mine = await memberGroupPlans(services, guildId, viewerId);
        const groupPlan = mine.find((p) => p.plan.weeks.some((w) => w.required.includes(resourceId) || w.extras.includes(resourceId))) ?? mine[0];
        if (!groupPlan) return replyEphemeral(interaction, notice);
        await interaction.update(await statusPayload(services, guildId, groupPlan, viewerId, viewerId, notice));
      },
    }),
  },
});
