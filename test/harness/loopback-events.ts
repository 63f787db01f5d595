/**
 * The loopback Discord's guild scheduled events, threads and message edits: enough of Discord for reading
 * sessions. Every request body is validated against Discord's OpenAPI schemas (discord-api-spec), and tests can
 * refuse any route with Missing Permissions (50013), and act as a member in Discord's own UI (move or cancel an
 * event, press Interested).
 */
import * as spec from 'discord-api-spec/zod';
import type { ZodMiniType } from 'zod/mini';
import { unknownKeys, validatePayload } from './discord-spec.ts';
import type { CapturedRequest, EmulatedGuild } from './loopback-discord.ts';

type Schema = ZodMiniType<unknown>;
type Reply = { status: number; body?: unknown };

export interface EmulatedEvent {
  id: string;
  guild_id: string;
  channel_id: string | null;
  creator_id: string;
  name: string;
  description: string | null;
  scheduled_start_time: string;
  scheduled_end_time: string | null;
  privacy_level: number;
  status: number;
  entity_type: number;
  entity_id: string | null;
  entity_metadata: { location: string } | null;
  image: null;
  recurrence_rule: null;
  guild_scheduled_event_exceptions: [];
  user_count: number;
}

interface Host {
  guilds: EmulatedGuild[];
  channelMessages: Map<string, any[]>;
  deletedChannels: Set<string>;
  snowflake(): string;
  botUserId: string;
  /** The channel's permission overwrites, as the permissions model holds them (loopback-permissions.ts). */
  overwrites?(channelId: string): { id: string; type: number; allow: bigint | string; deny: bigint | string }[];
}

interface Denial {
  method: string;
  path: RegExp;
  times: number;
  code: number;
}

const EVENTS = /^\/guilds\/(\d+)\/scheduled-events$/;
const EVENT = /^\/guilds\/(\d+)\/scheduled-events\/(\d+)$/;
const EVENT_USERS = /^\/guilds\/(\d+)\/scheduled-events\/(\d+)\/users$/;
const THREAD_FROM_MESSAGE = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/;
const MESSAGE = /^\/channels\/(\d+)\/messages\/(\d+)$/;
const CHANNEL = /^\/channels\/(\d+)$/;
const GUILD_CHANNELS = /^\/guilds\/(\d+)\/channels$/;

const CREATE_SCHEMAS: Record<number, Schema> = {
  1: spec.StageScheduledEventCreateRequestSchema as Schema,
  2: spec.VoiceScheduledEventCreateRequestSchema as Schema,
  3: spec.ExternalScheduledEventCreateRequestSchema as Schema,
};
const PATCH_SCHEMAS: Record<number, Schema> = {
  1: spec.StageScheduledEventPatchRequestPartialSchema as Schema,
  2: spec.VoiceScheduledEventPatchRequestPartialSchema as Schema,
  3: spec.ExternalScheduledEventPatchRequestPartialSchema as Schema,
};

function check(schema: Schema | undefined, body: unknown, what: string): string[] {
  if (!schema) return [`no schema for ${what}`];
  const result = schema.safeParse(body);
  if (!result.success) return result.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  const out: string[] = [];
  unknownKeys(schema, body, '', out);
  return out;
}

const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

export class LoopbackEvents {
  /** Scheduled events by id, across guilds (deleted ones are removed). */
  readonly events = new Map<string, EmulatedEvent>();
  /** Interested users per event. */
  readonly interested = new Map<string, Set<string>>();
  /** Threads started from a message, by message id. */
  readonly threadsByMessage = new Map<string, string>();
  /** Roles a test allows a message to ping (the opt-in role ping). */
  readonly allowedRolePings = new Set<string>();
  #denials: Denial[] = [];

  constructor(private readonly host: Host) {}

  /** Makes matching requests fail with Missing Permissions (or another code) `times` times (default: always). */
  deny(method: string, path: RegExp, options: { times?: number; code?: number } = {}): void {
    this.#denials.push({ method, path, times: options.times ?? Infinity, code: options.code ?? 50013 });
  }

  allow(): void {
    this.#denials = [];
  }

  // ---- Discord's own UI, as a member would use it ----

  /** A member moves the event in Discord's event page. */
  editInUi(eventId: string, patch: { startsAt?: number; endsAt?: number }): void {
    const event = this.events.get(eventId)!;
    if (patch.startsAt !== undefined) event.scheduled_start_time = new Date(patch.startsAt).toISOString();
    if (patch.endsAt !== undefined) event.scheduled_end_time = new Date(patch.endsAt).toISOString();
  }

  /** A member cancels the event in Discord's UI (status CANCELED). */
  cancelInUi(eventId: string): void {
    this.events.get(eventId)!.status = 4;
  }

  deleteInUi(eventId: string): void {
    this.events.delete(eventId);
  }

  markInterested(eventId: string, userId: string): void {
    const set = this.interested.get(eventId) ?? new Set();
    set.add(userId);
    this.interested.set(eventId, set);
    this.events.get(eventId)!.user_count = set.size;
  }

  // ---- validation and routing, called by LoopbackDiscord ----

  /** Violations for the request bodies this module owns; null when the request is not one of them. */
  validate(r: Pick<CapturedRequest, 'method' | 'path' | 'body'>): string[] | null {
    if (r.body === undefined) return null;
    if (r.method === 'POST' && EVENTS.test(r.path)) return check(CREATE_SCHEMAS[r.body?.entity_type], r.body, `event entity_type ${r.body?.entity_type}`);
    if (r.method === 'PATCH' && EVENT.test(r.path)) {
      const existing = this.events.get(EVENT.exec(r.path)![2]!);
      return check(PATCH_SCHEMAS[r.body?.entity_type ?? existing?.entity_type ?? 3], r.body, 'event patch');
    }
    if (r.method === 'POST' && THREAD_FROM_MESSAGE.test(r.path)) return check(spec.CreateTextThreadWithMessageRequestSchema as Schema, r.body, 'thread');
    if (r.method === 'PATCH' && MESSAGE.test(r.path)) {
      const violations = check(spec.MessageEditRequestPartialSchema as Schema, r.body, 'message edit');
      // The message-level rules (embed totals, rows, no pings) as for a new message.
      return [...new Set([...violations, ...validatePayload('channel-message', r.body, { allowedRoles: this.allowedRolePings })])];
    }
    return null;
  }

  route(r: CapturedRequest): Reply | null {
    const denial = this.#denials.find((d) => d.times > 0 && d.method === r.method && d.path.test(r.path));
    if (denial) {
      denial.times--;
      return error(403, denial.code, denial.code === 50013 ? 'Missing Permissions' : 'Missing Access');
    }
    let m: RegExpExecArray | null;
    if ((m = EVENTS.exec(r.path))) {
      if (r.method === 'GET') return { status: 200, body: [...this.events.values()].filter((e) => e.guild_id === m![1]) };
      if (r.method === 'POST') return this.#createEvent(m[1]!, r.body);
    }
    if ((m = EVENT_USERS.exec(r.path)) && r.method === 'GET') {
      const event = this.events.get(m[2]!);
      if (!event) return error(404, 10070, 'Unknown Guild Scheduled Event');
      const limit = Number(r.query.get('limit') ?? 100);
      if (!(limit >= 1 && limit <= 100)) return error(400, 50035, 'Invalid Form Body');
      const users = [...(this.interested.get(event.id) ?? [])].slice(0, limit);
      return { status: 200, body: users.map((id) => ({ guild_scheduled_event_id: event.id, user: { id, username: `member${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null } })) };
    }
    if ((m = EVENT.exec(r.path))) {
      const event = this.events.get(m[2]!);
      if (!event || event.guild_id !== m[1]) return error(404, 10070, 'Unknown Guild Scheduled Event');
      if (r.method === 'GET') return { status: 200, body: event };
      if (r.method === 'DELETE') {
        this.events.delete(event.id);
        return { status: 204 };
      }
      if (r.method === 'PATCH') return this.#patchEvent(event, r.body);
    }
    if ((m = THREAD_FROM_MESSAGE.exec(r.path)) && r.method === 'POST') return this.#startThread(m[1]!, m[2]!, r.body);
    if ((m = MESSAGE.exec(r.path))) {
      const [channelId, messageId] = [m[1]!, m[2]!];
      if (this.host.deletedChannels.has(channelId)) return error(404, 10003, 'Unknown Channel');
      const list = this.host.channelMessages.get(channelId) ?? [];
      const i = list.findIndex((x) => x.id === messageId);
      if (i < 0) return error(404, 10008, 'Unknown Message');
      if (r.method === 'DELETE') {
        list.splice(i, 1);
        return { status: 204 };
      }
      if (r.method === 'PATCH') {
        const body = r.body ?? {};
        list[i] = { ...list[i], ...('content' in body ? { content: body.content ?? '' } : {}), ...('embeds' in body ? { embeds: body.embeds ?? [] } : {}), ...('components' in body ? { components: body.components ?? [] } : {}), edited_timestamp: new Date().toISOString() };
        return { status: 200, body: list[i] };
      }
    }
    if ((m = CHANNEL.exec(r.path))) {
      const found = this.#channel(m[1]!);
      if (!found) return error(404, 10003, 'Unknown Channel');
      if (r.method === 'GET') return { status: 200, body: this.#channelObject(found.guild, found.channel) };
      if (r.method === 'DELETE') {
        this.host.deletedChannels.add(found.channel.id);
        return { status: 200, body: this.#channelObject(found.guild, found.channel) };
      }
    }
    if ((m = GUILD_CHANNELS.exec(r.path)) && r.method === 'GET') {
      const guild = this.host.guilds.find((g) => g.id === m![1]);
      if (!guild) return error(404, 10004, 'Unknown Guild');
      return { status: 200, body: guild.channels.filter((c) => !this.host.deletedChannels.has(c.id) && c.type !== 11).map((c) => this.#channelObject(guild, c)) };
    }
    return null;
  }

  #channel(id: string) {
    if (this.host.deletedChannels.has(id)) return null;
    for (const guild of this.host.guilds) {
      const channel = guild.channels.find((c) => c.id === id);
      if (channel) return { guild, channel };
    }
    return null;
  }

  #channelObject(guild: EmulatedGuild, c: EmulatedGuild['channels'][number] & { parent_id?: string }) {
    return { id: c.id, type: c.type ?? 0, name: c.name, guild_id: guild.id, position: 0, permission_overwrites: (this.host.overwrites?.(c.id) ?? []).map((o) => ({ id: o.id, type: o.type, allow: String(o.allow), deny: String(o.deny) })), flags: 0, ...(c.parent_id ? { parent_id: c.parent_id } : {}) };
  }

  #createEvent(guildId: string, body: any): Reply {
    const type = body?.entity_type;
    if (![1, 2, 3].includes(type)) return error(400, 50035, 'Invalid Form Body (entity_type)');
    const start = Date.parse(body.scheduled_start_time);
    if (!(start > Date.now() - 60_000 * 60 * 24 * 365 * 10)) return error(400, 50035, 'Invalid Form Body (scheduled_start_time)');
    if (type === 3 && (!body.entity_metadata?.location || !body.scheduled_end_time)) return error(400, 50035, 'Invalid Form Body (external events need a location and an end time)');
    if (type !== 3) {
      const found = body.channel_id ? this.#channel(body.channel_id) : null;
      if (!found) return error(404, 10003, 'Unknown Channel');
      if ((found.channel.type ?? 0) !== (type === 1 ? 13 : 2)) return error(400, 50035, 'Invalid Form Body (channel type does not match entity_type)');
    }
    const event: EmulatedEvent = {
      id: this.host.snowflake(),
      guild_id: guildId,
      channel_id: type === 3 ? null : body.channel_id,
      creator_id: this.host.botUserId,
      name: body.name,
      description: body.description ?? null,
      scheduled_start_time: body.scheduled_start_time,
      scheduled_end_time: body.scheduled_end_time ?? null,
      privacy_level: body.privacy_level,
      status: 1,
      entity_type: type,
      entity_id: null,
      entity_metadata: type === 3 ? { location: body.entity_metadata.location } : null,
      image: null,
      recurrence_rule: null,
      guild_scheduled_event_exceptions: [],
      user_count: 0,
    };
    this.events.set(event.id, event);
    return { status: 200, body: event };
  }

  #patchEvent(event: EmulatedEvent, body: any): Reply {
    if (event.status === 3 || event.status === 4) return error(400, 180000, 'Cannot modify a finished event');
    const type = body.entity_type ?? event.entity_type;
    if (type !== 3 && body.channel_id !== undefined && body.channel_id !== null && !this.#channel(body.channel_id)) return error(404, 10003, 'Unknown Channel');
    Object.assign(event, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.scheduled_start_time !== undefined ? { scheduled_start_time: body.scheduled_start_time } : {}),
      ...(body.scheduled_end_time !== undefined ? { scheduled_end_time: body.scheduled_end_time } : {}),
      ...(body.status !== undefined && body.status !== null ? { status: body.status } : {}),
      entity_type: type,
      channel_id: type === 3 ? null : (body.channel_id ?? event.channel_id),
      entity_metadata: type === 3 ? (body.entity_metadata ?? event.entity_metadata) : null,
    });
    return { status: 200, body: event };
  }

  #startThread(channelId: string, messageId: string, body: any): Reply {
    const found = this.#channel(channelId);
    if (!found) return error(404, 10003, 'Unknown Channel');
    if (!(this.host.channelMessages.get(channelId) ?? []).some((x) => x.id === messageId)) return error(404, 10008, 'Unknown Message');
    if (this.threadsByMessage.has(messageId)) return error(400, 160004, 'A thread has already been created for this message');
    // As on Discord, a thread started from a message shares the message's id.
    const thread = { id: messageId, name: String(body?.name ?? 'thread'), type: 11, parent_id: channelId };
    found.guild.channels.push(thread);
    this.threadsByMessage.set(messageId, thread.id);
    return {
      status: 201,
      body: {
        ...this.#channelObject(found.guild, thread),
        owner_id: this.host.botUserId,
        thread_metadata: { archived: false, auto_archive_duration: body?.auto_archive_duration ?? 4320, archive_timestamp: new Date().toISOString(), locked: false },
        member_count: 1,
        message_count: 0,
      },
    };
  }
}
