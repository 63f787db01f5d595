/**
 * What the bot needs from Discord, per feature: the one list the invite URL, `npm run doctor`, `/admin doctor`
 * and the README's permission integer all come from. A feature counts as enabled when its command is loaded, so
 * adding a command module (for example /session) adds its permissions to the invite URL and to the checks.
 */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { Command } from './command.ts';

export type FeatureId = 'digests' | 'roles' | 'sessions';

export interface Feature {
  readonly id: FeatureId;
  /** Shown in the doctor's output: "weekly digests". */
  readonly label: string;
  /** The top-level command that turns the feature on. */
  readonly command: string;
  /** Needed in every channel where the feature posts. */
  readonly channel: readonly bigint[];
  /** Needed server-wide (they do not depend on a channel). */
  readonly guild: readonly bigint[];
  /** What each permission is for, in one short phrase. */
  readonly why: Readonly<Partial<Record<string, string>>>;
  /** When the feature is used only if an admin sets it up (e.g. a study group with a role). */
  readonly onlyWhen?: string;
}

export const FEATURES: readonly Feature[] = [
  {
    id: 'digests',
    label: 'weekly digests',
    command: 'digest',
    channel: [P.ViewChannel, P.SendMessages, P.EmbedLinks, P.AttachFiles, P.ReadMessageHistory],
    guild: [],
    why: {
      [String(P.ViewChannel)]: 'see the digest channel',
      [String(P.SendMessages)]: 'post the digest',
      [String(P.EmbedLinks)]: 'the digest is a set of embeds',
      [String(P.AttachFiles)]: 'the weekly chart',
      [String(P.ReadMessageHistory)]: 'check after a crash whether a digest already went out',
    },
  },
  {
    id: 'roles',
    label: 'study-group roles',
    command: 'studygroup',
    channel: [],
    guild: [P.ManageRoles],
    why: { [String(P.ManageRoles)]: 'give and remove a study group’s role' },
    onlyWhen: 'a study group gives its members a role',
  },
  {
    id: 'sessions',
    label: 'reading sessions',
    command: 'session',
    channel: [P.ViewChannel, P.SendMessages, P.EmbedLinks, P.CreatePublicThreads, P.SendMessagesInThreads],
    guild: [P.ManageEvents],
    why: {
      [String(P.ViewChannel)]: 'see the session channel',
      [String(P.SendMessages)]: 'announce sessions',
      [String(P.EmbedLinks)]: 'session cards are embeds',
      [String(P.CreatePublicThreads)]: 'open a discussion thread per session',
      [String(P.SendMessagesInThreads)]: 'post in the session thread',
      [String(P.ManageEvents)]: 'create the server event for a session',
    },
  },
];

export const feature = (id: FeatureId): Feature => FEATURES.find((f) => f.id === id)!;

/** The features whose command is loaded. */
export function enabledFeatures(commands: readonly Pick<Command<any>, 'data'>[]): Feature[] {
  const names = new Set(commands.map((c) => c.data.name));
  return FEATURES.filter((f) => names.has(f.command));
}

/** Every permission the features need, as one bitfield. */
export function permissionsFor(features: readonly Feature[]): bigint {
  return features.reduce((all, f) => [...f.channel, ...f.guild].reduce((a, b) => a | b, all), 0n);
}

/** The OAuth2 URL that adds the bot with exactly these permissions. */
export function inviteUrl(applicationId: string, permissions: bigint, guildId?: string): string {
  const query = new URLSearchParams({ client_id: applicationId, scope: 'bot applications.commands', permissions: String(permissions) });
  if (guildId) query.set('guild_id', guildId);
  return `https://discord.com/oauth2/authorize?${query.toString().replace(/%20/g, '+')}`;
}
