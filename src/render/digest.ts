/**
 * Pure rendering of a weekly digest into one or more channel messages within Discord's limits
 * (4096 characters per embed description, 6000 per message, 10 embeds per message).
 * Member names are mentions, which never ping: allowed_mentions is always empty.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Digest, MemberWeek, Totals } from '../domain/digest-compose.ts';
import { isQuietWeek } from '../domain/digest-compose.ts';
import type { Problem } from '../registry/schema.ts';
import { GROUP_COLOUR } from './style.ts';
import { renderDigestPlan } from './digest-plan.ts';
import { cmd } from './command-mentions.ts';
import { joinWithin, link, mention, plural, timestamp, truncate } from './text.ts';
import { INTENT_LABEL, problemRef } from './problem-card.ts';
import { renderFlashcardWeek } from './flashcard-digest.ts';

export const CHART_NAME = 'digest.png';
const DESCRIPTION_MAX = 4000;
/** The most active members listed by name; a weekly post for a 10,000-member cohort must stay readable. */
export const MEMBERS_LISTED = 50;
const MESSAGE_MAX = 5900;
const EMBEDS_MAX = 10;

export interface DigestPart {
  embeds: APIEmbed[];
  /** The chart goes with the first part only. */
  withChart: boolean;
}

const FOOTER_PREFIX = 'Induction weekly digest';

export function digestFooter(groupName: string, period: string, part: number, parts: number): string {
  return `${FOOTER_PREFIX} · ${groupName} · week ending ${period} · ${part}/${parts}`;
}

/** Reads back the part number from a posted digest's footer, for recovery after a crash. */
export function digestPartOf(footer: string | undefined, groupName: string, period: string): number | null {
  const prefix = `${FOOTER_PREFIX} · ${groupName} · week ending ${period} · `;
  if (!footer?.startsWith(prefix)) return null;
  const part = Number.parseInt(footer.slice(prefix.length), 10);
  return Number.isFinite(part) ? part : null;
}

function delta(now: number, before: number): string {
  if (now === before) return '';
  return now > before ? ` (▲${now - before})` : ` (▼${before - now})`;
}

/** The headline counts; the ▲/▼ against the week before only when there was one (not on a group's first digest). */
function totalsLine(t: Totals, p: Totals, compared: boolean): string {
  const d = (now: number, before: number) => (compared ? delta(now, before) : '');
  return [
    `✅ **${t.completed}** finished${d(t.completed, p.completed)}`,
    `📖 **${t.started}** started${d(t.started, p.started)}`,
    `🧩 **${plural(t.claimed, 'claim')}** on ${plural(t.claimedProblems, 'problem')}${d(t.claimed, p.claimed)}`,
    `🔁 **${plural(t.checkins, 'check-in')}**${d(t.checkins, p.checkins)}`,
    `🏁 **${t.done}** ${t.done === 1 ? 'problem' : 'problems'} done${d(t.done, p.done)}`,
  ].join('\n');
}

const list = (items: string[], max: number) => joinWithin(items, max, ', ');

/**
 * Every item is linked the same way wherever it appears: a resource to its page, a problem (id with its title)
 * to its source. A member's write-up for a finished problem is a separate "write-up" link after it.
 */
export const problemLink = (problem: Problem, max = 50): string => link(problemRef(problem, max), problem.url);

function memberBlock(m: MemberWeek): string {
  const lines = [mention(m.userId)];
  if (m.completed.length) lines.push(`✅ ${list(m.completed.map((r) => link(truncate(r.title, 80), r.url)), 500)}`);
  if (m.started.length) lines.push(`📖 ${list(m.started.map((r) => link(truncate(r.title, 60), r.url)), 400)}`);
  if (m.claimed.length) lines.push(`🧩 ${list(m.claimed.map((c) => `${problemLink(c.problem)} (${INTENT_LABEL[c.intent as keyof typeof INTENT_LABEL] ?? c.intent})`), 500)}`);
  if (m.checkins) lines.push(`🔁 ${plural(m.checkins, 'check-in')}`);
  if (m.done.length) lines.push(`🏁 ${list(m.done.map((d) => `${problemLink(d.problem)}${d.link ? ` (${link('write-up', d.link)})` : ''}`), 500)}`);
  return lines.join('\n');
}

/** Splits text blocks into embed descriptions no longer than the limit. */
function pack(blocks: string[], max = DESCRIPTION_MAX): string[] {
  const out: string[] = [];
  let current = '';
  for (const block of blocks) {
    const piece = truncate(block, max);
    if (current && current.length + 2 + piece.length > max) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n\n${piece}` : piece;
  }
  if (current) out.push(current);
  return out;
}

const embedSize = (e: APIEmbed) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

export function renderDigest(digest: Digest, period: string): DigestPart[] {
  const when = `${timestamp(digest.windowStart, 'D')} – ${timestamp(digest.windowEnd, 'D')}`;
  const lateNote = digest.late ? '\n*Posted late: the bot was offline at the scheduled time.*' : '';
  const suggestion = digest.suggestion
    ? `${problemLink(digest.suggestion, 120)}\nDifficulty ${digest.suggestion.difficulty}. Claim it with ${cmd('problem claim')}.`
    : `Browse ${cmd('resources')} or ${cmd('problem random')} for something to start on.`;

  const embeds: APIEmbed[] = [];
  if (isQuietWeek(digest)) {
    embeds.push({
      title: `Weekly digest: ${digest.groupName}`,
      description: truncate(`${when}${lateNote}\n\nA quiet week, and that's fine. One small step keeps the momentum: read one short resource, or look up a term you keep meeting.\n\n**Something to start on:** ${suggestion}`, DESCRIPTION_MAX),
      color: GROUP_COLOUR,
    });
  } else {
    const comparison = digest.compared ? '\n\n*▲/▼ compared with the week before.*' : '';
    embeds.push({
      title: `Weekly digest: ${digest.groupName}`,
      description: truncate(`${when}${lateNote}\n\n${totalsLine(digest.totals, digest.previous, digest.compared)}${comparison}`, DESCRIPTION_MAX),
      color: GROUP_COLOUR,
      image: { url: `attachment://${CHART_NAME}` },
    });
    const listed = digest.members.slice(0, MEMBERS_LISTED).map(memberBlock);
    const more = digest.members.length - MEMBERS_LISTED;
    if (more > 0) listed.push(`…and ${plural(more, 'more member was', 'more members were')} active this week.`);
    /** Every embed is titled; a section split over several embeds says "(continued)". */
    const section = (title: string, blocks: string[]) => {
      for (const [i, description] of pack(blocks).entries()) embeds.push({ title: i === 0 ? title : `${title} (continued)`, description, color: GROUP_COLOUR });
    };
    section('Who did what', listed);
    if (digest.stale.length) {
      section('Claims gone stale', [
        `A check-in with ${cmd('problem checkin')} keeps a claim.`,
        ...digest.stale.map((s) => `${problemLink(s.problem)} · ${mention(s.userId)} · last check-in ${timestamp(s.lastCheckinAt, 'R')}`),
      ]);
    }
    if (digest.released.length) {
      section('Released after no check-ins', [
        `Claim one again any time with ${cmd('problem claim')}.`,
        ...digest.released.map((r) => `${problemLink(r.problem)} · ${mention(r.userId)} · released ${timestamp(r.at, 'R')}`),
      ]);
    }
    const flashcards = renderFlashcardWeek(digest.flashcards);
    if (flashcards) embeds.push(flashcards);
    embeds.push({ title: 'Something to start on', description: suggestion, color: GROUP_COLOUR });
  }

  // The study-plan section goes right after the headline, only for a group that follows a plan.
  if (digest.plan) embeds.splice(1, 0, ...renderDigestPlan(digest.plan));
  // One message, one colour (src/render/README.md): every section of the digest is the cohort's shared post.
  for (const [i, embed] of embeds.entries()) embeds[i] = { ...embed, color: GROUP_COLOUR };

  // Group embeds into messages: at most 10 embeds and ~5900 characters each, leaving room for the footer.
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let size = 0;
  const footerRoom = 150;
  for (const embed of embeds) {
    const n = embedSize(embed);
    if (current.length > 0 && (current.length >= EMBEDS_MAX || size + n + footerRoom > MESSAGE_MAX)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(embed);
    size += n;
  }
  if (current.length) messages.push(current);
  return messages.map((group, i) => {
    const last = group[group.length - 1]!;
    group[group.length - 1] = { ...last, footer: { text: digestFooter(digest.groupName, period, i + 1, messages.length) } };
    return { embeds: group, withChart: i === 0 && !isQuietWeek(digest) };
  });
}
