/**
 * Pure rendering of a weekly digest into one or more channel messages within Discord's limits
 * (4096 characters per embed description, 6000 per message, 10 embeds per message).
 * Member names are mentions, which never ping: allowed_mentions is always empty.
 */
import type { APIEmbed } from 'discord-api-types/v10';
import type { Digest, MemberWeek, Totals } from '../domain/digest-compose.ts';
import { isQuietWeek } from '../domain/digest-compose.ts';
import { BRAND_COLOUR, SUCCESS_COLOUR, WARNING_COLOUR } from './style.ts';
import { renderDigestPlan } from './digest-plan.ts';
import { joinWithin, link, mention, truncate } from './text.ts';
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

function totalsLine(t: Totals, p: Totals): string {
  return [
    `✅ **${t.completed}** finished${delta(t.completed, p.completed)}`,
    `📖 **${t.started}** started${delta(t.started, p.started)}`,
    `🧩 **${t.claimed}** problems claimed${delta(t.claimed, p.claimed)}`,
    `🔁 **${t.checkins}** check-ins${delta(t.checkins, p.checkins)}`,
    `🏁 **${t.done}** problems done${delta(t.done, p.done)}`,
  ].join('\n');
}

const list = (items: string[], max: number) => joinWithin(items, max, ', ');

function memberBlock(m: MemberWeek): string {
  const lines = [mention(m.userId)];
  if (m.completed.length) lines.push(`✅ ${list(m.completed.map((r) => link(truncate(r.title, 80), r.url)), 500)}`);
  if (m.started.length) lines.push(`📖 ${list(m.started.map((r) => truncate(r.title, 60)), 250)}`);
  if (m.claimed.length) lines.push(`🧩 ${list(m.claimed.map((c) => `${c.problem.id} (${c.intent})`), 200)}`);
  if (m.checkins) lines.push(`🔁 ${m.checkins} check-in${m.checkins === 1 ? '' : 's'}`);
  if (m.done.length) lines.push(`🏁 ${list(m.done.map((d) => (d.link ? link(d.problem.id, d.link) : d.problem.id)), 300)}`);
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
  const when = `<t:${Math.floor(digest.windowStart / 1000)}:D> – <t:${Math.floor(digest.windowEnd / 1000)}:D>`;
  const lateNote = digest.late ? '\n*Posted late: the bot was offline at the scheduled time.*' : '';
  const suggestion = digest.suggestion
    ? `**Something to start on:** ${digest.suggestion.id}: ${truncate(digest.suggestion.summary ?? '', 300)}\nDifficulty ${digest.suggestion.difficulty}. Claim it with /problem claim.`
    : 'Browse /resources or /problem random for something to start on.';

  const embeds: APIEmbed[] = [];
  if (isQuietWeek(digest)) {
    embeds.push({
      title: `Weekly digest: ${digest.groupName}`,
      description: truncate(`${when}${lateNote}\n\nA quiet week, and that's fine. One small step keeps the momentum: read one short resource, or look up a term you keep meeting.\n\n${suggestion}`, DESCRIPTION_MAX),
      color: WARNING_COLOUR,
    });
  } else {
    embeds.push({
      title: `Weekly digest: ${digest.groupName}`,
      description: truncate(`${when}${lateNote}\n\n${totalsLine(digest.totals, digest.previous)}\n\n*Compared with the week before.*`, DESCRIPTION_MAX),
      color: SUCCESS_COLOUR,
      image: { url: `attachment://${CHART_NAME}` },
    });
    const listed = digest.members.slice(0, MEMBERS_LISTED).map(memberBlock);
    const more = digest.members.length - MEMBERS_LISTED;
    if (more > 0) listed.push(`…and ${more} more member${more === 1 ? ' was' : 's were'} active this week.`);
    for (const [i, description] of pack(listed).entries()) {
      embeds.push({ ...(i === 0 ? { title: 'Who did what' } : {}), description, color: BRAND_COLOUR });
    }
    if (digest.stale.length) {
      const lines = digest.stale.map((s) => `${s.problem.id} · ${mention(s.userId)} · last check-in <t:${Math.floor(s.lastCheckinAt / 1000)}:R>`);
      for (const [i, description] of pack(lines).entries()) {
        embeds.push({ ...(i === 0 ? { title: 'Claims gone stale (a /problem checkin keeps them)' } : {}), description, color: WARNING_COLOUR });
      }
    }
    if (digest.released.length) {
      const lines = digest.released.map((r) => `${r.problem.id} · ${mention(r.userId)} · released <t:${Math.floor(r.at / 1000)}:R>`);
      for (const [i, description] of pack(lines).entries()) {
        embeds.push({ ...(i === 0 ? { title: 'Released after no check-ins (claim again any time)' } : {}), description, color: WARNING_COLOUR });
      }
    }
    const flashcards = renderFlashcardWeek(digest.flashcards);
    if (flashcards) embeds.push(flashcards);
    embeds.push({ description: suggestion, color: BRAND_COLOUR });
  }

  // The study-plan section goes right after the headline, only for a group that follows a plan.
  if (digest.plan) embeds.splice(1, 0, ...renderDigestPlan(digest.plan));

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
