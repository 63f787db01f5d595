/**
 * /glossary lookup and /glossary random: instant, typo-tolerant jargon lookup that links on to what to read.
 * Answers are public by default so they can be shared in discussion; `private` makes them ephemeral.
 */
import { ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { MessageFlags, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { customId } from '../src/discord/custom-id.ts';
import { deleteAnswer } from '../src/discord/delete-answer.ts';
import { glossarySearch } from '../src/domain/glossary-search.ts';
import { explainPasted } from '../src/glossary/explain.ts';
import { renderDidYouMean, renderTermCard, renderTermChoices } from '../src/render/glossary.ts';
import type { GlossaryTerm } from '../src/registry/schema.ts';
import type { Services } from '../src/services.ts';
import { FLASHCARD_SUBCOMMANDS, flashcardAutocomplete, isFlashcardAutocomplete, runFlashcardCommand } from '../src/flashcards/commands.ts';
import { flashcardComponents } from '../src/flashcards/components.ts';

const privateOption = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'private',
  description: 'Only you see the answer (default: everyone in the channel)',
} as const;

const messageUrl = (guildId: string | null, channelId: string, messageId: string) =>
  `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;

/** Sends a term card: publicly (with the per-channel cooldown) or privately. */
async function answer(interaction: RepliableInteraction, term: GlossaryTerm, isPrivate: boolean, services: Services): Promise<void> {
  const viewerId = interaction.user.id;
  const card = renderTermCard(services.registry, term, viewerId, isPrivate ? {} : { publicOwner: viewerId });
  const now = services.clock.now();
  const channelId = interaction.channelId;
  if (!isPrivate && channelId) {
    const recent = services.recentAnswers.find(channelId, term.id, now);
    if (recent) {
      await replyEphemeral(interaction, {
        content: `**${term.term}** was explained in this channel just now: ${recent}`,
        components: [
          {
            type: ComponentType.ActionRow,
            components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Show me a private copy', custom_id: customId('glossary', 'show', term.id, true) }],
          },
        ],
      });
      return;
    }
  }
  if (isPrivate) {
    await interaction.reply({ ...card, flags: MessageFlags.Ephemeral });
    return;
  }
  const response = await interaction.reply({ ...card, withResponse: true });
  const message = response.resource?.message;
  if (channelId && message) services.recentAnswers.record(channelId, term.id, messageUrl(interaction.guildId, channelId, message.id), now);
}

async function lookup(interaction: ChatInputCommandInteraction, query: string, isPrivate: boolean, services: Services) {
  if (query.trim() === '') {
    await replyEphemeral(interaction, 'Type a term to look up, for example `induction head` or `DLA`.');
    return;
  }
  const search = glossarySearch(services.registry);
  const term = search.resolve(query);
  if (term) return answer(interaction, term, isPrivate, services);
  // A miss is always private: nobody else needs to see a typo.
  const suggestions = search.didYouMean(query);
  await interaction.reply({ ...renderDidYouMean(quote(query, 60), suggestions, isPrivate), flags: MessageFlags.Ephemeral });
}

export default defineCommand({
  data: {
    name: 'glossary',
    description: 'Look up mech interp jargon',
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'lookup',
        description: 'Explain a term, with what to read next',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'term',
            description: 'A term or abbreviation, e.g. induction head, DLA, SAE',
            required: true,
            autocomplete: true,
            max_length: 100,
          },
          privateOption,
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'random',
        description: 'A random term to learn',
        options: [privateOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'explain',
        description: 'Explain every glossary term in a piece of text',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'text', description: 'Paste the text (up to 2,000 characters)', required: true, max_length: 2000 },
          privateOption,
        ],
      },
      ...FLASHCARD_SUBCOMMANDS,
    ],
  },

  async execute(interaction, args, services) {
    const sub = args.subcommand;
    if (sub === 'quiz' || sub === 'review' || sub === 'stats' || sub === 'remind' || sub === 'settings') return runFlashcardCommand(interaction, args, services);
    const isPrivate = args.options.private ?? false;
    if (args.subcommand === 'lookup') return lookup(interaction, args.options.term, isPrivate, services);
    if (args.subcommand === 'explain') return explainPasted(interaction, args.options.text, isPrivate, services);
    const terms = services.registry.terms;
    const term = terms[Math.floor(Math.random() * terms.length)]!;
    return answer(interaction, term, isPrivate, services);
  },

  async autocomplete(interaction, services) {
    if (isFlashcardAutocomplete(interaction)) return flashcardAutocomplete(interaction, services);
    const focused = interaction.options.getFocused();
    await interaction.respond(renderTermChoices(glossarySearch(services.registry).suggest(focused)));
  },

  components: {
    ...flashcardComponents,
    /** Select menu on a card: opens a related term in place for the viewer, or as a private copy for anyone else. */
    open: component({
      args: z.tuple([z.string().regex(/^\d{1,20}$/)]),
      async run(interaction, [viewerId], services) {
        if (!interaction.isStringSelectMenu()) return;
        const term = services.registry.termById.get(interaction.values[0] ?? '');
        if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary.');
        if (interaction.user.id === viewerId) {
          // In place: a public card keeps its Delete button (only the asker can open terms in place).
          const isPublic = !interaction.message.flags.has(MessageFlags.Ephemeral);
          await interaction.update(renderTermCard(services.registry, term, viewerId, isPublic ? { publicOwner: viewerId } : {}));
        } else {
          await interaction.reply({ ...renderTermCard(services.registry, term, interaction.user.id), flags: MessageFlags.Ephemeral });
        }
      },
    }),
    /** Full definition: expands the card in place for whoever asked, or as a private copy for anyone else. */
    full: component({
      args: z.tuple([z.string().min(1), z.string().regex(/^\d{1,20}$/)]),
      async run(interaction, [termId, viewerId], services) {
        if (!interaction.isButton()) return;
        const term = services.registry.termById.get(termId);
        if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary.');
        if (interaction.user.id === viewerId) {
          const isPublic = !interaction.message.flags.has(MessageFlags.Ephemeral);
          await interaction.update(renderTermCard(services.registry, term, viewerId, { full: true, ...(isPublic ? { publicOwner: viewerId } : {}) }));
        } else {
          await interaction.reply({ ...renderTermCard(services.registry, term, interaction.user.id, { full: true }), flags: MessageFlags.Ephemeral });
        }
      },
    }),
    delete: deleteAnswer,
    /** A did-you-mean button. */
    show: component({
      args: z.tuple([z.string().min(1), z.enum(['0', '1'])]),
      async run(interaction, [termId, isPrivate], services) {
        const term = services.registry.termById.get(termId);
        if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary.');
        if (!interaction.isRepliable()) return;
        await answer(interaction, term, isPrivate === '1', services);
      },
    }),
  },
});
