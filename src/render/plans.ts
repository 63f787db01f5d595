/** Pure rendering of study plans: a member's plan status, the plan list, one plan's weeks, and the progress-card line. */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import { capitalise, kindLabel } from './labels.ts';
import type { Registry } from '../registry/load.ts';
import type { Plan } from '../registry/plans.ts';
import type { Resource } from '../registry/schema.ts';
import type { MemberProgress } from '../store/repos/progress.ts';
import { customId } from '../discord/custom-id.ts';
import type { PlanTimeline, Standing } from '../domain/plans.ts';
import { cmd } from './command-mentions.ts';
import type { MessagePayload } from './glossary.ts';
import { formatMinutes, progressBar, statusBadge } from './progress-style.ts';
import { GROUP_COLOUR, REFERENCE_COLOUR, WARNING_COLOUR } from './style.ts';
import { joinWithin, link, mention, truncate } from './text.ts';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const date = (ms: number) => `<t:${Math.floor(ms / 1000)}:D>`;

export function standingLabel(s: Standing): string {
  if (s.kind === 'complete') return 'Plan complete';
  if (s.kind === 'behind') return `${s.behind} behind`;
  if (s.kind === 'ahead') return 'Ahead';
  return 'On track';
}

/** "Week 3 of 7: Probes and function vectors", or where the plan is when it is not running. */
export function weekHeading(plan: Plan, index: number): string {
  if (index < 0) return `Starts soon: week 1 of ${plan.weeks.length} is ${plan.weeks[0]!.title}`;
  if (index >= plan.weeks.length) return `Finished: all ${plural(plan.weeks.length, 'week')} are over`;
  return `Week ${index + 1} of ${plan.weeks.length}: ${plan.weeks[index]!.title}`;
}

function resourceLine(registry: Registry, id: string, progress: MemberProgress | undefined): string {
  const r = registry.resourceById.get(id);
  if (!r) return `▫️ ${id} (no longer in the registry)`;
  return `${statusBadge(progress?.entries[id]?.status)} ${link(truncate(r.title, 90), r.url)} · ${formatMinutes(r.estMinutes)}`;
}

export interface PlanStatusView {
  registry: Registry;
  groupName: string;
  groupId: string;
  timeline: PlanTimeline;
  memberId: string;
  viewerId: string;
  progress: MemberProgress | undefined;
  standing: Standing;
  now: number;
  notice?: string;
}

export function renderPlanStatus(view: PlanStatusView): MessagePayload {
  const { registry, timeline, standing, progress } = view;
  const plan = timeline.plan;
  const index = timeline.weekAt(view.now);
  const shown = Math.min(Math.max(index, 0), plan.weeks.length - 1);
  const week = plan.weeks[shown]!;
  const running = index >= 0 && index < plan.weeks.length;
  const when = `${date(timeline.weekStart(shown))} – ${date(timeline.weekStart(shown + 1) - 1000)}`;
  const late = standing.lateJoiner ? `\n*Measured from when ${view.memberId === view.viewerId ? 'you' : 'they'} joined: ${plural(standing.expectedWeeks, 'week')} of the plan due so far.*` : '';
  const description = [
    view.notice ? `${view.notice}\n` : '',
    `**${weekHeading(plan, index)}**`,
    running ? when : '',
    week.description && running ? `*${week.description}*` : '',
    '',
    `${mention(view.memberId)}: **${standingLabel(standing)}** · ${progressBar(standing.clearedRequired, standing.totalRequired)} required items${late}`,
  ].filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== '')).join('\n');

  const fields: NonNullable<APIEmbed['fields']> = [
    { name: running ? 'This week' : index < 0 ? 'Week 1' : 'Last week', value: joinWithin(week.required.map((id) => resourceLine(registry, id, progress)), 1024) },
  ];
  if (week.extras.length) fields.push({ name: 'Extras (optional)', value: joinWithin(week.extras.map((id) => resourceLine(registry, id, progress)), 1024) });
  const next = standing.next ? registry.resourceById.get(standing.next) : undefined;
  if (next) {
    fields.push({ name: 'Next to read', value: `${link(truncate(next.title, 150), next.url)}\n${capitalise(kindLabel(next.kind))} · ${next.level} · ${formatMinutes(next.estMinutes)}` });
  } else if (standing.kind === 'complete') {
    fields.push({ name: 'Next to read', value: `Every required item is done. ${cmd('progress next')} suggests what to read beyond the plan.` });
  }
  const embed: APIEmbed = {
    title: truncate(`${plan.title} · ${view.groupName}`, 256),
    description: truncate(description, 4096),
    color: standing.kind === 'behind' ? WARNING_COLOUR : GROUP_COLOUR,
    fields,
    footer: { text: 'Done or skipped items count towards the plan' },
  };
  const components: MessagePayload['components'] = [];
  if (next) {
    const buttons = [
      { type: ComponentType.Button as const, style: ButtonStyle.Primary as const, label: truncate(`Open: ${next.title}`, 80), custom_id: customId('plan', 'open', next.id, view.viewerId) },
    ];
    if (view.memberId === view.viewerId) {
      buttons.push({ type: ComponentType.Button as const, style: ButtonStyle.Success as const, label: 'Mark done', custom_id: customId('plan', 'done', next.id, view.viewerId) } as never);
    }
    components.push({ type: ComponentType.ActionRow, components: buttons });
  }
  return { embeds: [embed], components };
}

/** The empty state: what is missing, and the one command that fixes it. */
export function renderNoPlan(groupName: string | null): MessagePayload {
  const what = groupName ? `**${groupName}** has no study plan yet.` : 'None of your study groups follows a study plan yet.';
  return { content: `${what} An admin can start one with ${cmd('studygroup plan')}; see the plans with ${cmd('plan list')}.` };
}

export interface PlanListEntry {
  plan: Plan;
  custom: boolean;
  createdBy?: string;
  usedBy: string[];
}

export function renderPlanList(entries: readonly PlanListEntry[]): MessagePayload {
  const line = (e: PlanListEntry) => {
    const required = e.plan.weeks.reduce((n, w) => n + w.required.length, 0);
    const origin = e.custom ? ` · custom, by ${mention(e.createdBy ?? '0')}` : '';
    const used = e.usedBy.length ? `\nFollowed by ${e.usedBy.map((g) => `**${g}**`).join(', ')}` : '';
    return `**${e.plan.title}** (\`${e.plan.id}\`) · ${plural(e.plan.weeks.length, 'week')} · ${plural(required, 'required item')}${origin}\n${truncate(e.plan.description, 200)}${used}`;
  };
  return {
    embeds: [
      {
        title: 'Study plans',
        // Suggestions go in the body, where command mentions are clickable (not in a footer).
        description: truncate(`${joinWithin(entries.map(line), 3700, '\n\n')}\n\nSee a plan week by week with ${cmd('plan show')}; admins start one for a group with ${cmd('studygroup plan')}.`, 4096),
        color: REFERENCE_COLOUR,
      },
    ],
  };
}

export function renderPlanOverview(registry: Registry, plan: Plan, custom: boolean): MessagePayload {
  const title = (id: string) => registry.resourceById.get(id)?.title ?? id;
  const weeks = plan.weeks.map((w, i) => {
    const extras = w.extras.length ? `\n　extras: ${w.extras.map((id) => truncate(title(id), 60)).join(' · ')}` : '';
    const problems = w.problems.length ? `\n　problems: ${w.problems.map((p) => p.id).join(', ')}` : '';
    return `**Week ${i + 1}: ${w.title}**\n　${w.required.map((id) => truncate(title(id), 80)).join(' · ')}${extras}${problems}`;
  });
  return {
    embeds: [
      {
        title: truncate(plan.title, 256),
        description: truncate(`${plan.description}\n\n${joinWithin(weeks, 3500, '\n')}`, 4096),
        color: REFERENCE_COLOUR,
        footer: { text: `${custom ? 'Custom plan' : 'Built-in plan'} ${plan.id} · ${plural(plan.weeks.length, 'week')}` },
      },
    ],
  };
}

/** The line /progress show gains for each plan the member follows. */
export interface PlanProgressLine {
  groupName: string;
  planTitle: string;
  weekIndex: number;
  weekCount: number;
  standing: Standing;
}

export function planProgressField(lines: readonly PlanProgressLine[]): { name: string; value: string } | null {
  if (lines.length === 0) return null;
  const value = lines.map((l) => {
    const week = l.weekIndex < 0 ? 'not started' : l.weekIndex >= l.weekCount ? 'finished' : `week ${l.weekIndex + 1} of ${l.weekCount}`;
    return `${progressBar(l.standing.clearedRequired, l.standing.totalRequired)} ${truncate(l.planTitle, 80)} (${l.groupName}) · ${week} · **${standingLabel(l.standing)}**`;
  });
  return { name: 'Study plan', value: joinWithin(value, 1024) };
}

/** Adds the plan field to a progress card (its first embed), leaving every other part as it was. */
export function withPlanProgress(card: MessagePayload, field: { name: string; value: string } | null): MessagePayload {
  if (!field) return card;
  const [first, ...rest] = card.embeds ?? [];
  if (!first) return { ...card, content: `${card.content ?? ''}\n\n**${field.name}:** ${field.value}`.trim() };
  return { ...card, embeds: [{ ...first, fields: [...(first.fields ?? []), field].slice(0, 25) }, ...rest] };
}

export type { Resource };
