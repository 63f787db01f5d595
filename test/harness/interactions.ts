/** Builders for real INTERACTION_CREATE payloads, shaped like the ones Discord sends. */
import { APPLICATION_ID, messageObject, snowflake } from './loopback-discord.ts';

export interface Actor {
  id: string;
  username: string;
  /** Permission bitfield as a decimal string. */
  permissions?: string;
}

export const ALICE: Actor = { id: '300000000000000011', username: 'alice' };
export const BOB: Actor = { id: '300000000000000012', username: 'bob' };
/** A member with Manage Server (1 << 5) and Administrator-free permissions. */
export const ADMIN: Actor = { id: '300000000000000013', username: 'admin', permissions: String((1n << 5n) | (1n << 11n) | (1n << 10n)) };

export interface Where {
  guildId?: string;
  channelId?: string;
  user?: Actor;
}

const DEFAULT_GUILD = '100000000000000001';
const DEFAULT_CHANNEL = '200000000000000001';
const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 31n)); // view, send, use application commands

function userObject(actor: Actor) {
  return { id: actor.id, username: actor.username, discriminator: '0', global_name: actor.username, avatar: null };
}

function base(type: number, where: Where) {
  const user = where.user ?? ALICE;
  const guildId = where.guildId ?? DEFAULT_GUILD;
  const channelId = where.channelId ?? DEFAULT_CHANNEL;
  return {
    id: snowflake(),
    application_id: APPLICATION_ID,
    type,
    token: `tok-${Math.random().toString(36).slice(2)}`,
    version: 1,
    guild_id: guildId,
    guild: { id: guildId, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: { id: channelId, type: 0, guild_id: guildId, name: 'general' },
    member: {
      user: userObject(user),
      roles: [],
      permissions: user.permissions ?? MEMBER_PERMISSIONS,
      joined_at: '2025-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: '1071698660929',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': guildId },
    context: 0,
    attachment_size_limit: 10485760,
  };
}

export type OptionInput = { name: string; type: number; value?: unknown; focused?: boolean; options?: OptionInput[] };

/** Resolved users for USER options, as Discord includes them. */
function resolvedFor(options: OptionInput[], users: Actor[]): any {
  const ids = new Set<string>();
  const walk = (os: OptionInput[]) => os.forEach((o) => (o.type === 6 ? ids.add(String(o.value)) : o.options && walk(o.options)));
  walk(options);
  if (ids.size === 0) return undefined;
  const known = new Map(users.map((u) => [u.id, u]));
  const resolvedUsers: Record<string, unknown> = {};
  for (const id of ids) resolvedUsers[id] = userObject(known.get(id) ?? { id, username: `user${id.slice(-4)}` });
  return { users: resolvedUsers };
}

export function chatInput(name: string, options: OptionInput[] = [], where: Where = {}, users: Actor[] = []) {
  const resolved = resolvedFor(options, [ALICE, BOB, ADMIN, ...users]);
  return { ...base(2, where), data: { id: snowflake(), name, type: 1, options, ...(resolved ? { resolved } : {}) } };
}

export function autocomplete(name: string, options: OptionInput[], where: Where = {}) {
  return { ...base(4, where), data: { id: snowflake(), name, type: 1, options } };
}

/** Option helpers. */
export const sub = (name: string, options: OptionInput[] = []): OptionInput => ({ name, type: 1, options });
export const str = (name: string, value: string, focused = false): OptionInput => ({ name, type: 3, value, ...(focused ? { focused } : {}) });
export const int = (name: string, value: number): OptionInput => ({ name, type: 4, value });
export const bool = (name: string, value: boolean): OptionInput => ({ name, type: 5, value });
export const user = (name: string, value: string): OptionInput => ({ name, type: 6, value });
export const channel = (name: string, value: string): OptionInput => ({ name, type: 7, value });

/** A message as Discord would attach it to a component interaction. */
export function messageFrom(payload: any, where: Where = {}, authorInteractionUser?: Actor) {
  return messageObject(
    payload,
    where.channelId ?? DEFAULT_CHANNEL,
    { id: APPLICATION_ID, username: 'Induction', discriminator: '0', avatar: null, bot: true },
    { type: 20, ...(authorInteractionUser ? { interaction_metadata: { id: snowflake(), type: 2, user: userObject(authorInteractionUser) } } : {}) },
  );
}

export function button(customId: string, message: any, where: Where = {}) {
  return { ...base(3, where), message, data: { custom_id: customId, component_type: 2 } };
}

export function select(customId: string, values: string[], message: any, where: Where = {}) {
  return { ...base(3, where), message, data: { custom_id: customId, component_type: 3, values } };
}

export function modalSubmit(customId: string, fields: Record<string, string>, where: Where = {}) {
  return {
    ...base(5, where),
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] })),
    },
  };
}

/** A message as it appears in a channel, written by `author` (a member by default), for context-menu commands. */
export function channelMessage(
  content: { content?: string; embeds?: any[]; attachments?: { filename: string }[] },
  author: Actor & { bot?: boolean } = BOB,
  where: Where = {},
) {
  const message = messageObject(content, where.channelId ?? DEFAULT_CHANNEL, { ...userObject(author), public_flags: 0, flags: 0, primary_guild: null, ...(author.bot ? { bot: true } : {}) });
  delete message.nonce;
  return message;
}

/** A message context-menu command (application command type 3) invoked on `message`, as Discord sends it. */
export function messageCommand(name: string, message: any, where: Where = {}) {
  return {
    ...base(2, where),
    data: { id: snowflake(), name, type: 3, target_id: message.id, resolved: { messages: { [message.id]: message } } },
  };
}
