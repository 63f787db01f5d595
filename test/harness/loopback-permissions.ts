/**
 * The part of the loopback Discord that knows about roles, permissions and the application: guild roles with
 * permissions and positions, channel permission overwrites, the bot's member (its roles), the guild owner,
 * GET routes for guilds, roles, channels and members, GET /applications/@me, the registered commands, and
 * (when `enforce` is on) channel posts refused with 50001/50013 when the bot's computed permissions lack what
 * the message needs. loopback-discord.ts calls `route()` before its own routes.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { channelPermissions, has, type ChannelInfo, type GuildInfo, type MemberInfo, type OverwriteInfo, type RoleInfo } from '../../src/domain/permissions.ts';

/** What a new server gives @everyone. */
export const DEFAULT_EVERYONE_PERMISSIONS = '1071698660929';
/** The managed role Discord creates for the bot, with what the invite asked for. */
export const BOT_ROLE_ID = '400000000000000001';
export const GUILD_OWNER_ID = '300000000000000001';

interface Guildish {
  id: string;
  name: string;
  channels: { id: string; name: string; type?: number }[];
}

interface RouteRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  files: unknown[];
}

export interface GuildPermissionModel {
  ownerId: string;
  roles: RoleInfo[];
  /** Member id → role ids (the bot's member, and anyone a test adds). */
  members: Map<string, string[]>;
}

export class LoopbackPermissions {
  readonly #guilds = new Map<string, GuildPermissionModel>();
  readonly #overwrites = new Map<string, OverwriteInfo[]>();
  /** Refuse channel posts the bot's computed permissions do not allow (off by default). */
  enforce = false;
  /** When set, any other Authorization header gets 401, as Discord answers a wrong token. */
  validToken: string | undefined;
  /** What GET /applications/@me answers. */
  application: { id: string; name: string; bot_public: boolean; flags: number };

  constructor(
    private readonly guilds: () => readonly Guildish[],
    private readonly botUser: { id: string; username: string },
    applicationId: string,
  ) {
    this.application = { id: applicationId, name: botUser.username, bot_public: true, flags: 0 };
  }

  /** The guild's roles and members, created on first use like a server the bot was just invited to. */
  model(guildId: string): GuildPermissionModel {
    let model = this.#guilds.get(guildId);
    if (!model) {
      model = {
        ownerId: GUILD_OWNER_ID,
        roles: [
          { id: guildId, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS, position: 0, managed: false },
          { id: BOT_ROLE_ID, name: this.botUser.username, permissions: String(P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.ManageRoles | P.ManageEvents | P.CreatePublicThreads | P.SendMessagesInThreads), position: 1, managed: true },
        ],
        members: new Map([[this.botUser.id, [BOT_ROLE_ID]]]),
      };
      this.#guilds.set(guildId, model);
    }
    return model;
  }

  role(guildId: string, roleId: string): RoleInfo | undefined {
    return this.model(guildId).roles.find((r) => r.id === roleId);
  }

  /** Adds or replaces a role. */
  setRole(guildId: string, role: RoleInfo): void {
    const model = this.model(guildId);
    model.roles = [...model.roles.filter((r) => r.id !== role.id), role];
  }

  overwrites(channelId: string): OverwriteInfo[] {
    return this.#overwrites.get(channelId) ?? [];
  }

  setOverwrites(channelId: string, overwrites: OverwriteInfo[]): void {
    this.#overwrites.set(channelId, overwrites);
  }

  #guildOf(channelId: string): Guildish | undefined {
    return this.guilds().find((g) => g.channels.some((c) => c.id === channelId));
  }

  guildInfo(guildId: string): GuildInfo {
    const model = this.model(guildId);
    return { id: guildId, owner_id: model.ownerId, roles: model.roles };
  }

  channelInfo(guild: Guildish, channelId: string): ChannelInfo {
    const c = guild.channels.find((x) => x.id === channelId)!;
    return { id: c.id, type: c.type ?? 0, name: c.name, parent_id: null, permission_overwrites: this.overwrites(c.id) };
  }

  /** The bot's permissions in a channel, computed as Discord does. */
  botPermissionsIn(channelId: string): bigint {
    const guild = this.#guildOf(channelId);
    if (!guild) return 0n;
    const member: MemberInfo = { userId: this.botUser.id, roles: this.model(guild.id).members.get(this.botUser.id) ?? [] };
    return channelPermissions(this.guildInfo(guild.id), member, this.channelInfo(guild, channelId));
  }

  rolesPayload(guildId: string): any[] {
    return this.model(guildId).roles.map((r) => ({
      id: r.id,
      name: r.name ?? 'role',
      permissions: String(r.permissions),
      position: r.position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: r.managed ?? false,
      mentionable: false,
      flags: 0,
      ...(r.managed ? { tags: { bot_id: this.botUser.id } } : {}),
    }));
  }

  channelsPayload(guild: Guildish): any[] {
    return guild.channels.map((c, i) => ({
      id: c.id,
      type: c.type ?? 0,
      name: c.name,
      position: i,
      guild_id: guild.id,
      parent_id: null,
      permission_overwrites: this.overwrites(c.id).map((o) => ({ id: o.id, type: o.type, allow: String(o.allow), deny: String(o.deny) })),
    }));
  }

  /** Answers the routes this model owns, or returns undefined to let the emulator's own routes answer. */
  route(r: RouteRequest): { status: number; body?: unknown } | undefined {
    if (this.validToken !== undefined && r.headers.authorization !== `Bot ${this.validToken}` && !r.path.startsWith('/interactions/') && !r.path.startsWith('/webhooks/')) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    let m: RegExpExecArray | null;
    if (r.method === 'GET' && r.path === '/applications/@me') {
      return { status: 200, body: { ...this.application, description: '', icon: null, bot_require_code_grant: false, verify_key: '0'.repeat(64), bot: { ...this.botUser, discriminator: '0', avatar: null, bot: true } } };
    }
    // The application-commands routes (PUT and GET) belong to loopback-commands.ts.
    if (r.method === 'GET' && (m = /^\/guilds\/(\d+)(\/roles|\/channels|\/members\/(\d+))?$/.exec(r.path))) {
      const guild = this.guilds().find((g) => g.id === m![1]);
      if (!guild) return { status: 404, body: { message: 'Unknown Guild', code: 10004 } };
      if (m[2] === '/roles') return { status: 200, body: this.rolesPayload(guild.id) };
      if (m[2] === '/channels') return { status: 200, body: this.channelsPayload(guild) };
      if (m[3]) {
        const roles = this.model(guild.id).members.get(m[3]);
        if (!roles) return { status: 404, body: { message: 'Unknown Member', code: 10007 } };
        const user = m[3] === this.botUser.id ? { ...this.botUser, discriminator: '0', avatar: null, bot: true } : { id: m[3], username: `member${m[3].slice(-4)}`, discriminator: '0', avatar: null };
        return { status: 200, body: { user, roles, joined_at: '2026-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, communication_disabled_until: null } };
      }
      const model = this.model(guild.id);
      return {
        status: 200,
        body: { id: guild.id, name: guild.name, icon: null, owner_id: model.ownerId, roles: this.rolesPayload(guild.id), emojis: [], features: [], verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0, system_channel_flags: 0, premium_tier: 0, preferred_locale: 'en-US', nsfw_level: 0, afk_timeout: 300 },
      };
    }
    if (this.enforce && (m = /^\/channels\/(\d+)\/messages$/.exec(r.path)) && this.#guildOf(m[1]!)) {
      const perms = this.botPermissionsIn(m[1]!);
      if (!has(perms, P.ViewChannel)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
      const needed = r.method === 'GET' ? [P.ReadMessageHistory] : [P.SendMessages, ...(r.body?.embeds?.length ? [P.EmbedLinks] : []), ...(r.files.length ? [P.AttachFiles] : [])];
      if (needed.some((flag) => !has(perms, flag))) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    }
    return undefined;
  }
}
