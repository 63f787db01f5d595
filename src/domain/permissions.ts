/**
 * Effective permissions, computed the way Discord computes them, from plain API objects (no cache, no client):
 *
 * 1. Base: the guild owner has everything. Otherwise @everyone's permissions OR every role the member has;
 *    ADMINISTRATOR then means everything, and channel overwrites no longer apply.
 * 2. Channel overwrites, in order: the @everyone overwrite (deny, then allow); all the member's role overwrites
 *    combined (every deny, then every allow, so one role's allow beats another role's deny); the member's own
 *    overwrite (deny, then allow). Only the channel's own overwrites count: a category's overwrites are copied
 *    into its channels when they sync, never read through.
 * 3. Threads take their parent channel's overwrites, and sending in them needs Send Messages in Threads.
 * 4. Implicit rules: without View Channel nothing else in the channel applies; without Send Messages (Send
 *    Messages in Threads in a thread) a text channel gives no Embed Links, Attach Files, Mention Everyone or TTS;
 *    without Connect a voice channel gives no voice permissions; a timed-out member keeps only View Channel and
 *    Read Message History.
 *
 * Pure: the same functions serve the gateway bot (fed from REST) and HTTP mode, and the unit tests.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';

export type Bits = bigint;
export const ALL_PERMISSIONS: Bits = Object.values(P).reduce((a, b) => a | b, 0n);

export interface RoleInfo {
  id: string;
  name?: string;
  /** Decimal string as the API sends it, or a bigint. */
  permissions: string | bigint;
  position: number;
  managed?: boolean;
}

export interface OverwriteInfo {
  id: string;
  /** 0 = role, 1 = member. */
  type: number;
  allow: string | bigint;
  deny: string | bigint;
}

export interface ChannelInfo {
  id: string;
  type: number;
  name?: string;
  parent_id?: string | null;
  permission_overwrites?: readonly OverwriteInfo[];
}

export interface GuildInfo {
  id: string;
  owner_id: string;
  roles: readonly RoleInfo[];
}

export interface MemberInfo {
  userId: string;
  roles: readonly string[];
  communication_disabled_until?: string | null;
}

const bits = (v: string | bigint | undefined): Bits => (typeof v === 'bigint' ? v : v ? BigInt(v) : 0n);
export const has = (perms: Bits, flag: Bits): boolean => (perms & flag) === flag;

const THREAD_TYPES = new Set([10, 11, 12]);
const VOICE_TYPES = new Set([2, 13]);
const TEXT_TYPES = new Set([0, 5, 10, 11, 12, 15, 16]);
export const isThread = (channel: Pick<ChannelInfo, 'type'>): boolean => THREAD_TYPES.has(channel.type);

const TIMEOUT_KEEPS = P.ViewChannel | P.ReadMessageHistory;
const NEEDS_SEND = P.EmbedLinks | P.AttachFiles | P.MentionEveryone | P.SendTTSMessages;
const NEEDS_CONNECT = P.Speak | P.Stream | P.MuteMembers | P.DeafenMembers | P.MoveMembers | P.UseVAD | P.PrioritySpeaker | P.RequestToSpeak | P.UseSoundboard | P.UseExternalSounds;

function isOwnerOrAdmin(guild: GuildInfo, member: MemberInfo): 'owner' | 'admin' | null {
  if (guild.owner_id === member.userId) return 'owner';
  return has(rolePermissions(guild, member), P.Administrator) ? 'admin' : null;
}

/** @everyone OR every role of the member (roles the guild no longer has are ignored). */
function rolePermissions(guild: GuildInfo, member: MemberInfo): Bits {
  const byId = new Map(guild.roles.map((r) => [r.id, r]));
  let perms = bits(byId.get(guild.id)?.permissions);
  for (const id of member.roles) perms |= bits(byId.get(id)?.permissions);
  return perms;
}

/** Guild-wide permissions: what applies outside any channel (Manage Roles, Manage Events, ...). */
export function basePermissions(guild: GuildInfo, member: MemberInfo, now?: number): Bits {
  if (isOwnerOrAdmin(guild, member)) return ALL_PERMISSIONS;
  const perms = rolePermissions(guild, member);
  return isTimedOut(member, now) ? perms & TIMEOUT_KEEPS : perms;
}

function isTimedOut(member: MemberInfo, now: number | undefined): boolean {
  if (!member.communication_disabled_until || now === undefined) return false;
  return Date.parse(member.communication_disabled_until) > now;
}

/** The overwrites that apply to a channel: a thread's are its parent's. */
function overwritesOf(channel: ChannelInfo, parent: ChannelInfo | undefined): readonly OverwriteInfo[] {
  if (isThread(channel)) return parent?.permission_overwrites ?? [];
  return channel.permission_overwrites ?? [];
}

interface Layers {
  base: Bits;
  everyone: { allow: Bits; deny: Bits };
  roles: { allow: Bits; deny: Bits; denying: Map<Bits, string[]> };
  member: { allow: Bits; deny: Bits };
}

function layers(guild: GuildInfo, member: MemberInfo, channel: ChannelInfo, parent: ChannelInfo | undefined): Layers {
  const overwrites = overwritesOf(channel, parent);
  const everyone = overwrites.find((o) => o.id === guild.id);
  const mine = new Set(member.roles);
  const roles = { allow: 0n, deny: 0n, denying: new Map<Bits, string[]>() };
  for (const o of overwrites) {
    if (o.type !== 0 || o.id === guild.id || !mine.has(o.id)) continue;
    roles.allow |= bits(o.allow);
    roles.deny |= bits(o.deny);
    for (const flag of Object.values(P)) if (has(bits(o.deny), flag)) roles.denying.set(flag, [...(roles.denying.get(flag) ?? []), o.id]);
  }
  const own = overwrites.find((o) => o.type === 1 && o.id === member.userId);
  return {
    base: rolePermissions(guild, member),
    everyone: { allow: bits(everyone?.allow), deny: bits(everyone?.deny) },
    roles,
    member: { allow: bits(own?.allow), deny: bits(own?.deny) },
  };
}

function applyImplicit(perms: Bits, channel: ChannelInfo): Bits {
  if (!has(perms, P.ViewChannel)) return 0n;
  const thread = isThread(channel);
  if (TEXT_TYPES.has(channel.type) && !has(perms, thread ? P.SendMessagesInThreads : P.SendMessages)) perms &= ~NEEDS_SEND;
  if (VOICE_TYPES.has(channel.type) && !has(perms, P.Connect)) perms &= ~NEEDS_CONNECT;
  return perms;
}

/**
 * The member's permissions in a channel. For a thread pass its parent channel, whose overwrites it uses.
 * `now` enables the timeout rule (a timed-out member keeps only View Channel and Read Message History).
 */
export function channelPermissions(guild: GuildInfo, member: MemberInfo, channel: ChannelInfo, options: { parent?: ChannelInfo; now?: number } = {}): Bits {
  if (isOwnerOrAdmin(guild, member)) return ALL_PERMISSIONS;
  let perms = explicitPermissions(layers(guild, member, channel, options.parent));
  if (isTimedOut(member, options.now)) perms &= TIMEOUT_KEEPS;
  return applyImplicit(perms, channel);
}

function explicitPermissions(l: Layers): Bits {
  let perms = l.base;
  perms = (perms & ~l.everyone.deny) | l.everyone.allow;
  perms = (perms & ~l.roles.deny) | l.roles.allow;
  return (perms & ~l.member.deny) | l.member.allow;
}

/** Which of `required` the permissions lack, in the order given. */
export function missingFrom(perms: Bits, required: readonly Bits[]): Bits[] {
  return required.filter((flag) => !has(perms, flag));
}

/** Why a permission is missing in a channel: the layer that took it away (or never gave it). */
export type MissingCause =
  | { kind: 'not-granted' }
  | { kind: 'everyone-denies' }
  | { kind: 'role-denies'; roleIds: string[] }
  | { kind: 'member-denies' }
  | { kind: 'needs'; flag: Bits }
  | { kind: 'timed-out' };

export function whyMissing(guild: GuildInfo, member: MemberInfo, channel: ChannelInfo, flag: Bits, options: { parent?: ChannelInfo; now?: number } = {}): MissingCause | null {
  const perms = channelPermissions(guild, member, channel, options);
  if (has(perms, flag)) return null;
  if (isTimedOut(member, options.now)) return { kind: 'timed-out' };
  const l = layers(guild, member, channel, options.parent);
  if (has(explicitPermissions(l), flag)) {
    // Granted by roles and overwrites, taken away by an implicit rule.
    if (!has(perms, P.ViewChannel)) return { kind: 'needs', flag: P.ViewChannel };
    const send = isThread(channel) ? P.SendMessagesInThreads : P.SendMessages;
    if ((flag & NEEDS_SEND) !== 0n && !has(perms, send)) return { kind: 'needs', flag: send };
    return { kind: 'needs', flag: P.Connect };
  }
  if (has(l.member.deny, flag)) return { kind: 'member-denies' };
  if (!has(l.member.allow, flag) && has(l.roles.deny, flag) && !has(l.roles.allow, flag)) return { kind: 'role-denies', roleIds: l.roles.denying.get(flag) ?? [] };
  if (!has(l.member.allow | l.roles.allow, flag) && has(l.everyone.deny, flag) && !has(l.everyone.allow, flag)) return { kind: 'everyone-denies' };
  return { kind: 'not-granted' };
}

/** Roles sort by position, then older (smaller id) first among equals, as Discord orders them. */
export function compareRoles(a: Pick<RoleInfo, 'id' | 'position'>, b: Pick<RoleInfo, 'id' | 'position'>): number {
  if (a.position !== b.position) return a.position - b.position;
  const ai = BigInt(a.id);
  const bi = BigInt(b.id);
  return ai === bi ? 0 : ai < bi ? 1 : -1;
}

/** The member's highest role (or @everyone). */
export function highestRole(guild: GuildInfo, member: MemberInfo): RoleInfo | undefined {
  const mine = new Set([guild.id, ...member.roles]);
  return guild.roles.filter((r) => mine.has(r.id)).sort(compareRoles).at(-1);
}

export type RoleManageProblem =
  | { kind: 'unknown-role' }
  | { kind: 'everyone' }
  | { kind: 'managed' }
  | { kind: 'no-manage-roles' }
  | { kind: 'below'; highest: RoleInfo | undefined; role: RoleInfo };

/** Whether the member may give and remove a role: Manage Roles, and the role strictly below its highest role. */
export function roleManageProblem(guild: GuildInfo, member: MemberInfo, roleId: string, now?: number): RoleManageProblem | null {
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role) return { kind: 'unknown-role' };
  if (role.id === guild.id) return { kind: 'everyone' };
  if (role.managed) return { kind: 'managed' };
  if (guild.owner_id === member.userId) return null;
  if (!has(basePermissions(guild, member, now), P.ManageRoles)) return { kind: 'no-manage-roles' };
  const highest = highestRole(guild, member);
  if (!highest || compareRoles(highest, role) <= 0) return { kind: 'below', highest, role };
  return null;
}

const NAMES = new Map<Bits, string>(
  Object.entries(P).map(([key, flag]) => {
    const special: Record<string, string> = { ViewChannel: 'View Channel', SendTTSMessages: 'Send Text-to-Speech Messages', UseVAD: 'Use Voice Activity', ManageGuild: 'Manage Server', ManageGuildExpressions: 'Manage Expressions', RequestToSpeak: 'Request to Speak', UseEmbeddedActivities: 'Use Activities' };
    return [flag, special[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ In /g, ' in ')];
  }),
);

/** The name Discord's settings show for a permission flag ("Attach Files"). */
export function permissionName(flag: Bits): string {
  return NAMES.get(flag) ?? `permission ${flag}`;
}

/** The single flags set in a bitfield, lowest first. */
export function flagsOf(perms: Bits): Bits[] {
  return [...NAMES.keys()].filter((flag) => has(perms, flag)).sort((a, b) => (a < b ? -1 : 1));
}
