/**
 * /suggest term|resource: any member proposes an entry for this server's curators (see src/curate/queue.ts).
 * Rate-limited per member; the outcome arrives by DM, or with their next /suggest when DMs are closed.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { Level, ResourceKind } from '../src/registry/schema.ts';
import { openSuggestion, submitSuggestion } from '../src/curate/queue.ts';
import { curateAutocomplete } from '../src/curate/autocomplete.ts';

export default defineCommand({
  data: {
    name: 'suggest',
    description: 'Suggest a glossary term or a resource for this server',
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.Subcommand, name: 'term', description: 'Suggest a glossary term (opens a form)' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'resource',
        description: 'Suggest a resource (opens a form)',
        options: [
          { type: ApplicationCommandOptionType.String, name: 'kind', description: 'Kind of resource', required: true, choices: ResourceKind.options.map((k) => ({ name: k, value: k })) },
          { type: ApplicationCommandOptionType.String, name: 'level', description: 'Level', required: true, choices: Level.options.map((l) => ({ name: l, value: l })) },
          { type: ApplicationCommandOptionType.String, name: 'topic', description: 'Topic', required: true, autocomplete: true, max_length: 60 },
          { type: ApplicationCommandOptionType.Integer, name: 'minutes', description: 'Rough time to work through it', min_value: 1, max_value: 100000 },
        ],
      },
    ],
  },

  opensModal: true,

  async execute(interaction, args, services) {
    if (args.subcommand === 'term') return openSuggestion(interaction, services, 'term', {});
    return openSuggestion(interaction, services, 'resource', args.options);
  },

  autocomplete: curateAutocomplete,

  components: {
    term: component({
      args: z.tuple([]),
      async run(interaction, _args, services) {
        if (!interaction.isModalSubmit()) return;
        await submitSuggestion(interaction, services, 'term', []);
      },
    }),
    res: component({
      args: z.tuple([z.string(), z.string(), z.string(), z.string()]),
      async run(interaction, parts, services) {
        if (!interaction.isModalSubmit()) return;
        await submitSuggestion(interaction, services, 'resource', parts);
      },
    }),
  },
});
