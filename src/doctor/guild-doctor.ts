/**
 * /admin doctor: every place in this server where the bot must act, and whether it can, computed from the
 * server's roles and channel overwrites as Discord computes them. Places come from small providers, so a feature
 * (such as reading sessions, with a channel per group) adds its channels with one entry in PLACE_PROVIDERS.
 */
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { enabledFeatures, feature, type Feature } from '../discord/required-permissions.ts';
import { basePermissions, missingFrom, roleManageProblem, type RoleManageProblem } from '../domain/permissions.ts';
import { renderGuildDoctor } from '../render/doctor.ts';
import type { Services } from '../services.ts';
import type { StudyGroup } from '../store/repos/study-groups.ts';
import type { Session } from '../domain/sessions.ts';
import type { JobHealth } from '../store/repos/job-health.ts';
import { checkChannel, fetchGuildSnapshot, type GuildSnapshot } from './guild-snapshot.ts';
import type { GuildDoctorReport, JobStatus, Place, PlaceCheck, RoleCheck } from './report.ts';

export type { GuildDoctorReport, JobStatus, Place, PlaceCheck, RoleCheck } from './report.ts';

/** What the providers read: the server's study groups, and its reading sessions that have not ended yet. */
export interface DoctorInputs {
  groups: readonly StudyGroup[];
  sessions: readonly Session[];
  /** The last outcome of each background job (claim sweep, session jobs, flashcard reminders). */
  jobHealth: JobHealth;
}

export type PlaceProvider = (inputs: DoctorInputs) => Place[];

/** Each group's digest goes to its channel (once scheduled; checked before, so the first one arrives). */
const digestPlaces: PlaceProvider = ({ groups }) =>
  groups.map((g) => ({ label: `${g.name} digest`, channelId: g.channelId, feature: feature('digests'), moveWith: 'digest schedule' }));

/**
 * Every source of places. Sessions plug in here with one entry, e.g.
 * `(groups) => groups.filter((g) => g.sessionChannelId).map((g) => ({ label: `${g.name} sessions`, channelId: g.sessionChannelId!, feature: feature('sessions'), moveWith: 'session channel' }))`.
 */
const groupName = (groups: readonly StudyGroup[], id: string) => groups.find((g) => g.id === id)?.name ?? id;

/** Each channel where a coming reading session is announced (and its thread lives), once per group and channel. */
const sessionPlaces: PlaceProvider = ({ groups, sessions }) => {
  const seen = new Set<string>();
  const places: Place[] = [];
  for (const s of sessions) {
    const key = `${s.groupId}:${s.channelId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    places.push({ label: `${groupName(groups, s.groupId)} reading sessions`, channelId: s.channelId, feature: feature('sessions'), moveWith: 'session schedule' });
  }
  return places;
};

export const PLACE_PROVIDERS: PlaceProvider[] = [digestPlaces, sessionPlaces];

export type JobProvider = (inputs: DoctorInputs) => JobStatus[];

const digestJobs: JobProvider = ({ groups }) =>
  groups
    .filter((g) => g.schedule || g.runs.length)
    .map((g) => {
      const last = g.runs[0];
      const failed = last?.state === 'failed' ? last : undefined;
      return {
        label: `${g.name} digest`,
        lastError: failed?.lastError ?? null,
        at: failed ? failed.claimedAt : (last?.postedAt ?? null),
        blocked: failed?.blocked ? { channelId: failed.blocked.channelId, missing: failed.blocked.missing.map(BigInt) } : null,
      };
    });

/** Every scheduled job whose last outcome the report shows (sessions add theirs here). */
/** A coming session's reminders: the last one skipped or failed, with its reason. */
const sessionJobs: JobProvider = ({ groups, sessions }) =>
  sessions
    .filter((s) => s.reminders.length > 0)
    .map((s) => {
      const failed = [...s.reminders].reverse().find((r) => r.reason);
      return { label: `${groupName(groups, s.groupId)} session reminders (${new Date(s.startsAt).toISOString().slice(0, 10)})`, lastError: failed?.reason ?? null, at: null, blocked: null };
    });

/** The server's background jobs that recorded an outcome: their last error, or that they recovered. */
const backgroundJobs: JobProvider = ({ jobHealth }) =>
  Object.entries(jobHealth.jobs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, outcome]) => ({ label, lastError: outcome.error, at: outcome.since, blocked: null }));

export const JOB_PROVIDERS: JobProvider[] = [digestJobs, sessionJobs, backgroundJobs];

/** The checks, from a snapshot of the server and the study groups. Pure. */
export function diagnoseGuild(
  snapshot: GuildSnapshot,
  groups: readonly StudyGroup[],
  features: readonly Feature[],
  now?: number,
  extra: { sessions?: readonly Session[]; jobHealth?: JobHealth } = {},
): GuildDoctorReport {
  const inputs: DoctorInputs = { groups, sessions: extra.sessions ?? [], jobHealth: extra.jobHealth ?? { jobs: {} } };
  const enabled = new Set(features.map((f) => f.id));
  const places = PLACE_PROVIDERS.flatMap((p) => p(inputs)).filter((p) => enabled.has(p.feature.id));
  const base = basePermissions(snapshot.guild, snapshot.bot, now);
  const guildMissing = features
    .filter((f) => f.id !== 'roles' && f.guild.length > 0 && places.some((p) => p.feature.id === f.id))
    .map((f) => ({ feature: f, missing: missingFrom(base, f.guild) }))
    .filter((g) => g.missing.length > 0);
  const roles = enabled.has('roles')
    ? groups
        .filter((g) => g.roleId)
        .map((g) => ({
          group: g.name,
          roleId: g.roleId!,
          roleName: snapshot.guild.roles.find((r) => r.id === g.roleId)?.name ?? null,
          problem: roleManageProblem(snapshot.guild, snapshot.bot, g.roleId!, now),
        }))
    : [];
  return {
    guildName: snapshot.guild.name,
    botName: snapshot.botName,
    roleNames: new Map(snapshot.guild.roles.map((r) => [r.id, r.name ?? 'role'])),
    places: places.map((place) => ({ place, ...checkChannel(snapshot, place.channelId, place.feature.channel, now) })),
    guildMissing,
    roles,
    jobs: JOB_PROVIDERS.flatMap((p) => p(inputs)),
  };
}

/** The /admin doctor handler: answer privately at once, then fetch the server through REST and report. */
export async function runGuildDoctor(interaction: ChatInputCommandInteraction, services: Services): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const guildId = interaction.guildId!;
  const now = services.clock.now();
  const [snapshot, groups, stored, jobHealth] = await Promise.all([
    fetchGuildSnapshot(interaction.client.rest, guildId, interaction.client.user.id),
    services.repos.studyGroups.list(guildId),
    // A damaged sessions or job record must not stop the report: the failing job shows up in it instead.
    services.repos.sessions.all(guildId).catch(() => ({ sessions: [] as Session[] })),
    services.repos.jobHealth.get(guildId).catch(() => ({ jobs: {} })),
  ]);
  // Sessions that have not ended yet still need their channel and thread.
  const coming = stored.sessions.filter((s) => s.status === 'scheduled' && s.startsAt + s.durationMin * 60_000 > now);
  const report = diagnoseGuild(snapshot, groups, enabledFeatures(services.commands), now, { sessions: coming, jobHealth });
  await interaction.editReply(renderGuildDoctor(report));
}
