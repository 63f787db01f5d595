/** Direct messages through Discord's REST API (a DM channel per member, opened once and remembered). */
import type { REST } from '@discordjs/rest';
import { Routes, type APIChannel } from 'discord-api-types/v10';
import type { MessagePayload } from '../render/glossary.ts';

export interface DirectMessenger {
  send(userId: string, message: MessagePayload): Promise<void>;
}

/** Discord's "Cannot send messages to this user": the member's DMs are closed to the bot. */
export const DMS_CLOSED = 50007;

/** The JSON error code of a Discord API error, checked by shape since bundled copies of the class differ. */
export const discordErrorCode = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'rawError' in error && typeof (error as { code?: unknown }).code === 'number'
    ? (error as unknown as { code: number }).code
    : undefined;

export function restMessenger(rest: REST): DirectMessenger {
  const channels = new Map<string, string>();
  return {
    async send(userId, message) {
      let channelId = channels.get(userId);
      if (!channelId) {
        const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
        channelId = channel.id;
        if (channels.size > 10_000) channels.clear();
        channels.set(userId, channelId);
      }
      await rest.post(Routes.channelMessages(channelId), { body: { ...message, allowed_mentions: { parse: [] } } });
    },
  };
}
