/** /progress: mark where you are, see where you (or a study-group member) are, and get what to read next. */
import { ApplicationCommandOptionType, ComponentType } from 'discord-api-types/v10';
import { deleteAnswer } from '../src/discord/delete-answer.ts';
import { deleteButton } from '../src/render/delete-button.ts';
import { MessageFlags } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { z } from 'zod';
import type { ButtonInteraction } from 'discord.js';
import { component } from '../src/discord/command.ts';
import { memberProfile, recommend } from '../src/domain/recommend.ts';
import { renderNextSuggestions, nextListId } from '../src/render/progress-next.ts';
import { openDetail } from './resources.ts';
import type { Services } from '../src/services.ts';
import { cmd } from '../src/render/command-mentions.ts';
import { resourceIndexes } from '../src/domain/resource-search.ts';
import { NEAREST_MAX_DISTANCE } from '../src/domain/glossary-search.ts';
import { NOTE_MAX, PROGRESS_STATUSES, type ProgressStatus } from '../src/store/repos/progress.ts';
import { renderProgressCard } from '../src/render/progress.ts';
import { STATUS_EMOJI, STATUS_LABEL } from '../src/render/progress-style.ts';
import { planFocusResources, planProgressLines } from '../src/plans/member-plan.ts';
import { planProgressField, withPlanProgress } from '../src/render/plans.ts';
import { learnedCount } from '../src/domain/flashcards.ts';
import { withTermsLearned } from '../src/render/flashcard-progress.ts';

const Snowflake = z.string().regex(/^\d{1,20}$/);

const notYours = (interaction: ButtonInteraction) =>
  replyEphemeral(interaction, `These suggestions belong to someone else. Run ${cmd('progress next')} to get your own.`);

/** The member's personal suggestions (src/domain/recommend.ts); their study plan's current items come first. */
export async function nextPayload(services: Services, guildId: string, userId: string, notice?: string) {
  const progress = await services.repos.progress.get(guildId, userId);
  const now = services.clock.now();
  const planItems = await planFocusResources(services, guildId, userId, progress);
  const profile = memberProfile(services.registry, progress, now);
  const suggestions = recommend(services.registry, progress, { now, planItems, profile });
  return renderNextSuggestions(services.registry, suggestions, profile, userId, notice);
}

export default defineCommand({
  data: {
    name: 'progress',
    description: 'Track your reading',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'mark',
        description: 'Set your status on a resource',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'resource', description: 'Start typing a title', required: true, autocomplete: true, max_length: 100 },
          {
            type: ApplicationCommandOptionType.String,
            name: 'status',
            description: 'Where you are with it',
            required: true,
            choices: PROGRESS_STATUSES.map((s) => ({ name: STATUS_LABEL[s], value: s })),
          },
          { type: ApplicationCommandOptionType.String, name: 'note', description: 'A one-line takeaway (optional)', max_length: NOTE_MAX },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: 'Progress bars and recent completions',
        options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose progress (default: yours)' }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'next', description: 'Three things to read next, with prerequisites done' },
    ],
  },

  async execute(interaction, args, services) {
    if (!interaction.inGuild()) return replyEphemeral(interaction, 'Progress is tracked per server: use this command in a server.');
    const { registry, repos } = services;
    const guildId = interaction.guildId;

    if (args.subcommand === 'mark') {
      const { resource: query, status, note } = args.options;
      const resource = registry.resourceById.get(query) ?? resourceIndexes(registry).resources.search(query, 2).find((m) => m.tier === 0)?.item;
      if (!resource) {
        const near = resourceIndexes(registry).resources.search(query, 3);
        const list = (near.length ? near : resourceIndexes(registry).resources.nearest(query, 3, NEAREST_MAX_DISTANCE)).map((m) => `**${m.item.title}**`).join(', ');
        const hint = list ? ` Did you mean: ${list}?` : ` Nothing is spelt close to it; browse with ${cmd('resources')}.`;
        return replyEphemeral(interaction, `No resource "${quote(query)}". Pick one from the suggestions while typing.${hint}`);
      }
      if (!(PROGRESS_STATUSES as readonly string[]).includes(status)) {
        return replyEphemeral(interaction, `Unknown status "${quote(status)}". Use Want to read, Reading, Done or Skipped.`);
      }
      const cleanNote = note === undefined ? undefined : note.replace(/\s+/g, ' ').trim().slice(0, NOTE_MAX) || null;
      await repos.progress.mark(guildId, interaction.user.id, resource.id, status as ProgressStatus, { note: cleanNote, now: services.clock.now() });
      const s = status as ProgressStatus;
      return replyEphemeral(interaction, `${STATUS_EMOJI[s]} Marked **${resource.title}** as ${STATUS_LABEL[s]}.${cleanNote ? ' Note saved.' : ''}`);
    }

    if (args.subcommand === 'show') {
      const member = args.options.member ?? interaction.user;
      const [progress, flashcards] = await Promise.all([repos.progress.get(guildId, member.id), repos.flashcards.get(guildId, member.id)]);
      const planField = planProgressField(await planProgressLines(services, guildId, member.id, progress));
      const card = withTermsLearned(withPlanProgress(renderProgressCard(registry, member.id, progress, interaction.user.id), planField), flashcards ? learnedCount(registry, flashcards) : null);
      // Nothing to show (no card, just a line) is not worth a public post; a public card can be deleted by whoever asked.
      if (!card.embeds?.length) return void (await interaction.reply({ ...card, flags: MessageFlags.Ephemeral }));
      await interaction.reply({ ...card, components: [...(card.components ?? []), { type: ComponentType.ActionRow, components: [deleteButton('progress', interaction.user.id)] }] });
      return;
    }

    await interaction.reply({ ...(await nextPayload(services, guildId, interaction.user.id)), flags: MessageFlags.Ephemeral });
  },

  components: {
    /** Open a suggestion: its resource card in place (with Back to the suggestions), or a private copy for anyone else. */
    open: component({
      args: z.tuple([z.string().min(1), Snowflake]),
      async run(interaction, [resourceId, viewerId], services) {
        if (!interaction.isButton()) return;
        await openDetail(interaction, resourceId, viewerId, services, nextListId(viewerId));
      },
    }),
    /** Queue a suggestion ("Want to read") and redraw the suggestions without it. */
    queue: component({
      args: z.tuple([z.string().min(1), Snowflake]),
      async run(interaction, [resourceId, viewerId], services) {
        if (!interaction.isButton()) return;
        if (interaction.user.id !== viewerId) return notYours(interaction);
        const resource = services.registry.resourceById.get(resourceId);
        if (!resource) return replyEphemeral(interaction, 'That resource is no longer in the registry.');
        await services.repos.progress.mark(interaction.guildId!, viewerId, resourceId, 'queued', { now: services.clock.now() });
        await interaction.update(await nextPayload(services, interaction.guildId!, viewerId, `${STATUS_EMOJI.queued} Queued **${resource.title}**.`));
      },
    }),
    delete: deleteAnswer,
    /** Back from a resource opened from the suggestions. */
    next: component({
      args: z.tuple([Snowflake]),
      async run(interaction, [viewerId], services) {
        if (!interaction.isButton()) return;
        if (interaction.user.id !== viewerId) return notYours(interaction);
        await interaction.update(await nextPayload(services, interaction.guildId!, viewerId));
      },
    }),
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused();
    const { registry } = services;
    const matches = focused.trim() ? resourceIndexes(registry).resources.search(focused, 25).map((m) => m.item) : registry.resources.slice(0, 25);
    await interaction.respond(matches.map((r) => ({ name: r.title.slice(0, 100), value: r.id })));
  },
});
