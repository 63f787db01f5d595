/**
 * The Discord REST calls reading sessions make, through discord.js's REST client, so the same code runs in gateway
 * and HTTP-interactions mode: scheduled events, the announcement, its thread, and looking up channels.
 */
import { createHash } from 'node:crypto';
import type { REST } from '@discordjs/rest';
import {
  ChannelType,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  Routes,
  type APIChannel,
  type APIGuildScheduledEvent,
  type APIGuildScheduledEventUser,
  type APIMessage,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPatchAPIGuildScheduledEventJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIGuildScheduledEventJSONBody,
} from 'discord-api-types/v10';
import type { EventSnapshot, SessionLocation } from '../domain/sessions.ts';

/** Discord API errors carry a numeric JSON error code; checked by shape, since bundled copies of the class differ. */
export function discordCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'rawError' in error && typeof (error as { code?: unknown }).code === 'number'
    ? (error as unknown as { code: number }).code
    : undefined;
}

export const MISSING_PERMISSIONS = 50013;
export const MISSING_ACCESS = 50001;
export const UNKNOWN_CHANNEL = 10003;
export const UNKNOWN_MESSAGE = 10008;
export const UNKNOWN_EVENT = 10070;

export const isPermissionError = (error: unknown) => {
  const code = discordCode(error);
  return code === MISSING_PERMISSIONS || code === MISSING_ACCESS;
};
export const isGone = (error: unknown) => {
  const code = discordCode(error);
  return code === UNKNOWN_CHANNEL || code === UNKNOWN_MESSAGE || code === UNKNOWN_EVENT;
};

/** A nonce unique per purpose (Discord allows 25 characters and enforces it with enforce_nonce). */
export function sessionNonce(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join(':')).digest('base64url').slice(0, 25);
}

export function eventBody(input: { name: string; description: string; startsAt: number; endsAt: number; location: SessionLocation }): RESTPostAPIGuildScheduledEventJSONBody {
  const base = {
    name: input.name,
    description: input.description,
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
    scheduled_start_time: new Date(input.startsAt).toISOString(),
    scheduled_end_time: new Date(input.endsAt).toISOString(),
  };
  if (input.location.kind === 'external') {
    return { ...base, entity_type: GuildScheduledEventEntityType.External, entity_metadata: { location: input.location.place } };
  }
  return {
    ...base,
    entity_type: input.location.kind === 'stage' ? GuildScheduledEventEntityType.StageInstance : GuildScheduledEventEntityType.Voice,
    channel_id: input.location.channelId,
  };
}

export function snapshotOf(event: APIGuildScheduledEvent): EventSnapshot {
  return {
    status: event.status,
    startsAt: Date.parse(event.scheduled_start_time),
    endsAt: event.scheduled_end_time ? Date.parse(event.scheduled_end_time) : null,
    name: event.name,
  };
}

export const eventUrl = (guildId: string, eventId: string) => `https://discord.com/events/${guildId}/${eventId}`;
export const messageUrl = (guildId: string, channelId: string, messageId: string) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

export interface SessionsApi {
  createEvent(guildId: string, body: RESTPostAPIGuildScheduledEventJSONBody): Promise<APIGuildScheduledEvent>;
  editEvent(guildId: string, eventId: string, body: RESTPatchAPIGuildScheduledEventJSONBody): Promise<APIGuildScheduledEvent>;
  deleteEvent(guildId: string, eventId: string): Promise<void>;
  /** The event, or null when it no longer exists. */
  getEvent(guildId: string, eventId: string): Promise<APIGuildScheduledEvent | null>;
  interestedUsers(guildId: string, eventId: string): Promise<string[]>;
  post(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage>;
  edit(channelId: string, messageId: string, body: RESTPatchAPIChannelMessageJSONBody): Promise<APIMessage>;
  deleteMessage(channelId: string, messageId: string): Promise<void>;
  startThread(channelId: string, messageId: string, name: string): Promise<APIChannel>;
  deleteChannel(channelId: string): Promise<void>;
  /** The channel, or null when it does not exist. */
  channel(channelId: string): Promise<APIChannel | null>;
  /** The guild's voice and stage channels, for `location` autocomplete. */
  voiceChannels(guildId: string): Promise<{ id: string; name: string; type: ChannelType }[]>;
}

export function sessionsApi(rest: REST): SessionsApi {
  return {
    async createEvent(guildId, body) {
      return (await rest.post(Routes.guildScheduledEvents(guildId), { body })) as APIGuildScheduledEvent;
    },
    async editEvent(guildId, eventId, body) {
      return (await rest.patch(Routes.guildScheduledEvent(guildId, eventId), { body })) as APIGuildScheduledEvent;
    },
    async deleteEvent(guildId, eventId) {
      await rest.delete(Routes.guildScheduledEvent(guildId, eventId));
    },
    async getEvent(guildId, eventId) {
      try {
        return (await rest.get(Routes.guildScheduledEvent(guildId, eventId))) as APIGuildScheduledEvent;
      } catch (error) {
        if (discordCode(error) === UNKNOWN_EVENT) return null;
        throw error;
      }
    },
    async interestedUsers(guildId, eventId) {
      const users = (await rest.get(Routes.guildScheduledEventUsers(guildId, eventId), { query: new URLSearchParams({ limit: '100' }) })) as APIGuildScheduledEventUser[];
      return users.map((u) => u.user.id);
    },
    async post(channelId, body) {
      return (await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    },
    async edit(channelId, messageId, body) {
      return (await rest.patch(Routes.channelMessage(channelId, messageId), { body })) as APIMessage;
    },
    async deleteMessage(channelId, messageId) {
      await rest.delete(Routes.channelMessage(channelId, messageId));
    },
    async startThread(channelId, messageId, name) {
      return (await rest.post(Routes.threads(channelId, messageId), { body: { name, auto_archive_duration: 10080 } })) as APIChannel;
    },
    async deleteChannel(channelId) {
      await rest.delete(Routes.channel(channelId));
    },
    async channel(channelId) {
      try {
        return (await rest.get(Routes.channel(channelId))) as APIChannel;
      } catch (error) {
        if (discordCode(error) === UNKNOWN_CHANNEL) return null;
        throw error;
      }
    },
    async voiceChannels(guildId) {
      const channels = (await rest.get(Routes.guildChannels(guildId))) as APIChannel[];
      return channels
        .filter((c) => c.type === ChannelType.GuildVoice || c.type === ChannelType.GuildStageVoice)
        .map((c) => ({ id: c.id, name: 'name' in c && c.name ? c.name : c.id, type: c.type }));
    },
  };
}
