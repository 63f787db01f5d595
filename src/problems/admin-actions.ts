/** Claim settings and the admin actions on other members' claims (release, pin). Changes need Manage Server. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { requireManageGuild } from '../discord/permissions.ts';
import { replyEphemeral } from '../discord/replies.ts';
import { sharedProblems, staleDueAt } from '../domain/claims.ts';
import { date, relative, renderSettings } from '../render/problem.ts';
import type { Services } from '../services.ts';
import { GuildSettings } from '../store/repos/guild-settings.ts';
import { plural } from '../render/text.ts';
import { bold, guildOf, ref, resolveProblem } from './context.ts';

export interface SettingsOptions {
  exclusive?: boolean | undefined;
  cap?: number | undefined;
  stale_days?: number | undefined;
  release_days?: number | undefined;
}

export async function settings(interaction: ChatInputCommandInteraction, options: SettingsOptions, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const patch: Partial<GuildSettings> = {};
  if (options.exclusive !== undefined) patch.claimsExclusive = options.exclusive;
  if (options.cap !== undefined) patch.claimCap = options.cap;
  if (options.stale_days !== undefined) patch.staleAfterDays = options.stale_days;
  if (options.release_days !== undefined) patch.releaseAfterDays = options.release_days;
  const changes = Object.keys(patch) as (keyof GuildSettings)[];
  if (changes.length === 0) {
    return replyEphemeral(interaction, renderSettings(await services.repos.guildSettings.get(guildId), ''));
  }
  if (!(await requireManageGuild(interaction))) return;
  // Discord enforces the ranges, but a replayed payload is checked against the stored schema before writing.
  for (const key of changes) {
    if (!GuildSettings.shape[key].safeParse(patch[key]).success) return replyEphemeral(interaction, `That value for ${key} is out of range.`);
  }
  const before = await services.repos.guildSettings.get(guildId);
  const after = await services.repos.guildSettings.update(guildId, patch);
  let notice = 'Saved.';
  if (after.claimsExclusive && !before.claimsExclusive) {
    const shared = sharedProblems((await services.repos.claims.openClaims(guildId)).claims).length;
    if (shared > 0) notice += ` ${plural(shared, 'problem')} already ${shared === 1 ? 'has' : 'have'} several active claims; those stay, and nobody new can join them.`;
  }
  services.log.info({ guildId, by: interaction.user.id, patch }, 'claim settings changed');
  await replyEphemeral(interaction, renderSettings(after, notice));
}

export async function release(interaction: ChatInputCommandInteraction, options: { id: string; member: { id: string } }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  if (!(await requireManageGuild(interaction))) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const target = options.member.id;
  const outcome = await services.repos.claims.release(guildId, ref(problem), target, interaction.user.id, services.clock.now());
  if (outcome.kind === 'no-claim') return replyEphemeral(interaction, `<@${target}> has no active claim on ${bold(problem)}.`);
  await replyEphemeral(interaction, `Released <@${target}>'s claim on ${bold(problem)}. The history records that you did.`);
}

export async function pin(interaction: ChatInputCommandInteraction, options: { id: string; member: { id: string }; pinned: boolean }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  if (!(await requireManageGuild(interaction))) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const target = options.member.id;
  const outcome = await services.repos.claims.pin(guildId, ref(problem), target, options.pinned, interaction.user.id, services.clock.now());
  const whose = `<@${target}>'s claim on ${bold(problem)}`;
  switch (outcome.kind) {
    case 'no-claim':
      return replyEphemeral(interaction, `<@${target}> has no active claim on ${bold(problem)}.`);
    case 'unchanged':
      return replyEphemeral(interaction, `${whose} is already ${options.pinned ? 'pinned' : 'not pinned'}.`);
    case 'pinned':
      return replyEphemeral(interaction, `Pinned ${whose}: it no longer goes stale or gets released.`);
    case 'unpinned': {
      const settings = await services.repos.guildSettings.get(guildId);
      const dueAt = staleDueAt(outcome.claim, settings);
      const when = dueAt <= services.clock.now() ? 'at the next sweep' : date(dueAt);
      return replyEphemeral(interaction, `Unpinned ${whose}. Without a check-in it turns stale ${when}, counted from their last check-in ${relative(outcome.claim.lastCheckinAt)}.`);
    }
  }
}

