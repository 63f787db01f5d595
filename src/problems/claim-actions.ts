/** The member's own claim actions: claim, check in, unclaim, done, and the lists (mine, claims). All private. */
import type { ChatInputCommandInteraction, RepliableInteraction } from 'discord.js';
import { z } from 'zod';
import { replyEphemeral } from '../discord/replies.ts';
import { CLAIM_FILTERS, listClaims, parseLink, parseNote, staleDueAt } from '../domain/claims.ts';
import type { Problem } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import {
  INTENT_LABEL,
  capText,
  date,
  othersText,
  renderClaimed,
  renderClaimsPage,
  renderMyClaims,
  renderProblemEmbed,
  takenText,
  type ClaimsPageState,
} from '../render/problem.ts';
import type { Services } from '../services.ts';
import { ClaimIntent, CLAIM_INTENTS, type Decided } from '../store/repos/claims.ts';
import type { GuildSettings } from '../store/repos/guild-settings.ts';
import { bold, guildOf, ref, resolveProblem } from './context.ts';

export interface ClaimOptions {
  id: string;
  intent: string;
  note?: string | undefined;
  link?: string | undefined;
}

export async function claim(interaction: ChatInputCommandInteraction, options: ClaimOptions, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const intent = ClaimIntent.safeParse(options.intent);
  if (!intent.success) return replyEphemeral(interaction, `Intent must be one of: ${CLAIM_INTENTS.join(', ')}.`);
  const note = parseNote(options.note);
  if (!note.ok) return replyEphemeral(interaction, note.error);
  const link = options.link === undefined ? ({ ok: true, value: null } as const) : parseLink(options.link);
  if (!link.ok) return replyEphemeral(interaction, link.error);

  const settings = await services.repos.guildSettings.get(guildId);
  const request = { problem: ref(problem), userId: interaction.user.id, intent: intent.data, note: note.value, link: link.value, onExisting: 'update' as const };
  // The reply is built while the claim is being stored, and sent once it is (a failed write sends none).
  const decided = await services.repos.claims.claimDecided(guildId, request, settings, services.clock.now());
  const { outcome } = decided;
  switch (outcome.kind) {
    case 'taken':
      return replyEphemeral(interaction, takenText(problem.id, outcome.holder, settings));
    case 'cap':
      return replyEphemeral(interaction, capText(outcome.cap, outcome.current));
    case 'claimed': {
      const text = `You claimed ${bold(problem)} (${INTENT_LABEL[outcome.claim.intent]}).${othersText(outcome.others)} Check in with ${cmd('problem checkin')} at least every ${settings.staleAfterDays} days to keep it active.`;
      return replyClaimed(interaction, problem, text, services, settings, decided);
    }
    case 'already': {
      const { previous, claim: updated } = outcome;
      const change = previous.intent !== updated.intent ? ` Intent changed from ${INTENT_LABEL[previous.intent]} to ${INTENT_LABEL[updated.intent]}.` : '';
      const text = `You already had a claim on ${bold(problem)}, since ${date(previous.claimedAt)}.${change} This counts as a check-in.${othersText(outcome.others)}`;
      return replyClaimed(interaction, problem, text, services, settings, decided);
    }
  }
}

/**
 * A private confirmation with the problem's card as it is after the change, so the member sees who else is on it.
 * It is sent only once the change is saved.
 */
export async function replyClaimed(
  interaction: RepliableInteraction,
  problem: Problem,
  text: string,
  services: Services,
  settings: GuildSettings,
  change: Pick<Decided<unknown>, 'card' | 'saved'>,
) {
  const claims = await change.card(ref(problem));
  const payload = renderClaimed(renderProblemEmbed({ registry: services.registry, problem, claims, settings }), text);
  await change.saved;
  await replyEphemeral(interaction, payload);
}

const noClaim = (problem: Problem) => `You have no active claim on ${bold(problem)}. See yours with ${cmd('problem mine')}, or claim it with ${cmd('problem claim')}.`;

export async function checkin(interaction: ChatInputCommandInteraction, options: { id: string; note?: string | undefined }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const note = parseNote(options.note);
  if (!note.ok) return replyEphemeral(interaction, note.error);
  const outcome = await services.repos.claims.checkin(guildId, ref(problem), interaction.user.id, note.value, services.clock.now());
  if (outcome.kind === 'no-claim') return replyEphemeral(interaction, noClaim(problem));
  const settings = await services.repos.guildSettings.get(guildId);
  const revived = outcome.wasStale ? ' It was stale and is active again.' : '';
  const next = outcome.claim.pinned
    ? 'It is pinned, so it does not go stale.'
    : `It stays active until ${date(staleDueAt(outcome.claim, settings))} (${settings.staleAfterDays} days without a check-in).`;
  await replyEphemeral(interaction, `Checked in on ${bold(problem)}.${revived} ${next}`);
}

export async function unclaim(interaction: ChatInputCommandInteraction, options: { id: string }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const outcome = await services.repos.claims.unclaim(guildId, ref(problem), interaction.user.id, services.clock.now());
  if (outcome.kind === 'no-claim') return replyEphemeral(interaction, noClaim(problem));
  await replyEphemeral(interaction, `Released your claim on ${bold(problem)}. It stays in the problem's history.`);
}

export async function done(interaction: ChatInputCommandInteraction, options: { id: string; link: string }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const problem = await resolveProblem(interaction, options.id, services);
  if (!problem) return;
  const link = parseLink(options.link);
  if (!link.ok) return replyEphemeral(interaction, link.error);
  const outcome = await services.repos.claims.done(guildId, ref(problem), interaction.user.id, link.value, services.clock.now());
  const text =
    outcome.kind === 'link-updated'
      ? `Updated your write-up link for ${bold(problem)}.`
      : `Recorded your write-up for ${bold(problem)}${outcome.claimed ? ' and closed your claim' : ''}. It now shows on the problem as existing work in this server.`;
  const settings = await services.repos.guildSettings.get(guildId);
  await replyClaimed(interaction, problem, text, services, settings, saved(services, guildId));
}

/** For a change already stored: the card as stored now. */
const saved = (services: Services, guildId: string): Pick<Decided<unknown>, 'card' | 'saved'> => ({
  saved: Promise.resolve(),
  card: (problem) => services.repos.claims.forProblem(guildId, problem),
});

export async function mine(interaction: ChatInputCommandInteraction, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const [claims, settings] = await Promise.all([services.repos.claims.forMember(guildId, interaction.user.id), services.repos.guildSettings.get(guildId)]);
  await replyEphemeral(interaction, renderMyClaims(services.registry, claims, interaction.user.id, settings));
}

export const ClaimFilterArg = z.enum(CLAIM_FILTERS);

export async function claimsPage(guildId: string, state: ClaimsPageState, services: Services) {
  // Open claims are one small record; closed ones need the whole log.
  const openOnly = state.status === 'current' || state.status === 'stale';
  const [claims, settings] = await Promise.all([
    openOnly ? services.repos.claims.openClaims(guildId) : services.repos.claims.guild(guildId),
    services.repos.guildSettings.get(guildId),
  ]);
  const list = listClaims(claims.claims, { userId: state.memberId, status: state.status });
  return renderClaimsPage(services.registry, list, state, settings);
}

export async function claimsList(interaction: ChatInputCommandInteraction, options: { member?: { id: string } | undefined; status?: string | undefined }, services: Services) {
  const guildId = await guildOf(interaction);
  if (!guildId) return;
  const status = ClaimFilterArg.safeParse(options.status ?? 'current');
  if (!status.success) return replyEphemeral(interaction, `Status must be one of: ${CLAIM_FILTERS.join(', ')}.`);
  await replyEphemeral(interaction, await claimsPage(guildId, { page: 0, memberId: options.member?.id, status: status.data }, services));
}

