/**
 * The bot permissions reading sessions need, as one list that the README's invite integer and `npm run doctor`
 * (which builds the invite URL) can share.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';

export const SESSION_PERMISSIONS = [
  { name: 'View Channels', flag: PermissionFlagsBits.ViewChannel, why: 'see the group channel and the voice or stage channel of a session' },
  { name: 'Send Messages', flag: PermissionFlagsBits.SendMessages, why: 'post the announcement' },
  { name: 'Embed Links', flag: PermissionFlagsBits.EmbedLinks, why: 'the resource card on the announcement' },
  { name: 'Read Message History', flag: PermissionFlagsBits.ReadMessageHistory, why: 'start the thread on the announcement' },
  { name: 'Manage Events', flag: PermissionFlagsBits.ManageEvents, why: 'create, edit and cancel the Discord scheduled event' },
  { name: 'Create Public Threads', flag: PermissionFlagsBits.CreatePublicThreads, why: 'open the discussion thread on the announcement' },
  { name: 'Send Messages in Threads', flag: PermissionFlagsBits.SendMessagesInThreads, why: 'post the glossary terms and reminders in the thread' },
] as const;

/** The permission bitfield for SESSION_PERMISSIONS, as Discord's invite URL takes it. */
export const SESSION_PERMISSION_BITS: bigint = SESSION_PERMISSIONS.reduce((bits, p) => bits | p.flag, 0n);
