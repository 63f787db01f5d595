/** Effective permissions as Discord computes them, on the overwrite cases that trip people up. */
import { describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import {
  ALL_PERMISSIONS,
  basePermissions,
  channelPermissions,
  compareRoles,
  flagsOf,
  has,
  missingFrom,
  permissionName,
  roleManageProblem,
  whyMissing,
  type ChannelInfo,
  type GuildInfo,
  type MemberInfo,
} from '../../src/domain/permissions.ts';

const GUILD = '100000000000000001';
const BOT = '900000000000000001';
const OWNER = '300000000000000001';
const BOT_ROLE = '400000000000000001';
const HELPERS = '400000000000000002';
const MODS = '400000000000000003';

const s = (b: bigint) => String(b);
const POSTING = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory;

function guild(overrides: Partial<GuildInfo> = {}): GuildInfo {
  return {
    id: GUILD,
    owner_id: OWNER,
    roles: [
      { id: GUILD, name: '@everyone', permissions: s(P.ViewChannel | P.SendMessages | P.ReadMessageHistory), position: 0 },
      { id: BOT_ROLE, name: 'Induction', permissions: s(POSTING | P.ManageRoles), position: 3, managed: true },
      { id: HELPERS, name: 'Helpers', permissions: '0', position: 2 },
      { id: MODS, name: 'Mods', permissions: s(P.ManageMessages), position: 5 },
    ],
    ...overrides,
  };
}
const bot: MemberInfo = { userId: BOT, roles: [BOT_ROLE, HELPERS] };
const channel = (overwrites: ChannelInfo['permission_overwrites'] = [], type = 0): ChannelInfo => ({ id: '200000000000000002', type, name: 'cohort', permission_overwrites: overwrites });
const everyone = (allow: bigint, deny: bigint) => ({ id: GUILD, type: 0, allow: s(allow), deny: s(deny) });
const role = (id: string, allow: bigint, deny: bigint) => ({ id, type: 0, allow: s(allow), deny: s(deny) });
const member = (id: string, allow: bigint, deny: bigint) => ({ id, type: 1, allow: s(allow), deny: s(deny) });

describe('base permissions', () => {
  it('ORs @everyone with every role the member has, ignoring roles the guild no longer has', () => {
    const g = guild();
    expect(basePermissions(g, { userId: BOT, roles: [HELPERS, '499999999999999999'] })).toBe(P.ViewChannel | P.SendMessages | P.ReadMessageHistory);
    expect(has(basePermissions(g, bot), P.ManageRoles)).toBe(true);
  });

  it('gives the owner and administrators everything', () => {
    const g = guild();
    expect(basePermissions(g, { userId: OWNER, roles: [] })).toBe(ALL_PERMISSIONS);
    const admin = guild({ roles: [...g.roles, { id: '400000000000000009', permissions: s(P.Administrator), position: 1 }] });
    expect(basePermissions(admin, { userId: BOT, roles: ['400000000000000009'] })).toBe(ALL_PERMISSIONS);
  });
});

describe('channel overwrites', () => {
  it('applies an @everyone deny to the bot when no role allows it back', () => {
    const perms = channelPermissions(guild(), bot, channel([everyone(0n, P.AttachFiles)]));
    // The bot's role grants Attach Files on the server, but the @everyone overwrite takes it away.
    expect(has(perms, P.AttachFiles)).toBe(false);
    expect(whyMissing(guild(), bot, channel([everyone(0n, P.AttachFiles)]), P.AttachFiles)).toEqual({ kind: 'everyone-denies' });
  });

  it('lets a role allow beat the @everyone deny', () => {
    const perms = channelPermissions(guild(), bot, channel([everyone(0n, P.SendMessages | P.AttachFiles), role(HELPERS, P.SendMessages | P.AttachFiles, 0n)]));
    expect(missingFrom(perms, [P.ViewChannel, P.SendMessages, P.EmbedLinks, P.AttachFiles])).toEqual([]);
  });

  it('combines role overwrites: one role’s allow beats another role’s deny, whatever the positions', () => {
    const c = channel([role(BOT_ROLE, 0n, P.AttachFiles), role(HELPERS, P.AttachFiles, 0n)]);
    expect(has(channelPermissions(guild(), bot, c), P.AttachFiles)).toBe(true);
  });

  it('denies through the bot’s own role overwrite and says which role', () => {
    const c = channel([role(BOT_ROLE, 0n, P.AttachFiles)]);
    expect(missingFrom(channelPermissions(guild(), bot, c), [...flagsOf(POSTING)])).toEqual([P.AttachFiles]);
    expect(whyMissing(guild(), bot, c, P.AttachFiles)).toEqual({ kind: 'role-denies', roleIds: [BOT_ROLE] });
  });

  it('ignores overwrites for roles the member does not have', () => {
    const c = channel([role(MODS, 0n, POSTING)]);
    expect(missingFrom(channelPermissions(guild(), bot, c), [...flagsOf(POSTING)])).toEqual([]);
  });

  it('lets a member deny beat a role allow, and a member allow beat a role deny', () => {
    const denied = channel([role(BOT_ROLE, P.EmbedLinks, 0n), member(BOT, 0n, P.EmbedLinks)]);
    expect(has(channelPermissions(guild(), bot, denied), P.EmbedLinks)).toBe(false);
    expect(whyMissing(guild(), bot, denied, P.EmbedLinks)).toEqual({ kind: 'member-denies' });
    const allowed = channel([role(BOT_ROLE, 0n, P.EmbedLinks), everyone(0n, P.EmbedLinks), member(BOT, P.EmbedLinks, 0n)]);
    expect(has(channelPermissions(guild(), bot, allowed), P.EmbedLinks)).toBe(true);
  });

  it('ignores a member overwrite meant for someone else', () => {
    expect(has(channelPermissions(guild(), bot, channel([member(OWNER, 0n, P.SendMessages)])), P.SendMessages)).toBe(true);
  });

  it('lets an overwrite grant what no role gives', () => {
    const g = guild({ roles: guild().roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: '0' } : r)) });
    expect(whyMissing(g, bot, channel(), P.AttachFiles)).toEqual({ kind: 'not-granted' });
    expect(has(channelPermissions(g, bot, channel([role(BOT_ROLE, P.AttachFiles | P.EmbedLinks, 0n)])), P.AttachFiles)).toBe(true);
  });

  it('lets Administrator and the owner bypass every overwrite', () => {
    const lockedDown = channel([everyone(0n, ALL_PERMISSIONS), member(OWNER, 0n, ALL_PERMISSIONS), role(BOT_ROLE, 0n, ALL_PERMISSIONS)]);
    expect(channelPermissions(guild(), { userId: OWNER, roles: [] }, lockedDown)).toBe(ALL_PERMISSIONS);
    const g = guild({ roles: guild().roles.map((r) => (r.id === HELPERS ? { ...r, permissions: s(P.Administrator) } : r)) });
    expect(channelPermissions(g, bot, lockedDown)).toBe(ALL_PERMISSIONS);
  });

  it('ignores Administrator in an overwrite (it only counts on a role)', () => {
    const c = channel([role(BOT_ROLE, P.Administrator, 0n), everyone(0n, P.AttachFiles)]);
    expect(has(channelPermissions(guild(), bot, c), P.AttachFiles)).toBe(false);
  });

  it('reads only the channel’s own overwrites: the category’s do not flow through', () => {
    // The category denies everything; the channel is out of sync with it and has no overwrites.
    const c: ChannelInfo = { ...channel(), parent_id: '200000000000000009' };
    expect(missingFrom(channelPermissions(guild(), bot, c), [...flagsOf(POSTING)])).toEqual([]);
  });
});

describe('implicit rules', () => {
  it('gives nothing in a channel the bot cannot view, and names View Channel as the cause', () => {
    const c = channel([everyone(0n, P.ViewChannel)]);
    const g = guild({ roles: guild().roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: s(P.SendMessages | P.EmbedLinks | P.AttachFiles) } : r)) });
    expect(channelPermissions(g, bot, c)).toBe(0n);
    expect(whyMissing(g, bot, c, P.ViewChannel)).toEqual({ kind: 'everyone-denies' });
    expect(whyMissing(g, bot, c, P.AttachFiles)).toEqual({ kind: 'needs', flag: P.ViewChannel });
  });

  it('takes Embed Links and Attach Files away without Send Messages in a text channel', () => {
    const c = channel([member(BOT, 0n, P.SendMessages)]);
    const perms = channelPermissions(guild(), bot, c);
    expect(missingFrom(perms, [P.SendMessages, P.EmbedLinks, P.AttachFiles, P.ReadMessageHistory])).toEqual([P.SendMessages, P.EmbedLinks, P.AttachFiles]);
    expect(whyMissing(guild(), bot, c, P.AttachFiles)).toEqual({ kind: 'needs', flag: P.SendMessages });
  });

  it('uses the parent’s overwrites in a thread, where sending needs Send Messages in Threads', () => {
    const parent = channel([role(BOT_ROLE, 0n, P.SendMessagesInThreads)]);
    const thread: ChannelInfo = { id: '200000000000000010', type: 11, parent_id: parent.id, permission_overwrites: [] };
    const g = guild({ roles: guild().roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: s(POSTING | P.SendMessagesInThreads) } : r)) });
    const perms = channelPermissions(g, bot, thread, { parent });
    expect(has(perms, P.SendMessages)).toBe(true);
    expect(missingFrom(perms, [P.SendMessagesInThreads, P.AttachFiles])).toEqual([P.SendMessagesInThreads, P.AttachFiles]);
    expect(whyMissing(g, bot, thread, P.AttachFiles, { parent })).toEqual({ kind: 'needs', flag: P.SendMessagesInThreads });
    expect(has(channelPermissions(g, bot, thread, { parent: channel() }), P.AttachFiles)).toBe(true);
  });

  it('keeps only View Channel and Read Message History while timed out', () => {
    const timedOut = { ...bot, communication_disabled_until: '2026-03-02T13:00:00Z' };
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(channelPermissions(guild(), timedOut, channel(), { now })).toBe(P.ViewChannel | P.ReadMessageHistory);
    expect(whyMissing(guild(), timedOut, channel(), P.SendMessages, { now })).toEqual({ kind: 'timed-out' });
    expect(has(channelPermissions(guild(), timedOut, channel(), { now: Date.parse('2026-03-02T14:00:00Z') }), P.SendMessages)).toBe(true);
  });

  it('gives no voice permissions without Connect', () => {
    const g = guild({ roles: guild().roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: s(P.ViewChannel | P.Speak) } : r)) });
    expect(has(channelPermissions(g, bot, channel([], 2)), P.Speak)).toBe(false);
    expect(has(channelPermissions(g, bot, channel([role(BOT_ROLE, P.Connect, 0n)], 2)), P.Speak)).toBe(true);
  });
});

describe('role hierarchy', () => {
  const study = '400000000000000010';
  const withStudy = (position: number, extra: Partial<GuildInfo> = {}) => guild({ roles: [...guild().roles, { id: study, name: 'Study', permissions: '0', position }], ...extra });

  it('manages a role strictly below its highest role with Manage Roles', () => {
    expect(roleManageProblem(withStudy(1), bot, study)).toBeNull();
    expect(roleManageProblem(withStudy(4), bot, study)).toMatchObject({ kind: 'below', highest: { id: BOT_ROLE } });
  });

  it('cannot manage a role at the same position that is older, but can a newer one', () => {
    // Same position: the older role (smaller id) sorts higher.
    expect(compareRoles({ id: '400000000000000001', position: 3 }, { id: '400000000000000010', position: 3 })).toBeGreaterThan(0);
    expect(roleManageProblem(withStudy(3), bot, study)).toBeNull();
    const older = guild({ roles: [...guild().roles, { id: '400000000000000000', name: 'Old', permissions: '0', position: 3 }] });
    expect(roleManageProblem(older, bot, '400000000000000000')).toMatchObject({ kind: 'below' });
  });

  it('needs Manage Roles, refuses managed roles and @everyone, and lets the owner do anything', () => {
    const g = withStudy(1);
    const noManage = { ...g, roles: g.roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: s(POSTING) } : r)) };
    expect(roleManageProblem(noManage, bot, study)).toEqual({ kind: 'no-manage-roles' });
    expect(roleManageProblem(g, bot, BOT_ROLE)).toEqual({ kind: 'managed' });
    expect(roleManageProblem(g, bot, GUILD)).toEqual({ kind: 'everyone' });
    expect(roleManageProblem(g, bot, '499999999999999999')).toEqual({ kind: 'unknown-role' });
    expect(roleManageProblem(withStudy(9), { userId: OWNER, roles: [] }, study)).toBeNull();
  });

  it('gets Manage Roles from Administrator', () => {
    const g = withStudy(1);
    const admin = { ...g, roles: g.roles.map((r) => (r.id === BOT_ROLE ? { ...r, permissions: s(P.Administrator) } : r)) };
    expect(roleManageProblem(admin, bot, study)).toBeNull();
  });
});

describe('names', () => {
  it('uses the names Discord’s settings show', () => {
    expect(permissionName(P.AttachFiles)).toBe('Attach Files');
    expect(permissionName(P.ViewChannel)).toBe('View Channel');
    expect(permissionName(P.SendMessagesInThreads)).toBe('Send Messages in Threads');
    expect(permissionName(P.ManageGuild)).toBe('Manage Server');
    expect(flagsOf(P.EmbedLinks | P.ViewChannel)).toEqual([P.ViewChannel, P.EmbedLinks]);
  });
});
