/** /progress: mark where you are, see where you (or a study-group member) are, and get what to read next. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { MessageFlags } from 'discord.js';
import { defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { nextSuggestions } from '../src/domain/reading.ts';
import { resourceIndexes } from '../src/domain/resource-search.ts';
import { NOTE_MAX, PROGRESS_STATUSES, type ProgressStatus } from '../src/store/repos/progress.ts';
import { renderNextSuggestions, renderProgressCard } from '../src/render/progress.ts';
import { STATUS_EMOJI, STATUS_LABEL } from '../src/render/progress-style.ts';
import { planFirst } from '../src/domain/plan-first.ts';
import { planFocusResources, planProgressLines } from '../src/plans/member-plan.ts';
import { planProgressField, withPlanProgress } from '../src/render/plans.ts';
import { learnedCount } from '../src/domain/flashcards.ts';
import { withTermsLearned } from '../src/render/flashcard-progress.ts';

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
        const list = (near.length ? near : resourceIndexes(registry).resources.nearest(query, 3)).map((m) => `**${m.item.title}**`).join(', ');
        return replyEphemeral(interaction, `No resource "${quote(query)}". Pick one from the suggestions while typing. Did you mean: ${list}?`);
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
      const card = withPlanProgress(renderProgressCard(registry, member.id, progress), planField);
      await interaction.reply(withTermsLearned(card, flashcards ? learnedCount(registry, flashcards) : null));
      return;
    }

    const progress = await repos.progress.get(guildId, interaction.user.id);
    // The member's current study-plan week comes first (src/domain/plan-first.ts).
    const suggestions = planFirst(nextSuggestions(registry, progress), await planFocusResources(services, guildId, interaction.user.id, progress));
    await interaction.reply({ ...renderNextSuggestions(suggestions), flags: MessageFlags.Ephemeral });
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused();
    const { registry } = services;
    const matches = focused.trim() ? resourceIndexes(registry).resources.search(focused, 25).map((m) => m.item) : registry.resources.slice(0, 25);
    await interaction.respond(matches.map((r) => ({ name: r.title.slice(0, 100), value: r.id })));
  },
});
