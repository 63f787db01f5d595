/** Attachment options for interaction payloads: the file is hosted by the loopback Discord, like Discord's CDN. */
import type { LoopbackDiscord } from './loopback-discord.ts';
import type { OptionInput } from './interactions.ts';

/** Hosts `content` and returns the option plus the `resolved.attachments` entry Discord would send with it. */
export function attachmentOption(discord: LoopbackDiscord, name: string, filename: string, content: string | Buffer, contentType = 'application/json') {
  const attachment = discord.hostAttachment(filename, content, contentType);
  const option: OptionInput = { name, type: 11, value: attachment.id };
  return { option, attachment };
}

/** Adds resolved attachments to a chat-input payload built with chatInput(). */
export function withAttachments<P extends { data: any }>(payload: P, attachments: { id: string }[]): P {
  payload.data.resolved = { ...payload.data.resolved, attachments: Object.fromEntries(attachments.map((a) => [a.id, a])) };
  return payload;
}
