/** What /admin doctor reports: the types the checks (./guild-doctor.ts) produce and the renderer reads. */
import type { Feature } from '../discord/required-permissions.ts';
import type { RoleManageProblem } from '../domain/permissions.ts';
import type { ChannelCheck } from './guild-snapshot.ts';

/** A channel where a feature acts for a study group. */
export interface Place {
  /** "Autumn cohort digest". */
  label: string;
  channelId: string;
  feature: Feature;
  /** The command that moves the feature to another channel, for the fix (e.g. 'digest schedule'). */
  moveWith: string;
}

/** The last outcome of one scheduled job. */
export interface JobStatus {
  label: string;
  /** The last error, or null when the last run went well (or none has run). */
  lastError: string | null;
  at: number | null;
  /** For a permission failure: where, and which permissions were missing when it failed. */
  blocked: { channelId: string; missing: bigint[] } | null;
}

export interface PlaceCheck extends ChannelCheck {
  place: Place;
}

export interface RoleCheck {
  group: string;
  roleId: string;
  roleName: string | null;
  problem: RoleManageProblem | null;
}

export interface GuildDoctorReport {
  guildName: string;
  botName: string;
  /** Role id → name, for naming the role whose overwrite is in the way. */
  roleNames: ReadonlyMap<string, string>;
  places: PlaceCheck[];
  /** Server-wide permissions an enabled feature needs and the bot lacks (Manage Events for sessions, ...). */
  guildMissing: { feature: Feature; missing: bigint[] }[];
  roles: RoleCheck[];
  jobs: JobStatus[];
}
