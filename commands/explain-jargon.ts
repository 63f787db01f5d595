/**
 * "Explain jargon": a message context-menu command (right-click or long-press a message → Apps → Explain jargon).
 * It lists, privately and in message order, every glossary term in the message with its one-line gist, and a menu
 * that opens any of them as a full card. /glossary explain does the same for pasted text (src/glossary/explain.ts).
 */
import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { MessageFlags } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { replyEphemeral } from '../src/discord/replies.ts';
import { explainMessage } from '../src/glossary/explain.ts';
import { renderTermCard } from '../src/render/glossary.ts';
import { EXPLAIN_JARGON_COMMAND } from '../src/render/jargon.ts';

export default defineCommand({
  data: {
    type: ApplicationCommandType.Message,
    name: EXPLAIN_JARGON_COMMAND,
  } as const satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody,

  async execute(interaction, _args, services) {
    await interaction.reply({ ...explainMessage(services.registry, interaction.targetMessage), flags: MessageFlags.Ephemeral });
  },

  components: {
    /** The menu under a jargon list: opens the picked term's card privately, leaving the list in place. */
    open: component({
      args: z.tuple([]),
      async run(interaction, _args, services) {
        if (!interaction.isStringSelectMenu()) return;
        const term = services.registry.termById.get(interaction.values[0] ?? '');
        if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary.');
        await interaction.reply({ ...renderTermCard(services.registry, term, interaction.user.id), flags: MessageFlags.Ephemeral });
      },
    }),
  },
});
