/**
 * /problem: draw and read open problems, and keep every claim in this server honest and current.
 * This file is the command's definition and dispatch; the handlers live in src/problems/ by job:
 * cards.ts (random, show and the card's buttons), claim-actions.ts (claim, checkin, unclaim, done, mine, claims),
 * admin-actions.ts (settings, release, pin) and autocomplete.ts.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { deleteAnswer } from '../src/discord/delete-answer.ts';
import { CLAIM_LINK_MAX, CLAIM_NOTE_MAX } from '../src/domain/claims.ts';
import { problemSearch } from '../src/domain/problem-search.ts';
import { Difficulty } from '../src/registry/schema.ts';
import { renderCategoryChoices, renderProblemChoices } from '../src/render/problem.ts';
import { pin, release, settings } from '../src/problems/admin-actions.ts';
import { idChoices } from '../src/problems/autocomplete.ts';
import { cardComponents, random, show } from '../src/problems/cards.ts';
import { ClaimFilterArg, checkin, claim, claimsList, claimsPage, done, mine, unclaim } from '../src/problems/claim-actions.ts';
import { SNOWFLAKE, guildOf } from '../src/problems/context.ts';

const idOption = (description: string) =>
  ({ type: ApplicationCommandOptionType.String, name: 'id', description, required: true, autocomplete: true, max_length: 20 }) as const;
const noteOption = {
  type: ApplicationCommandOptionType.String,
  name: 'note',
  description: 'One line for the others: your angle, or where you are',
  max_length: CLAIM_NOTE_MAX,
} as const;
const memberOption = <R extends boolean>(description: string, required: R) =>
  ({ type: ApplicationCommandOptionType.User, name: 'member', description, required }) as const;
const dayOption = (name: string, description: string) =>
  ({ type: ApplicationCommandOptionType.Integer, name, description, min_value: 1, max_value: 365 }) as const;

const data = {
  name: 'problem',
  description: 'Pick, claim and track open problems in mech interp',
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'random',
      description: 'A random open problem, with who here is working on it',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'set',
          description: 'Only problems from this list',
          // Checked against data/problems.json by the unit tests, so a new set cannot be missed here.
          choices: [
            { name: '200 COP (200 Concrete Open Problems, 2022)', value: 'concrete-open-problems' },
            { name: 'Open Problems 2025', value: 'open-problems-2025' },
          ],
        },
        { type: ApplicationCommandOptionType.String, name: 'category', description: 'Only this category', autocomplete: true, max_length: 60 },
        {
          type: ApplicationCommandOptionType.String,
          name: 'difficulty',
          description: 'Only problems rated this (A easiest); unrated problems never match',
          choices: Difficulty.options.map((d) => ({ name: d, value: d })),
        },
        { type: ApplicationCommandOptionType.Boolean, name: 'unclaimed', description: 'Only problems nobody here is working on' },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'show',
      description: 'Show one problem, its claims here and its history',
      options: [idOption('Problem id such as 1.10 or OP-3, or words from it')],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'claim',
      description: 'Say you are working on a problem (claim again to change your intent)',
      options: [
        idOption('Problem id such as 1.10 or OP-3'),
        {
          type: ApplicationCommandOptionType.String,
          name: 'intent',
          description: 'How far in you are',
          required: true,
          choices: [
            { name: 'exploring', value: 'exploring' },
            { name: 'working on it', value: 'working' },
            { name: 'writing up', value: 'writing-up' },
          ],
        },
        noteOption,
        { type: ApplicationCommandOptionType.String, name: 'link', description: 'A repo, doc or notebook (http or https)', max_length: CLAIM_LINK_MAX },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'checkin',
      description: 'Keep your claim active (resets its clock)',
      options: [idOption('One of your claimed problems'), noteOption],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'unclaim',
      description: 'Release your claim on a problem',
      options: [idOption('One of your claimed problems')],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'done',
      description: 'Record your write-up; it shows on the problem as existing work here',
      options: [
        idOption('The problem you worked on'),
        { type: ApplicationCommandOptionType.String, name: 'link', description: 'Your write-up (http or https)', required: true, max_length: CLAIM_LINK_MAX },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'mine', description: 'Your claims and finished work in this server' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'claims',
      description: "This server's claims, page by page",
      options: [
        memberOption('Only this member’s claims', false),
        {
          type: ApplicationCommandOptionType.String,
          name: 'status',
          description: 'Which claims (default: current, that is active or stale)',
          choices: [
            { name: 'current (active or stale)', value: 'current' },
            { name: 'stale', value: 'stale' },
            { name: 'done', value: 'done' },
            { name: 'released', value: 'released' },
            { name: 'all', value: 'all' },
          ],
        },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'settings',
      description: 'Show the claim settings; Manage Server can change them',
      options: [
        { type: ApplicationCommandOptionType.Boolean, name: 'exclusive', description: 'One member per problem (default: shared)' },
        { type: ApplicationCommandOptionType.Integer, name: 'cap', description: 'Most active claims per member (default 3)', min_value: 1, max_value: 50 },
        dayOption('stale_days', 'Days without a check-in before a claim turns stale (default 21)'),
        dayOption('release_days', 'Further days before a stale claim is released (default 14)'),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'release',
      description: "Release a member's claim (Manage Server)",
      options: [idOption('The claimed problem'), memberOption('Whose claim', true)],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'pin',
      description: "Exempt a member's claim from going stale, or undo that (Manage Server)",
      options: [
        idOption('The claimed problem'),
        memberOption('Whose claim', true),
        { type: ApplicationCommandOptionType.Boolean, name: 'pinned', description: 'True to pin, false to unpin', required: true },
      ],
    },
  ],
} as const;

export default defineCommand({
  data,

  async execute(interaction, args, services) {
    switch (args.subcommand) {
      case 'random':
        return random(interaction, args.options, services);
      case 'show':
        return show(interaction, args.options, services);
      case 'claim':
        return claim(interaction, args.options, services);
      case 'checkin':
        return checkin(interaction, args.options, services);
      case 'unclaim':
        return unclaim(interaction, args.options, services);
      case 'done':
        return done(interaction, args.options, services);
      case 'mine':
        return mine(interaction, services);
      case 'claims':
        return claimsList(interaction, args.options, services);
      case 'settings':
        return settings(interaction, args.options, services);
      case 'release':
        return release(interaction, args.options, services);
      case 'pin':
        return pin(interaction, args.options, services);
    }
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'category') {
      const set = interaction.options.getString('set') ?? undefined;
      return interaction.respond(renderCategoryChoices(problemSearch(services.registry).categories(focused.value, set)));
    }
    return interaction.respond(renderProblemChoices(await idChoices(interaction, focused.value, services)));
  },

  components: {
    ...cardComponents,
    delete: deleteAnswer,
    /** Prev/Next on /problem claims (an ephemeral list, so whoever presses is its viewer). */
    claims: component({
      args: z.tuple([z.coerce.number().int().min(0).max(10_000), z.union([z.literal('-'), z.string().regex(SNOWFLAKE)]), ClaimFilterArg, z.enum(['p', 'n'])]),
      async run(interaction, [page, memberId, status], services) {
        if (!interaction.isButton()) return;
        const guildId = await guildOf(interaction);
        if (!guildId) return;
        await interaction.update(await claimsPage(guildId, { page, memberId: memberId === '-' ? undefined : memberId, status }, services));
      },
    }),
  },
});
