/** Autocomplete for /problem ids: claim-scoped subcommands offer the member's own claims first. */
import type { AutocompleteInteraction } from 'discord.js';
import { isCurrent } from '../domain/claims.ts';
import { problemSearch } from '../domain/problem-search.ts';
import { problemKey } from '../registry/load.ts';
import type { Problem } from '../registry/schema.ts';
import type { Services } from '../services.ts';

/** Subcommands whose id can only be one of the member's own current claims (or, for admins, anyone's). */
const OWN_CLAIM_SUBCOMMANDS = new Set(['checkin', 'unclaim', 'done']);
const ANY_CLAIM_SUBCOMMANDS = new Set(['release', 'pin']);

export async function idChoices(interaction: AutocompleteInteraction, query: string, services: Services): Promise<Problem[]> {
  const search = problemSearch(services.registry);
  const subcommand = interaction.options.getSubcommand(false) ?? '';
  const claimScoped = OWN_CLAIM_SUBCOMMANDS.has(subcommand) || ANY_CLAIM_SUBCOMMANDS.has(subcommand);
  if (!claimScoped || !interaction.inGuild()) return search.suggest(query);
  const state = await services.repos.claims.openClaims(interaction.guildId);
  const memberId = ANY_CLAIM_SUBCOMMANDS.has(subcommand) ? (interaction.options.get('member')?.value as string | undefined) : interaction.user.id;
  const keys = new Set(
    state.claims.filter((c) => isCurrent(c) && (memberId === undefined || c.userId === memberId)).map((c) => problemKey(c.set, c.problemId)),
  );
  const claimed = (query.trim() === '' ? services.registry.problems : search.suggest(query, 400)).filter((p) => keys.has(problemKey(p.set, p.id)));
  // Claims first; for done (finished work may never have been claimed) and when nothing matches, everything else.
  if (subcommand !== 'done' && claimed.length > 0) return claimed;
  const rest = search.suggest(query).filter((p) => !keys.has(problemKey(p.set, p.id)));
  return [...claimed, ...rest];
}

