/**
 * /curate: a server's own material on top of the shipped registry (terms, resources, hidden shipped entries),
 * the suggestion queue, and export/import in the data/ formats. Curators are members with Manage Server or the
 * server's curator role, checked on every command, button and modal. The handlers live in src/curate/.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { replyEphemeral } from '../src/discord/replies.ts';
import { HiddenKind, isServerId } from '../src/domain/overlay.ts';
import { Level, ResourceKind } from '../src/registry/schema.ts';
import { decodeChoices, openResourceForm, openTermForm, removeServerEntry, saveResource, saveTerm } from '../src/curate/entries.ts';
import { approve, openEdit, queuePayload, reject, saveEdited } from '../src/curate/queue.ts';
import { requireCurator } from '../src/curate/permissions.ts';
import { confirmImport, exportOverlay, hide, importOverlay, setRole } from '../src/curate/transfer.ts';
import { curateAutocomplete } from '../src/curate/autocomplete.ts';
import { openProblemForm, removeProblem, saveProblem } from '../src/curate/problems.ts';
import { openTopicForm, removeTopic, saveTopic } from '../src/curate/topics.ts';

const action = { type: ApplicationCommandOptionType.String, name: 'action', description: 'What to do', required: true, choices: [{ name: 'add', value: 'add' }, { name: 'edit', value: 'edit' }, { name: 'remove', value: 'remove' }] } as const;
const entryId = (what: string) => ({ type: ApplicationCommandOptionType.String, name: 'id', description: `The server ${what} to edit or remove`, autocomplete: true, max_length: 100 }) as const;
const hideOptions = [
  { type: ApplicationCommandOptionType.String, name: 'kind', description: 'What kind of entry', required: true, choices: HiddenKind.options.map((k) => ({ name: k === 'set' ? 'problem set' : k, value: k })) },
  { type: ApplicationCommandOptionType.String, name: 'id', description: 'The shipped entry', required: true, autocomplete: true, max_length: 200 },
] as const;
const file = (name: string, required = false) => ({ type: ApplicationCommandOptionType.Attachment, name, description: 'A JSON file from /curate export or in the data/ formats', required }) as const;
const sid = z.tuple([z.coerce.number().int().positive()]);

export default defineCommand({
  data: {
    name: 'curate',
    description: 'Curate this server’s own resources and glossary terms (Manage Server or the curator role)',
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'term',
        description: 'Add, edit or remove one of this server’s glossary terms',
        options: [action, entryId('term')],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'resource',
        description: 'Add, edit or remove one of this server’s resources',
        options: [
          action,
          entryId('resource'),
          { type: ApplicationCommandOptionType.String, name: 'kind', description: 'Kind of resource (needed to add)', choices: ResourceKind.options.map((k) => ({ name: k, value: k })) },
          { type: ApplicationCommandOptionType.String, name: 'level', description: 'Level (needed to add)', choices: Level.options.map((l) => ({ name: l, value: l })) },
          { type: ApplicationCommandOptionType.String, name: 'topic', description: 'Topic (needed to add)', autocomplete: true, max_length: 60 },
          { type: ApplicationCommandOptionType.Integer, name: 'minutes', description: 'Rough time to work through it', min_value: 1, max_value: 100000 },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'problem',
        description: 'Add, edit or remove one of this server’s open problems',
        options: [action, entryId('problem')],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'topic',
        description: 'Add, edit or remove one of this server’s topics',
        options: [action, entryId('topic')],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'hide', description: 'Hide a shipped entry or problem set in this server (nothing is deleted)', options: hideOptions },
      { type: ApplicationCommandOptionType.Subcommand, name: 'unhide', description: 'Show a hidden shipped entry again', options: hideOptions },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'role',
        description: 'Set the curator role (leave empty for Manage Server only)',
        options: [{ type: ApplicationCommandOptionType.Role, name: 'role', description: 'Members with this role may curate' }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'queue', description: 'Work through members’ suggestions' },
      { type: ApplicationCommandOptionType.Subcommand, name: 'export', description: 'Download this server’s entries as data/ JSON files' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'import',
        description: 'Load entries from JSON files (a dry run first, then Confirm)',
        options: [file('file', true), file('file2'), file('file3'), file('file4'), file('file5')],
      },
    ],
  },

  // add and edit open a form; remove, hide, unhide and role answer with a message and stay deadline-guarded.
  opensModal: (interaction) => ['add', 'edit'].includes(interaction.options.getString('action') ?? ''),

  async execute(interaction, args, services) {
    if (!(await requireCurator(interaction, services))) return;
    switch (args.subcommand) {
      case 'term': {
        const { action: a, id } = args.options;
        if (a === 'remove') return removeServerEntry(interaction, services, 'term', id);
        return openTermForm(interaction, services, a, id);
      }
      case 'resource': {
        const { action: a, id, ...options } = args.options;
        if (a === 'remove') return removeServerEntry(interaction, services, 'resource', id);
        return openResourceForm(interaction, services, a, id, options);
      }
      case 'problem': {
        const { action: a, id } = args.options;
        if (a === 'remove') return removeProblem(interaction, services, id);
        return openProblemForm(interaction, services, a, id);
      }
      case 'topic': {
        const { action: a, id } = args.options;
        if (a === 'remove') return removeTopic(interaction, services, id);
        return openTopicForm(interaction, services, a, id);
      }
      case 'hide':
      case 'unhide': {
        const kind = HiddenKind.safeParse(args.options.kind);
        if (!kind.success) return replyEphemeral(interaction, 'Pick the kind from the list.');
        return hide(interaction, services, kind.data, args.options.id, args.subcommand === 'hide');
      }
      case 'role':
        return setRole(interaction, services, args.options.role?.id);
      case 'queue':
        return replyEphemeral(interaction, { ...(await queuePayload(services, interaction.guildId!)) });
      case 'export':
        return exportOverlay(interaction, services);
      case 'import':
        return importOverlay(interaction, services);
    }
  },

  autocomplete: curateAutocomplete,

  components: {
    tadd: component({
      args: z.tuple([]),
      async run(interaction, _args, services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveTerm(interaction, services);
      },
    }),
    tedit: component({
      args: z.tuple([z.string().refine(isServerId)]),
      async run(interaction, [id], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveTerm(interaction, services, id);
      },
    }),
    radd: component({
      args: z.tuple([z.string(), z.string(), z.string(), z.string()]),
      async run(interaction, [kind, level, topic, minutes], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        const choices = decodeChoices(kind, level, topic, minutes);
        if (!choices) return replyEphemeral(interaction, 'This form is out of date. Run /curate resource again.');
        await saveResource(interaction, services, choices);
      },
    }),
    redit: component({
      args: z.tuple([z.string().refine(isServerId), z.string(), z.string(), z.string(), z.string()]),
      async run(interaction, [id, kind, level, topic, minutes], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        const choices = decodeChoices(kind, level, topic, minutes);
        if (!choices) return replyEphemeral(interaction, 'This form is out of date. Run /curate resource again.');
        await saveResource(interaction, services, choices, id);
      },
    }),
    padd: component({
      args: z.tuple([]),
      async run(interaction, _args, services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveProblem(interaction, services);
      },
    }),
    pedit: component({
      args: z.tuple([z.string().regex(/^SRV-\d{1,6}$/)]),
      async run(interaction, [id], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveProblem(interaction, services, id);
      },
    }),
    oadd: component({
      args: z.tuple([]),
      async run(interaction, _args, services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveTopic(interaction, services);
      },
    }),
    oedit: component({
      args: z.tuple([z.string().refine(isServerId)]),
      async run(interaction, [id], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveTopic(interaction, services, id);
      },
    }),
    qok: component({
      args: sid,
      async run(interaction, [id], services) {
        if (!interaction.isButton() || !(await requireCurator(interaction, services))) return;
        await approve(interaction, services, id);
      },
    }),
    qno: component({
      args: sid,
      async run(interaction, [id], services) {
        if (!interaction.isButton() || !(await requireCurator(interaction, services))) return;
        await reject(interaction, services, id);
      },
    }),
    qedit: component({
      args: sid,
      opensModal: true,
      async run(interaction, [id], services) {
        if (!interaction.isButton() || !(await requireCurator(interaction, services))) return;
        await openEdit(interaction, services, id);
      },
    }),
    qsave: component({
      args: sid,
      async run(interaction, [id], services) {
        if (!interaction.isModalSubmit() || !(await requireCurator(interaction, services))) return;
        await saveEdited(interaction, services, id);
      },
    }),
    iok: component({
      args: z.tuple([z.string().regex(/^[a-f0-9]{8,32}$/)]),
      async run(interaction, [token], services) {
        if (!interaction.isButton() || !(await requireCurator(interaction, services))) return;
        await confirmImport(interaction, services, token, true);
      },
    }),
    ino: component({
      args: z.tuple([z.string().regex(/^[a-f0-9]{8,32}$/)]),
      async run(interaction, [token], services) {
        if (!interaction.isButton() || !(await requireCurator(interaction, services))) return;
        await confirmImport(interaction, services, token, false);
      },
    }),
  },
});
