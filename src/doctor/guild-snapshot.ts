/**
 * What the permission checks need to know about one server, fetched through REST (the server with its roles and
 * owner, its channels with their overwrites, and the bot's member), so it works the same in gateway and HTTP mode
 * and never depends on what a cache happens to hold.
 */
import type { REST } from '@discordjs/rest';
import { Routes, type APIGuild, type APIGuildChannel, type APIGuildMember, type GuildChannelType } from 'discord-api-types/v10';
import { channelPermissions, missingFrom, whyMissing, type ChannelInfo, type GuildInfo, type MemberInfo, type MissingCause } from '../domain/permissions.ts';

export interface GuildSnapshot {
  guild: GuildInfo & { name: string };
  channels: ReadonlyMap<string, ChannelInfo>;
  bot: MemberInfo;
  /** The bot's name as members see it (its nickname, else its user name). */
  botName: string;
}

export async function fetchGuildSnapshot(rest: REST, guildId: string, botUserId: string): Promise<GuildSnapshot> {
  const [guild, channels, member] = (await Promise.all([
    rest.get(Routes.guild(guildId)),
    rest.get(Routes.guildChannels(guildId)),
    rest.get(Routes.guildMember(guildId, botUserId)),
  ])) as [APIGuild, APIGuildChannel<GuildChannelType>[], APIGuildMember];
  return {
    guild: { id: guild.id, name: guild.name, owner_id: guild.owner_id, roles: guild.roles.map((r) => ({ id: r.id, name: r.name, permissions: r.permissions, position: r.position, managed: r.managed })) },
    channels: new Map(
      channels.map((c) => [c.id, { id: c.id, type: c.type, name: c.name ?? undefined, parent_id: c.parent_id ?? null, permission_overwrites: (c.permission_overwrites ?? []).map((o) => ({ id: o.id, type: o.type, allow: o.allow, deny: o.deny })) }]),
    ),
    bot: { userId: botUserId, roles: member.roles, communication_disabled_until: member.communication_disabled_until ?? null },
    botName: member.nick ?? member.user?.global_name ?? member.user?.username ?? 'the bot',
  };
}

export interface ChannelCheck {
  channelId: string;
  /** False when the channel is gone (or the bot cannot list it). */
  exists: boolean;
  missing: { flag: bigint; cause: MissingCause }[];
}

/** Which of `required` the bot lacks in a channel, each with the layer that took it away. */
export function checkChannel(snapshot: GuildSnapshot, channelId: string, required: readonly bigint[], now?: number): ChannelCheck {
  const channel = snapshot.channels.get(channelId);
  if (!channel) return { channelId, exists: false, missing: [] };
  const parent = channel.parent_id ? snapshot.channels.get(channel.parent_id) : undefined;
  const options = { parent, now };
  const perms = channelPermissions(snapshot.guild, snapshot.bot, channel, options);
  const missing = missingFrom(perms, required).map((flag) => ({ flag, cause: whyMissing(snapshot.guild, snapshot.bot, channel, flag, options) ?? { kind: 'not-granted' as const } }));
  return { channelId, exists: true, missing };
}

/** For a failed post: which required permissions the bot lacks in the channel right now (null if that cannot be told). */
export async function missingInChannel(rest: REST, guildId: string, channelId: string, botUserId: string, required: readonly bigint[], now?: number): Promise<bigint[] | null> {
  try {
    const check = checkChannel(await fetchGuildSnapshot(rest, guildId, botUserId), channelId, required, now);
    return check.exists ? check.missing.map((m) => m.flag) : null;
  } catch {
    return null;
  }
}
