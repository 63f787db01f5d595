/**
 * Natural-language session times ("next tuesday 18:00", "in 3 days at 5pm", "2027-01-12 19:30") read in a
 * group's IANA time zone, on an injectable reference time.
 *
 * chrono-node only understands fixed UTC offsets, not IANA zones. So chrono reads the text against "now" in the
 * zone's offset at that moment, which gives the right calendar day and the wall-clock time the person typed; we
 * then convert those wall-clock fields to an instant with the zone's offset *at that date*. That is what makes
 * "next tuesday 18:00" 18:00 London time on either side of the March and October changes. Pure durations
 * ("in 2 hours") are taken as an instant directly, since they mean elapsed time, not a wall-clock time.
 */
// The English locale alone: the package root loads every locale's parsers (measured: 4.1 MB of heap and 21 MB RSS
// against 1.1 MB and 9 MB for English only).
import type { ParsedResult } from 'chrono-node';
import { GB } from 'chrono-node/en';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The furthest ahead a session may be scheduled. */
export const MAX_AHEAD_MS = 365 * DAY;

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export type WhenError = 'empty' | 'unparseable' | 'past' | 'too-far' | 'ambiguous' | 'no-time' | 'nonexistent';

export type When =
  | { ok: true; at: number }
  /** `candidates` are the instants the text could mean, when it is ambiguous between a few (for autocomplete). */
  | { ok: false; error: WhenError; message: string; candidates: number[] };

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(timezone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone. */
export function localFields(timezone: string, at: number): LocalFields & { second: number } {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timezone).formatToParts(at)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at an instant, in minutes (London in summer: 60). */
export function offsetMinutes(timezone: string, at: number): number {
  const f = localFields(timezone, at);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / MINUTE);
}

/**
 * Every instant at which the zone's clock shows these wall-clock fields: one normally, none in a spring-forward
 * gap, two in an autumn fold (earliest first).
 */
export function instantsFor(timezone: string, fields: LocalFields): number[] {
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  const offsets = new Set([offsetMinutes(timezone, naive - DAY), offsetMinutes(timezone, naive), offsetMinutes(timezone, naive + DAY)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = naive - offset * MINUTE;
    const back = localFields(timezone, candidate);
    if (back.year === fields.year && back.month === fields.month && back.day === fields.day && back.hour === fields.hour && back.minute === fields.minute) {
      found.add(candidate);
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** Adds whole calendar days to a local date (for weekly series: same wall-clock time, any offset). */
export function addLocalDays(fields: LocalFields, days: number): LocalFields {
  const d = new Date(Date.UTC(fields.year, fields.month - 1, fields.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: fields.hour, minute: fields.minute };
}

/** The instant for local fields, taking the earlier of two in a fold and moving forward out of a gap. */
export function resolveLocal(timezone: string, fields: LocalFields): number {
  const found = instantsFor(timezone, fields);
  if (found.length > 0) return found[0]!;
  // In a gap (clocks went forward): the same time an hour later in wall-clock terms reads as the intended one.
  const naive = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  return naive - offsetMinutes(timezone, naive - DAY) * MINUTE;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function displayFormatter(timezone: string): Intl.DateTimeFormat {
  let f = fmtCache.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    if (fmtCache.size > 500) fmtCache.clear();
    fmtCache.set(timezone, f);
  }
  return f;
}

/** "Tue 12 Jan 2027, 19:30 Europe/London". */
export function formatLocal(timezone: string, at: number): string {
  const p: Record<string, string> = {};
  for (const part of displayFormatter(timezone).formatToParts(at)) p[part.type] = part.value;
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${timezone}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "in 6 days", "in 3 hours", "in 20 minutes", "2 hours ago". */
export function formatRelative(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const text =
    abs < 90 * MINUTE ? plural(Math.max(1, Math.round(abs / MINUTE)), 'minute') : abs < 36 * 3_600_000 ? plural(Math.round(abs / 3_600_000), 'hour') : plural(Math.round(abs / DAY), 'day');
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** The choice label autocomplete shows for an instant: "Tue 12 Jan 2027, 19:30 Europe/London, in 6 days". */
export function describeWhen(timezone: string, at: number, now: number): string {
  return `${formatLocal(timezone, at)}, ${formatRelative(at, now)}`;
}

function checkRange(at: number, now: number, timezone: string): When {
  if (at <= now) return { ok: false, error: 'past', message: `That time (${formatLocal(timezone, at)}) is in the past. Pick a time still to come.`, candidates: [] };
  if (at - now > MAX_AHEAD_MS) return { ok: false, error: 'too-far', message: `That is more than a year ahead (${formatLocal(timezone, at)}). Schedule sessions up to a year out.`, candidates: [] };
  return { ok: true, at };
}

const fail = (error: WhenError, message: string, candidates: number[] = []): When => ({ ok: false, error, message, candidates });

/** An hour written without am/pm that could be either ("tuesday 6", "friday at 7:30"). */
function ambiguousHour(text: string, hour: number, meridiemCertain: boolean): boolean {
  if (meridiemCertain || hour < 1 || hour > 11) return false;
  // "07:30" and "18:00" read as 24-hour clock times; a bare "7" or "7:30" could be morning or evening.
  return !/\b0\d:\d{2}\b/.test(text);
}

/**
 * Reads a session time typed in `timezone`, relative to `now`. Accepts an ISO instant (what autocomplete sends
 * back) as well as natural language, and checks it is in the future and within a year.
 */
export function parseWhen(input: string, timezone: string, now: number): When {
  const text = input.trim().replace(/\s+/g, ' ');
  if (!text) return fail('empty', 'Say when, for example `next tuesday 18:00` or `2027-01-12 19:30`.');
  if (ISO_INSTANT.test(text)) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) return checkRange(at, now, timezone);
  }
  const results = GB.parse(text, { instant: new Date(now), timezone: offsetMinutes(timezone, now) }, { forwardDate: true });
  if (results.length === 0) return fail('unparseable', `I could not read a time in "${text.slice(0, 60)}". Try \`next tuesday 18:00\`, \`in 3 days at 5pm\` or \`2027-01-12 19:30\`.`);
  if (results.length > 1) {
    const candidates = results.map((r) => timeOf(r, timezone)).filter((at): at is number => at !== null && at > now);
    return fail('ambiguous', `"${text.slice(0, 60)}" names more than one time (${results.map((r) => `"${r.text}"`).join(' and ')}). Give just one.`, candidates);
  }
  const result = results[0]!;
  const start = result.start;
  const leftover = (text.slice(0, result.index) + text.slice(result.index + result.text.length)).replace(/[\s,.]+/g, ' ').trim();
  if (!start.isCertain('hour')) {
    if (/^(at )?\d{1,2}$/i.test(leftover)) {
      const hour = Number(leftover.replace(/\D/g, ''));
      const base = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')!, minute: 0 };
      const candidates = hour >= 1 && hour <= 12
        ? [hour % 12, (hour % 12) + 12].map((h) => resolveLocal(timezone, { ...base, hour: h })).filter((at) => at > now)
        : [];
      return fail('ambiguous', `"${leftover}" could be morning or evening. Write it as \`${String(hour % 12).padStart(2, '0')}:00\` or \`${(hour % 12) + 12}:00\` (or add am/pm).`, candidates);
    }
    return fail('no-time', `"${result.text}" has no time of day. Add one, for example \`${result.text} 18:00\`.`);
  }
  if (leftover && /[\p{L}\p{N}]/u.test(leftover) && !/^(at|on|from|starting)$/i.test(leftover)) {
    return fail('unparseable', `I read "${result.text}" but not "${leftover.slice(0, 40)}". Leave out anything that is not the date and time.`);
  }
  if (start.tags().has('parser/SlashDateFormatParser')) {
    const [a, b] = result.text.match(/\d{1,2}/g)?.map(Number) ?? [];
    if (a !== undefined && b !== undefined && a !== b && a <= 12 && b <= 12) {
      const day = start.get('day')!;
      const month = start.get('month')!;
      const swapped = { year: start.get('year')!, month: day, day: month, hour: start.get('hour')!, minute: start.get('minute') ?? 0 };
      const candidates = [timeOf(result, timezone), resolveLocal(timezone, swapped)].filter((at): at is number => at !== null && at > now);
      return fail('ambiguous', `"${result.text}" could be the ${day}/${month} or the ${month}/${day} (day/month). Write the date as \`YYYY-MM-DD\` or with the month's name.`, candidates);
    }
  }
  const hour = start.get('hour')!;
  if (ambiguousHour(result.text, hour, start.isCertain('meridiem'))) {
    const base = localOf(result);
    const candidates = [hour, hour + 12].map((h) => resolveLocal(timezone, { ...base, hour: h })).filter((at) => at > now);
    const minute = String(base.minute).padStart(2, '0');
    return fail('ambiguous', `${hour}:${minute} could be morning or evening. Write \`${String(hour).padStart(2, '0')}:${minute}\` or \`${hour + 12}:${minute}\` (or add am/pm).`, candidates);
  }
  if (start.tags().has('result/relativeDateAndTime') && !start.tags().has('parser/ENTimeExpressionParser')) {
    // "in 2 hours": elapsed time from now, whatever the clocks do meanwhile.
    return checkRange(start.date().getTime(), now, timezone);
  }
  const fields = localOf(result);
  const found = instantsFor(timezone, fields);
  const hhmm = `${String(fields.hour).padStart(2, '0')}:${String(fields.minute).padStart(2, '0')}`;
  if (found.length === 0) {
    return fail('nonexistent', `${hhmm} does not happen on that day in ${timezone}: the clocks skip it. Pick another time.`);
  }
  if (found.length > 1) {
    return fail('ambiguous', `${hhmm} happens twice that night in ${timezone} (the clocks go back). Pick one from the list, or another time.`, found.filter((at) => at > now));
  }
  return checkRange(found[0]!, now, timezone);
}

function localOf(result: ParsedResult): LocalFields {
  const s = result.start;
  return { year: s.get('year')!, month: s.get('month')!, day: s.get('day')!, hour: s.get('hour')!, minute: s.get('minute') ?? 0 };
}

function timeOf(result: ParsedResult, timezone: string): number | null {
  if (!result.start.isCertain('hour')) return null;
  return resolveLocal(timezone, localOf(result));
}

/** Autocomplete choices for a `when` option: the parsed time (or the few it could mean) as ISO instants. */
export function whenChoices(input: string, timezone: string, now: number): { name: string; value: string }[] {
  if (!input.trim()) return exampleChoice(timezone, now);
  return choicesFor(input, parseWhen(input, timezone, now), timezone, now);
}

function exampleChoice(timezone: string, now: number): { name: string; value: string }[] {
  const example = parseWhen('next tuesday 18:00', timezone, now);
  return example.ok ? [{ name: `e.g. next tuesday 18:00 → ${describeWhen(timezone, example.at, now)}`.slice(0, 100), value: new Date(example.at).toISOString() }] : [];
}

function choicesFor(input: string, parsed: When, timezone: string, now: number): { name: string; value: string }[] {
  if (parsed.ok) return [{ name: describeWhen(timezone, parsed.at, now).slice(0, 100), value: new Date(parsed.at).toISOString() }];
  const candidates = parsed.candidates.filter((at) => at > now && at - now <= MAX_AHEAD_MS).slice(0, 24);
  if (candidates.length > 0) return candidates.map((at) => ({ name: describeWhen(timezone, at, now).slice(0, 100), value: new Date(at).toISOString() }));
  // Nothing to confirm: show why, and send the text back so the command explains it privately.
  return [{ name: `⚠ ${parsed.message.replace(/`/g, '')}`.slice(0, 100), value: input.slice(0, 100) }];
}

/**
 * The times `when` autocomplete showed lately, by zone and text. Discord sends the typed text to autocomplete
 * before the member sends the command, so a command carrying that same text takes the time the member was just
 * shown instead of parsing it again (chrono's parse is the costliest step of /session schedule, several times
 * so on a bot that was idle). An entry serves for `maxAgeMs` at most (a "in 2 hours" then means the time shown,
 * at most that much earlier than a fresh parse would give), and the time is checked against the clock again.
 * Only times that parsed cleanly are kept; anything else is parsed afresh, so its error reads as before.
 */
export class RecentWhens {
  readonly #entries = new Map<string, { at: number; readAt: number }>();

  constructor(
    private readonly maxAgeMs = MINUTE,
    private readonly max = 256,
  ) {}

  /** Autocomplete choices, as whenChoices, remembering a time that parsed cleanly. */
  choices(input: string, timezone: string, now: number): { name: string; value: string }[] {
    if (!input.trim()) return exampleChoice(timezone, now);
    const parsed = parseWhen(input, timezone, now);
    if (parsed.ok && !ISO_INSTANT.test(input.trim())) this.#remember(keyOf(input, timezone), parsed.at, now);
    return choicesFor(input, parsed, timezone, now);
  }

  /** parseWhen, or the time autocomplete read from the same text in the same zone within `maxAgeMs`. */
  parse(input: string, timezone: string, now: number): When {
    const seen = this.#entries.get(keyOf(input, timezone));
    if (seen && now >= seen.readAt && now - seen.readAt <= this.maxAgeMs) return checkRange(seen.at, now, timezone);
    return parseWhen(input, timezone, now);
  }

  #remember(key: string, at: number, now: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { at, readAt: now });
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

const keyOf = (input: string, timezone: string) => `${timezone}\n${input.trim().replace(/\s+/g, ' ')}`;
