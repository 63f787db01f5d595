/**
 * Who may curate a server's material: members with Manage Server, or with the curator role the server set
 * (/curate role). Checked on the server from the interaction's member (permissions and roles as Discord sent
 * them), because hiding a command from members secures nothing.
 */
import { PermissionFlagsBits, type RepliableInteraction } from 'discord.js';
import { replyEphemeral } from '../discord/replies.ts';
import type { Services } from '../services.ts';

/**
 * The member's role ids as Discord sent them with the interaction: the raw API member's `roles`, or a discord.js
 * GuildMember's `_roles` (the ids it was built from; `roles.cache` drops ids whose Role is not cached yet).
 */
function memberRoles(interaction: RepliableInteraction): readonly string[] {
  const member = interaction.member as { roles?: unknown; _roles?: unknown } | null;
  if (Array.isArray(member?.roles)) return member.roles as string[];
  if (Array.isArray(member?._roles)) return member._roles as string[];
  const cache = (member?.roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

export async function isCurator(interaction: RepliableInteraction, services: Services): Promise<boolean> {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const { curatorRoleId } = await services.repos.overlays.getMeta(interaction.guildId);
  return curatorRoleId !== null && memberRoles(interaction).includes(curatorRoleId);
}

export async function requireCurator(interaction: RepliableInteraction, services: Services): Promise<boolean> {
  if (!interaction.inGuild()) {
    await replyEphemeral(interaction, 'Curating works inside a server: each server curates its own material.');
    return false;
  }
  if (await isCurator(interaction, services)) return true;
  await replyEphemeral(interaction, 'Only curators can do that: members with the Manage Server permission or the server’s curator role. Anyone can propose an entry with `/suggest`.');
  return false;
}
