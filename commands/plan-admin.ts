/**
 * The admin side of study plans: a group adopts a plan (`/studygroup plan`), and a server uploads or deletes its
 * own plans (`/plan upload`, `/plan delete`). Every handler checks Manage Server on the server side. Bad input
 * gets one private message that names the problem (the week and the id for a plan), and nothing is stored.
 */
import type { Attachment, ChatInputCommandInteraction } from 'discord.js';
import { MessageFlags } from 'discord.js';
import { requireManageGuild } from '../src/discord/permissions.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { checkStartDate, civilDate, localDay, PlanTimeline } from '../src/domain/plans.ts';
import { Plan, planReferenceProblems, planShapeProblems } from '../src/registry/plans.ts';
import { cmd } from '../src/render/command-mentions.ts';
import { plural, weekHeading } from '../src/render/plans.ts';
import { findPlan, groupCalendar, groupNamed } from '../src/plans/resolve.ts';
import type { Services } from '../src/services.ts';
import { MAX_CUSTOM_PLANS } from '../src/store/repos/plans.ts';

/** The largest plan file accepted: 52 weeks of ids fit in a few kilobytes. */
export const UPLOAD_MAX_BYTES = 200_000;
const UPLOAD_PLANS_MAX = 5;
export const STOP_PLAN = 'none';
const date = (ms: number) => `<t:${Math.floor(ms / 1000)}:D>`;

function problemList(title: string, problems: string[]): string {
  const shown = problems.slice(0, 10).map((p) => `• ${quote(p, 180)}`);
  const more = problems.length > 10 ? `\n…and ${problems.length - 10} more.` : '';
  return `${title}\n${shown.join('\n')}${more}\nNothing was saved.`;
}

/** `/studygroup plan group plan [start]`: start, switch, restart or stop a group's plan. */
export async function adoptPlan(interaction: ChatInputCommandInteraction, options: { group: string; plan: string; start?: string | undefined }, services: Services): Promise<void> {
  if (!(await requireManageGuild(interaction))) return;
  const guildId = interaction.guildId!;
  const now = services.clock.now();
  const groups = await services.repos.studyGroups.list(guildId);
  const group = groupNamed(groups, options.group);
  if (!group) return replyEphemeral(interaction, `No study group "${quote(options.group)}". See ${cmd('studygroup list')}, or create one with ${cmd('studygroup create')}.`);

  if (options.plan.trim().toLowerCase() === STOP_PLAN) {
    const stopped = await services.repos.plans.stop(guildId, group.id);
    return replyEphemeral(interaction, stopped ? `**${group.name}** no longer follows a study plan. Everyone's progress is kept.` : `**${group.name}** was not following a study plan.`);
  }
  const plans = await services.repos.plans.get(guildId);
  const found = findPlan(services, plans, options.plan.trim());
  if (!found) {
    const ids = [...services.registry.plans.map((p) => p.id), ...plans.custom.map((c) => c.plan.id)];
    return replyEphemeral(interaction, `Unknown plan "${quote(options.plan)}". Plans here: ${ids.map((id) => `\`${id}\``).join(', ')}. See them with ${cmd('plan list')}.`);
  }
  const timezone = group.schedule?.timezone ?? 'UTC';
  const today = localDay(now, timezone);
  const checked = options.start === undefined || options.start.trim().toLowerCase() === 'today' ? { ok: true as const, day: today } : checkStartDate(options.start, today);
  if (!checked.ok) return replyEphemeral(interaction, `${checked.reason} Nothing was changed.`);
  const startDate = civilDate(checked.day);
  const { replaced } = await services.repos.plans.adopt(guildId, group.id, found.plan.id, startDate, interaction.user.id, now);

  const timeline = new PlanTimeline(found.plan, groupCalendar(group, startDate));
  const weekday = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][(group.schedule?.weekday ?? 1) - 1];
  const switched = replaced
    ? replaced.planId === found.plan.id
      ? ' It restarts the plan it was following; everyone’s progress is kept.'
      : ` It replaces \`${replaced.planId}\`; everyone’s progress is kept.`
    : '';
  await replyEphemeral(
    interaction,
    [
      `**${group.name}** now follows **${found.plan.title}** (${plural(found.plan.weeks.length, 'week')}), starting ${startDate} (${timezone}).${switched}`,
      `Weeks begin on ${weekday}s${group.schedule ? ', the digest day' : ''}: week 1 runs ${date(timeline.weekStart(0))} – ${date(timeline.weekStart(1) - 1000)}.`,
      `Now: ${weekHeading(found.plan, timeline.weekAt(now))}. Members see where they stand with ${cmd('plan status')}.`,
    ].join('\n'),
  );
}

/** Reads an uploaded attachment as text, refusing anything too large or not served. */
async function download(attachment: Attachment): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  if (attachment.size > UPLOAD_MAX_BYTES) return { ok: false, reason: `The file is ${Math.ceil(attachment.size / 1000)} kB; a plan file may be at most ${UPLOAD_MAX_BYTES / 1000} kB.` };
  try {
    const response = await fetch(attachment.url, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    if (!response.ok) return { ok: false, reason: `I could not download the file (HTTP ${response.status}). Try uploading it again.` };
    const buffer = Buffer.from(await response.arrayBuffer());
    if (buffer.length > UPLOAD_MAX_BYTES) return { ok: false, reason: `The file is larger than ${UPLOAD_MAX_BYTES / 1000} kB.` };
    return { ok: true, text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
  } catch {
    return { ok: false, reason: 'I could not download the file. Try uploading it again.' };
  }
}

/** Parses and checks an uploaded plan file: a plan object, or `{ "plans": [...] }` as in data/plans.json. */
export function parsePlanUpload(text: string, services: Services, builtInIds: ReadonlySet<string>): { ok: true; plans: Plan[] } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `That file is not JSON (${quote((error as Error).message, 120)}). Export a plan with ${cmd('plan export')} to see the format. Nothing was saved.` };
  }
  const list = json && typeof json === 'object' && Array.isArray((json as { plans?: unknown }).plans) ? (json as { plans: unknown[] }).plans : [json];
  if (list.length === 0) return { ok: false, message: 'The file lists no plans. Nothing was saved.' };
  if (list.length > UPLOAD_PLANS_MAX) return { ok: false, message: `Upload at most ${UPLOAD_PLANS_MAX} plans at a time (the file has ${list.length}). Nothing was saved.` };
  const plans: Plan[] = [];
  const problems: string[] = [];
  list.forEach((raw, i) => {
    const name = typeof (raw as { id?: unknown })?.id === 'string' ? `plan "${(raw as { id: string }).id}"` : `plan ${i + 1}`;
    const { $schema: _schema, ...rest } = (raw ?? {}) as Record<string, unknown>;
    const parsed = Plan.safeParse(rest);
    if (!parsed.success) {
      problems.push(...planShapeProblems(parsed.error).map((p) => `${name}: ${p}`));
      return;
    }
    const plan = parsed.data;
    if (builtInIds.has(plan.id)) problems.push(`${name}: the id is taken by a built-in plan; choose another id`);
    if (plans.some((p) => p.id === plan.id)) problems.push(`${name}: listed twice in the file`);
    problems.push(...planReferenceProblems(plan, services.registry).map((p) => `${name}: ${p}`));
    plans.push(plan);
  });
  if (problems.length) return { ok: false, message: problemList(`That plan file has ${plural(problems.length, 'problem')}:`, problems) };
  return { ok: true, plans };
}

/** `/plan upload file`: adds the server's own plans, or replaces ones with the same id. */
export async function uploadPlans(interaction: ChatInputCommandInteraction, services: Services): Promise<void> {
  if (!(await requireManageGuild(interaction))) return;
  const attachment = interaction.options.getAttachment('file');
  if (!attachment) return replyEphemeral(interaction, 'Attach a JSON plan file to the `file` option.');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const file = await download(attachment);
  if (!file.ok) return replyEphemeral(interaction, `${file.reason} Nothing was saved.`);
  const parsed = parsePlanUpload(file.text, services, new Set(services.registry.plans.map((p) => p.id)));
  if (!parsed.ok) return replyEphemeral(interaction, parsed.message);
  const guildId = interaction.guildId!;
  const now = services.clock.now();
  const userId = interaction.user.id;
  const result = await services.repos.plans.mutate(guildId, (stored) => {
    const added = parsed.plans.filter((p) => !stored.custom.some((c) => c.plan.id === p.id)).length;
    if (stored.custom.length + added > MAX_CUSTOM_PLANS) return { full: true as const };
    const replaced: string[] = [];
    for (const plan of parsed.plans) {
      const existing = stored.custom.find((c) => c.plan.id === plan.id);
      if (existing) {
        existing.plan = plan;
        existing.updatedBy = userId;
        existing.updatedAt = now;
        replaced.push(plan.id);
      } else stored.custom.push({ plan, createdBy: userId, createdAt: now, updatedBy: userId, updatedAt: now });
    }
    return { full: false as const, replaced };
  });
  if (result.full) return replyEphemeral(interaction, `A server can keep at most ${MAX_CUSTOM_PLANS} custom plans. Delete one with ${cmd('plan delete')} first. Nothing was saved.`);
  const lines = parsed.plans.map((p) => `• **${p.title}** (\`${p.id}\`): ${plural(p.weeks.length, 'week')}${result.replaced.includes(p.id) ? ' (replaced the earlier version)' : ''}`);
  await replyEphemeral(interaction, `Saved ${plural(parsed.plans.length, 'custom plan')}:\n${lines.join('\n')}\nStart one for a group with ${cmd('studygroup plan')}.`);
}

/** `/plan delete plan`: removes a custom plan no group follows. */
export async function deleteCustomPlan(interaction: ChatInputCommandInteraction, planId: string, services: Services): Promise<void> {
  if (!(await requireManageGuild(interaction))) return;
  const guildId = interaction.guildId!;
  const outcome = await services.repos.plans.mutate(guildId, (stored) => {
    if (!stored.custom.some((c) => c.plan.id === planId)) return { kind: 'missing' as const };
    const users = stored.adoptions.filter((a) => a.planId === planId).map((a) => a.groupId);
    if (users.length) return { kind: 'in-use' as const, users };
    stored.custom = stored.custom.filter((c) => c.plan.id !== planId);
    return { kind: 'deleted' as const };
  });
  if (outcome.kind === 'missing') {
    const builtIn = services.registry.planById.has(planId);
    return replyEphemeral(interaction, builtIn ? `\`${quote(planId)}\` is a built-in plan; only custom plans can be deleted.` : `No custom plan "${quote(planId)}" in this server. See ${cmd('plan list')}.`);
  }
  if (outcome.kind === 'in-use') {
    return replyEphemeral(interaction, `\`${planId}\` is followed by ${outcome.users.map((g) => `**${g}**`).join(', ')}. Switch or stop ${outcome.users.length === 1 ? 'that group' : 'those groups'} with ${cmd('studygroup plan')} first.`);
  }
  await replyEphemeral(interaction, `Deleted the custom plan \`${planId}\`.`);
}
