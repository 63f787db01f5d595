/**
 * /problem random and /problem show, and the buttons on a problem card: Claim, Check in, Another one, Show terms,
 * About this list, and opening a problem from a menu or a did-you-mean button.
 * Cards are public so a group can discuss them; everything else answers privately.
 */
import { MessageFlags, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import { z } from 'zod';
import { component } from '../discord/command.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { staleDueAt } from '../domain/claims.ts';
import { drawProblem, matchProblems, problemSearch, relaxations, type RandomFilters } from '../domain/problem-search.ts';
import { Difficulty } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import {
  INTENT_LABEL,
  capText,
  date,
  othersText,
  renderAboutSet,
  renderNoMatch,
  renderProblemCard,
  renderProblemEmbed,
  renderTermsCard,
  takenText,
  type DrawState,
} from '../render/problem.ts';
import type { Services } from '../services.ts';
import { DEFAULT_GUILD_SETTINGS } from '../store/repos/guild-settings.ts';
import { PROBLEM_ID, SNOWFLAKE, bold, cardContext, claimedKeys, guildOf, problemFromComponent, ref, resolveProblem } from './context.ts';
import { plural } from '../render/text.ts';

export interface RandomOptions {
  set?: string | undefined;
  category?: string | undefined;
  difficulty?: string | undefined;
  unclaimed?: boolean | undefined;
}

/** Draws a problem for `viewerId`; answers ephemerally which filter to relax when nothing matches. */
async function draw(interaction: RepliableInteraction, filters: RandomFilters, viewerId: string, services: Services, options: { avoid?: string; isPublic: boolean }) {
  const guildId = interaction.inGuild() ? interaction.guildId : null;
  const open = guildId ? await services.repos.claims.openClaims(guildId) : null;
  const claimed = claimedKeys(open);
  const problems = services.registry.problems;
  const problem = drawProblem(matchProblems(problems, filters, claimed), Math.random, options.avoid);
  if (!problem) {
    await replyEphemeral(interaction, renderNoMatch(services.registry, filters, relaxations(problems, filters, claimed)));
    return null;
  }
  const [claims, settings] = guildId && open
    ? await Promise.all([services.repos.claims.forProblem(guildId, ref(problem), open), services.repos.guildSettings.get(guildId)])
    : [null, DEFAULT_GUILD_SETTINGS];
  const state: DrawState = { ...filters, viewerId, current: problem.id };
  return renderProblemCard({ registry: services.registry, problem, claims, settings }, state, options.isPublic ? { publicOwner: viewerId } : {});
}

export async function random(interaction: ChatInputCommandInteraction, options: RandomOptions, services: Services) {
  const { registry } = services;
  const search = problemSearch(registry);
  // Choices are enforced by Discord, but a stale client or a replayed payload can still send anything.
  if (options.set !== undefined && !registry.setById.has(options.set)) {
    return replyEphemeral(interaction, `Unknown set "${quote(options.set)}". Pick one from the list.`);
  }
  if (options.difficulty !== undefined && !Difficulty.safeParse(options.difficulty).success) {
    return replyEphemeral(interaction, `Unknown difficulty "${quote(options.difficulty)}". Pick A, B, C or D.`);
  }
  let category: string | undefined;
  if (options.category !== undefined) {
    const found = search.resolveCategory(options.category, options.set);
    if (!found) {
      const near = search.categories(options.category, options.set).slice(0, 3);
      const where = options.set ? ` in ${registry.setById.get(options.set)!.shortTitle}` : '';
      // Nothing close: list the categories there are (a dozen or so), so the member can pick one.
      const all = search.categories('', options.set);
      const hint =
        near.length > 0
          ? ` Did you mean: ${near.map((c) => `**${c.id}. ${c.name}**`).join(', ')}?`
          : ` The categories are: ${all.map((c) => `${c.id}. ${c.name}`).join(' · ')}. Pick one from the list as you type.`;
      return replyEphemeral(interaction, `No category "${quote(options.category)}"${where}.${hint}`);
    }
    category = found.id;
  }
  const filters: RandomFilters = { set: options.set, category, difficulty: options.difficulty as Difficulty | undefined, unclaimed: options.unclaimed ?? false };
  const card = await draw(interaction, filters, interaction.user.id, services, { isPublic: true });
  if (card) await interaction.reply(card);
}

export async function show(interaction: ChatInputCommandInteraction, options: { id: string }, services: Services) {
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const context = await cardContext(services, problem, interaction.inGuild() ? interaction.guildId : null);
  await interaction.reply(renderProblemCard(context, undefined, { viewerId: interaction.user.id, publicOwner: interaction.user.id }));
}

/** A problem card, privately, for whoever asked (a did-you-mean button or a menu). */
async function privateCard(interaction: RepliableInteraction, problemId: string, services: Services) {
  const problem = await problemFromComponent(interaction, problemId, services);
  if (!problem) return;
  const context = await cardContext(services, problem, interaction.inGuild() ? interaction.guildId : null);
  await replyEphemeral(interaction, renderProblemCard(context, undefined, { viewerId: interaction.user.id }));
}

export const cardComponents = {
  /** Claim on a card: claims for whoever pressed it, as "exploring"; refreshes the card for everyone. */
  claim: component({
    args: z.tuple([z.string().regex(PROBLEM_ID)]),
    async run(interaction, [problemId], services) {
      if (!interaction.isButton()) return;
      const guildId = await guildOf(interaction);
      if (!guildId) return;
      const problem = await problemFromComponent(interaction, problemId, services);
      if (!problem) return;
      const settings = await services.repos.guildSettings.get(guildId);
      const request = { problem: ref(problem), userId: interaction.user.id, intent: 'exploring' as const, note: null, link: null, onExisting: 'keep' as const };
      const outcome = await services.repos.claims.claim(guildId, request, settings, services.clock.now());
      switch (outcome.kind) {
        case 'taken':
          return replyEphemeral(interaction, takenText(problem.id, outcome.holder, settings));
        case 'cap':
          return replyEphemeral(interaction, capText(outcome.cap, outcome.current));
        case 'already':
          return replyEphemeral(
            interaction,
            `You already claim ${bold(problem)} (${INTENT_LABEL[outcome.claim.intent]}, since ${date(outcome.claim.claimedAt)}). Check in with ${cmd('problem checkin')}, or change your intent with ${cmd('problem claim')}.`,
          );
        case 'claimed': {
          // Only the embed changes, so the buttons (and the draw's filters) stay as they were for everyone else.
          await interaction.update({ embeds: [renderProblemEmbed(await cardContext(services, problem, guildId))] });
          const text = `You claimed ${bold(problem)} as exploring.${othersText(outcome.others)} If you are working on it or mentoring instead, say so with ${cmd('problem claim')} (intent), and check in with ${cmd('problem checkin')} at least every ${plural(settings.staleAfterDays, 'day')}.`;
          return replyEphemeral(interaction, text);
        }
      }
    },
  }),
  /** Check in, offered instead of Claim to someone who already claims the problem. */
  checkin: component({
    args: z.tuple([z.string().regex(PROBLEM_ID)]),
    async run(interaction, [problemId], services) {
      if (!interaction.isButton()) return;
      const guildId = await guildOf(interaction);
      if (!guildId) return;
      const problem = await problemFromComponent(interaction, problemId, services);
      if (!problem) return;
      const outcome = await services.repos.claims.checkin(guildId, ref(problem), interaction.user.id, null, services.clock.now());
      if (outcome.kind === 'no-claim') return replyEphemeral(interaction, `You have no active claim on ${bold(problem)}. Press Claim on a card, or use ${cmd('problem claim')}.`);
      const settings = await services.repos.guildSettings.get(guildId);
      const next = outcome.claim.pinned ? 'It is pinned, so it does not go stale.' : `It stays active until ${date(staleDueAt(outcome.claim, settings))}.`;
      await replyEphemeral(interaction, `Checked in on ${bold(problem)}.${outcome.wasStale ? ' It was stale and is active again.' : ''} ${next}`);
    },
  }),
  /** Another one: a new draw with the same filters; in place for whoever drew, as a private card for anyone else. */
  another: component({
    args: z.tuple([z.string().regex(SNOWFLAKE), z.string().regex(PROBLEM_ID), z.string(), z.string(), z.enum(['A', 'B', 'C', 'D', '-']), z.enum(['0', '1'])]),
    async run(interaction, [viewerId, current, set, category, difficulty, unclaimed], services) {
      if (!interaction.isButton()) return;
      const filters: RandomFilters = {
        set: set === '-' ? undefined : set,
        category: category === '-' ? undefined : category,
        difficulty: difficulty === '-' ? undefined : difficulty,
        unclaimed: unclaimed === '1',
      };
      const mineToChange = interaction.user.id === viewerId;
      const isPublic = mineToChange && !interaction.message.flags.has(MessageFlags.Ephemeral);
      const card = await draw(interaction, filters, interaction.user.id, services, { avoid: current, isPublic });
      if (!card) return;
      if (mineToChange) await interaction.update(card);
      else await interaction.reply({ ...card, flags: MessageFlags.Ephemeral });
    },
  }),
  /** Show terms: the problem's glossary terms as one-line gists, privately, with a menu to open each. */
  terms: component({
    args: z.tuple([z.string().regex(PROBLEM_ID)]),
    async run(interaction, [problemId], services) {
      const problem = await problemFromComponent(interaction, problemId, services);
      if (!problem) return;
      await replyEphemeral(interaction, renderTermsCard(services.registry, problem, interaction.user.id));
    },
  }),
  /** About this list: the list's caveat and numbering note, once, privately. */
  about: component({
    args: z.tuple([z.string().min(1)]),
    async run(interaction, [setId], services) {
      const set = services.registry.setById.get(setId);
      if (!set) return replyEphemeral(interaction, 'That list is no longer in the registry.');
      await replyEphemeral(interaction, renderAboutSet(services.registry, set));
    },
  }),
  /** A did-you-mean suggestion: the card, privately, where the question was asked. */
  show: component({
    args: z.tuple([z.string().regex(PROBLEM_ID)]),
    async run(interaction, [problemId], services) {
      await privateCard(interaction, problemId, services);
    },
  }),
  /** "Open a problem" menus (glossary cards, claim lists): the card, privately. */
  pick: component({
    args: z.tuple([]),
    async run(interaction, _args, services) {
      if (!interaction.isStringSelectMenu()) return;
      await privateCard(interaction, interaction.values[0] ?? '', services);
    },
  }),
};
