/** What every /problem handler shares: finding the problem a member typed, and loading what its card shows. */
import type { RepliableInteraction } from 'discord.js';
import { requireGuild } from '../discord/permissions.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { isCurrent, type GuildClaims, type ProblemRef } from '../domain/claims.ts';
import { problemSearch } from '../domain/problem-search.ts';
import { problemKey } from '../registry/load.ts';
import type { Problem } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import { renderProblemDidYouMean, type CardContext } from '../render/problem.ts';
import type { Services } from '../services.ts';
import { DEFAULT_GUILD_SETTINGS } from '../store/repos/guild-settings.ts';

export const SNOWFLAKE = /^\d{1,20}$/;
export const PROBLEM_ID = /^[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*$/;

export const ref = (problem: Problem): ProblemRef => ({ set: problem.set, problemId: problem.id });
export const bold = (problem: Problem) => `**${problem.id}**`;

/** Claims live per server: the guild id, or null after telling the member to use a server. */
export async function guildOf(interaction: RepliableInteraction): Promise<string | null> {
  return (await requireGuild(interaction)) ? interaction.guildId : null;
}

/** The problem a typed id names, or an ephemeral did-you-mean. */
export async function resolveProblem(interaction: RepliableInteraction, raw: string, services: Services): Promise<Problem | null> {
  const search = problemSearch(services.registry);
  const problem = search.byId(raw);
  if (problem) return problem;
  if (raw.trim() === '') {
    await replyEphemeral(interaction, `Type a problem id such as 1.10 or OP-3, or words from it, and pick from the list in ${cmd('problem show')}.`);
    return null;
  }
  await replyEphemeral(interaction, renderProblemDidYouMean(quote(raw, 40), search.didYouMean(raw)));
  return null;
}

/** A problem named by a component's custom_id; answers privately when it has left the registry. */
export async function problemFromComponent(interaction: RepliableInteraction, problemId: string, services: Services): Promise<Problem | null> {
  const problem = problemSearch(services.registry).byId(problemId);
  if (!problem) await replyEphemeral(interaction, 'That problem is no longer in the list.');
  return problem ?? null;
}

export async function cardContext(services: Services, problem: Problem, guildId: string | null): Promise<CardContext> {
  const [claims, settings] = guildId
    ? await Promise.all([services.repos.claims.forProblem(guildId, ref(problem)), services.repos.guildSettings.get(guildId)])
    : [null, DEFAULT_GUILD_SETTINGS];
  return { registry: services.registry, problem, claims, settings };
}

export const claimedKeys = (claims: GuildClaims | null) =>
  new Set((claims?.claims ?? []).filter(isCurrent).map((c) => problemKey(c.set, c.problemId)));
