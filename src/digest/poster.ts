/** Posts digest messages through Discord's REST API, so it works the same from the gateway or HTTP mode. */
import { createHash } from 'node:crypto';
import type { REST } from '@discordjs/rest';
import { Routes, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { missingInChannel } from '../doctor/guild-snapshot.ts';

export interface DigestPoster {
  post(channelId: string, message: { embeds: APIEmbed[]; nonce: string; chart: Buffer | null; chartName: string }): Promise<{ id: string }>;
  /** The channel's latest messages by this bot, newest first, for recovery after a crash. */
  recentOwn(channelId: string, limit: number): Promise<APIMessage[]>;
  /** After a refused post: which of `required` the bot lacks in the channel now (null when it cannot tell). */
  missingPermissions?(guildId: string, channelId: string, required: readonly bigint[]): Promise<bigint[] | null>;
}

/** A nonce unique per guild, group, week and part (Discord allows 25 characters). */
export function digestNonce(guildId: string, groupId: string, period: string, part: number): string {
  return createHash('sha256').update(`${guildId}:${groupId}:${period}:${part}`).digest('base64url').slice(0, 25);
}

export function restPoster(rest: REST, botUserId: () => string): DigestPoster {
  return {
    async post(channelId, { embeds, nonce, chart, chartName }) {
      const body = {
        embeds,
        nonce,
        // Discord returns the existing message for a repeated nonce instead of posting it twice.
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
        ...(chart ? { attachments: [{ id: '0', filename: chartName }] } : {}),
      };
      const result = (await rest.post(Routes.channelMessages(channelId), {
        body,
        ...(chart ? { files: [{ name: chartName, data: chart, contentType: 'image/png' }] } : {}),
      })) as APIMessage;
      return { id: result.id };
    },
    async recentOwn(channelId, limit) {
      const messages = (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(limit) }) })) as APIMessage[];
      const me = botUserId();
      return messages.filter((m) => m.author.id === me);
    },
    missingPermissions: (guildId, channelId, required) => missingInChannel(rest, guildId, channelId, botUserId(), required),
  };
}
