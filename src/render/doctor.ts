/**
 * Pure rendering of /admin doctor: the problems first, each as the exact fix ("In #cohort, allow Induction:
 * Attach Files"), then what was checked. Roles are named in bold, never mentioned, so nothing can ping.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { GuildDoctorReport, JobStatus, PlaceCheck, RoleCheck } from '../doctor/report.ts';
import { permissionName, type Bits } from '../domain/permissions.ts';
import { cmd } from './command-mentions.ts';
import type { MessagePayload } from './glossary.ts';
import { SUCCESS_COLOUR, WARNING_COLOUR } from './style.ts';
import { joinWithin } from './text.ts';

const FIELD_MAX = 1024;
const stamp = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;
const names = (flags: readonly Bits[]) => listWords(flags.map(permissionName));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const roleName = (roleNames: ReadonlyMap<string, string>, id: string) => `**@${roleNames.get(id) ?? 'a deleted role'}**`;

/** The fixes for one place: one line per cause, so following them in order clears the channel. */
export function placeFixes(check: PlaceCheck, botName: string, roleNames: ReadonlyMap<string, string> = new Map()): string[] {
  const where = `<#${check.channelId}>`;
  if (!check.exists) return [`The channel for **${check.place.label}** is gone (or ${botName} cannot see it in the channel list): choose another with ${cmd(check.place.moveWith)}.`];
  const fixes: string[] = [];
  const allow: Bits[] = [];
  const byRole = new Map<string, Bits[]>();
  const byMember: Bits[] = [];
  const implied = new Map<Bits, Bits[]>();
  for (const { flag, cause } of check.missing) {
    if (cause.kind === 'timed-out') {
      fixes.push(`**${botName}** is timed out in this server: remove the timeout (right-click ${botName} → Remove Timeout).`);
      return fixes;
    }
    if (cause.kind === 'not-granted' || cause.kind === 'everyone-denies') allow.push(flag);
    else if (cause.kind === 'member-denies') byMember.push(flag);
    else if (cause.kind === 'role-denies') for (const id of cause.roleIds) byRole.set(id, [...(byRole.get(id) ?? []), flag]);
    else implied.set(cause.flag, [...(implied.get(cause.flag) ?? []), flag]);
  }
  const comesBack = (flags: Bits[]) => {
    const back = flags.flatMap((f) => implied.get(f) ?? []);
    return back.length ? ` (${names(back)} come${back.length === 1 ? 's' : ''} back with ${flags.length === 1 ? 'it' : 'them'})` : '';
  };
  if (allow.length) fixes.push(`In ${where}, allow ${botName}: ${names(allow)}${comesBack(allow)}.`);
  for (const [id, flags] of byRole) fixes.push(`In ${where}, the overwrite for ${roleName(roleNames, id)} denies ${names(flags)}: set ${flags.length === 1 ? 'it' : 'them'} to allow (or neutral)${comesBack(flags)}.`);
  if (byMember.length) fixes.push(`In ${where}, the overwrite for ${botName} itself denies ${names(byMember)}: set ${byMember.length === 1 ? 'it' : 'them'} to allow${comesBack(byMember)}.`);
  return fixes;
}

export function roleFix(check: RoleCheck, botName: string): string | null {
  const role = check.roleName ? `**@${check.roleName}**` : 'its role';
  const p = check.problem;
  if (!p) return null;
  switch (p.kind) {
    case 'unknown-role':
      return `The role of **${check.group}** was deleted: members still join, but get no role. Create the group again with ${cmd('studygroup create')} and a current role.`;
    case 'everyone':
      return `**${check.group}** hands out @everyone, which every member already has: create the group again with ${cmd('studygroup create')} and a real role.`;
    case 'managed':
      return `${role} (for **${check.group}**) belongs to an integration, and bots cannot hand it out: create the group again with ${cmd('studygroup create')} and another role.`;
    case 'no-manage-roles':
      return `In Server Settings → Roles, give ${botName} ${permissionName(P.ManageRoles)}, so it can hand out ${role} to members of **${check.group}**.`;
    case 'below':
      return p.highest && p.highest.id !== p.role.id && p.highest.name !== '@everyone'
        ? `In Server Settings → Roles, drag **@${p.highest.name ?? 'role'}** (${botName}'s highest role) above ${role}: a bot can only hand out roles below its own (for **${check.group}**).`
        : `In Server Settings → Roles, give ${botName} a role above ${role}: a bot can only hand out roles below its own (for **${check.group}**).`;
  }
}

function jobLine(job: JobStatus): string {
  if (job.blocked) {
    const missing = job.blocked.missing.length ? `missing ${names(job.blocked.missing)}` : 'Discord refused the post (Missing Permissions)';
    return `❌ **${job.label}**: could not post in <#${job.blocked.channelId}>${job.at ? ` ${stamp(job.at)}` : ''}: ${missing}.`;
  }
  if (job.lastError) return `❌ **${job.label}**: failed${job.at ? ` ${stamp(job.at)}` : ''}: ${job.lastError}`;
  return job.at ? `✅ **${job.label}**: last ran ${stamp(job.at)}.` : `✅ **${job.label}**: has not run yet.`;
}

/** Splits lines over as many fields as needed, each within Discord's 1024 characters. */
function fields(name: string, lines: readonly string[]): NonNullable<APIEmbed['fields']> {
  const out: NonNullable<APIEmbed['fields']> = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length && size + line.length + 1 > FIELD_MAX) {
      out.push({ name: out.length ? `${name} (continued)` : name, value: current.join('\n') });
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length) out.push({ name: out.length ? `${name} (continued)` : name, value: joinWithin(current, FIELD_MAX) });
  return out.slice(0, 6);
}

export function renderGuildDoctor(report: GuildDoctorReport): MessagePayload {
  const bot = `**${report.botName}**`;
  const problems: string[] = [];
  for (const check of report.places) problems.push(...placeFixes(check, bot, report.roleNames));
  for (const g of report.guildMissing) problems.push(`In Server Settings → Roles, give ${bot} ${names(g.missing)} (for ${g.feature.label}).`);
  for (const r of report.roles) {
    const fix = roleFix(r, bot);
    if (fix) problems.push(fix);
  }
  const failedJobs = report.jobs.filter((j) => j.lastError || j.blocked);

  const channelLines = report.places.map((c) =>
    !c.exists
      ? `❌ **${c.place.label}**: the channel is gone`
      : c.missing.length
        ? `❌ **${c.place.label}** in <#${c.channelId}>: missing ${names(c.missing.map((m) => m.flag))}`
        : `✅ **${c.place.label}** in <#${c.channelId}>`,
  );
  const roleLines = report.roles.map((r) => `${r.problem ? '❌' : '✅'} **${r.group}** hands out ${r.roleName ? `**@${r.roleName}**` : 'a deleted role'}`);

  const embedFields = [
    ...fields(`To fix (${plural(problems.length, 'problem')})`, problems.map((p, i) => `${i + 1}. ${p}`)),
    ...fields('Channels', channelLines.length ? channelLines : [`No study groups yet, so nothing to post anywhere. Start one with ${cmd('studygroup create')} or ${cmd('digest schedule')}.`]),
    ...(roleLines.length ? fields('Roles', roleLines) : []),
    ...(report.jobs.length ? fields('Scheduled jobs', report.jobs.map(jobLine)) : []),
  ].filter((f) => f.name && f.value);
  if (problems.length === 0) embedFields.shift();

  const summary =
    problems.length === 0 && failedJobs.length === 0
      ? `${bot} has every permission it needs in **${report.guildName}**.`
      : problems.length === 0
        ? `${bot} has every permission it needs now. A scheduled job failed earlier; it retries on its own.`
        : `${bot} is missing something in **${report.guildName}**. Follow the fixes in order, then run ${cmd('admin doctor')} again.`;
  return {
    embeds: [
      {
        title: `Set-up check: ${report.guildName}`.slice(0, 256),
        description: summary,
        color: problems.length || failedJobs.length ? WARNING_COLOUR : SUCCESS_COLOUR,
        fields: embedFields.slice(0, 25),
      },
    ],
  };
}

/** One line for a digest Discord refused to post for permissions (used by /digest status). */
export function blockedLine(blocked: { channelId: string; missing: readonly string[] }): string {
  const missing = blocked.missing.map((m) => permissionName(BigInt(m)));
  return missing.length
    ? `Cannot post in <#${blocked.channelId}>: missing ${listWords(missing)}. Allow ${missing.length === 1 ? 'it' : 'them'} there, then check with ${cmd('admin doctor')}.`
    : `Discord refused the post in <#${blocked.channelId}> (Missing Permissions), though the bot's permissions there look complete now. Check with ${cmd('admin doctor')}.`;
}
