/**
 * Glossary flashcards: the member's review state and every decision about it, as pure functions of the state, the
 * registry and "now", so scheduling, selection, streaks and retention are testable on an injectable clock.
 *
 * Scheduling is ts-fsrs (FSRS, default parameters, no fuzz, short-term learning steps on): one card per member,
 * per server, per term. Grades: a wrong pick is Again, a right pick is Good; Hard and Easy re-grade a right pick.
 *
 * Definitions used everywhere (the README repeats them):
 * - a term is **learned** when its card's FSRS stability is at least LEARNED_STABILITY_DAYS (21 days: the memory
 *   model expects the member to still recall it three weeks on with 90% probability);
 * - **retention** is the share of answers to cards seen before (not first sightings) that were right, over the last
 *   30 days;
 * - the **streak** is the number of consecutive local days (in the member's time zone) with at least one answer,
 *   still alive if the last such day is today or yesterday.
 */
import { fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import type { Registry } from '../registry/load.ts';
import type { GlossaryTerm } from '../registry/schema.ts';

export const LEARNED_STABILITY_DAYS = 21;
export const DEFAULT_DAILY_NEW = 10;
export const DAILY_NEW_MAX = 50;
export const DEFAULT_REMINDER_HOUR = 9;
export const RETENTION_DAYS = 30;
const HOUR_MS = 3_600_000;
/** Answer counts are kept per hour for this many days: what retention over 30 days and a weekly digest need. */
export const HOURS_KEPT = 31 * 24;

/** The one FSRS scheduler every card uses (deterministic: fuzz is off). */
export const scheduler = fsrs({ enable_fuzz: false });

// ---- entities ----

/** A ts-fsrs Card as stored: dates as epoch milliseconds. */
export interface StoredCard {
  due: number;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: number;
  lastReview: number | null;
  /** When the card first reached LEARNED_STABILITY_DAYS (for the weekly digest), or null. */
  learnedAt: number | null;
}

/** Answers in one clock hour (hour = epoch ms / 3,600,000, floored). */
export interface HourCount {
  hour: number;
  /** First sightings of a term. */
  fresh: number;
  /** Answers to cards seen before, and how many of them were right. */
  repeat: number;
  repeatRight: number;
}

export type Grading = 'again' | 'hard' | 'good' | 'easy';

/** The member's most recent answer, kept so Hard / Easy can re-grade it from the same state at the same instant. */
export interface LastAnswer {
  termId: string;
  /** The card's reps after the answer: the nonce a re-grade button must carry. */
  reps: number;
  at: number;
  grade: Grading;
  /** The card before the answer; null for a first sighting. */
  prior: StoredCard | null;
}

export interface ReminderSettings {
  on: boolean;
  hour: number;
  /** Why reminders were turned off by the bot rather than the member ("dms-closed"), for /glossary stats. */
  offReason: 'dms-closed' | null;
  offAt: number | null;
  /** The reminder ledger: the local day last claimed for a reminder. At most one DM per local day, across restarts. */
  lastDay: string | null;
}

export interface MemberFlashcards {
  cards: Record<string, StoredCard>;
  dailyNew: number;
  /** A personal IANA time zone; null means the study group's digest time zone (or UTC). */
  timezone: string | null;
  reminder: ReminderSettings;
  /** New cards introduced on the local day `day`. */
  today: { day: string; fresh: number };
  streak: { lastDay: string | null; length: number; best: number };
  hours: HourCount[];
  last: LastAnswer | null;
}

export const emptyFlashcards = (): MemberFlashcards => ({
  cards: {},
  dailyNew: DEFAULT_DAILY_NEW,
  timezone: null,
  reminder: { on: false, hour: DEFAULT_REMINDER_HOUR, offReason: null, offAt: null, lastDay: null },
  today: { day: '', fresh: 0 },
  streak: { lastDay: null, length: 0, best: 0 },
  hours: [],
  last: null,
});

// ---- local time ----

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date ("2026-03-29") of an instant in a time zone. */
export function localDay(now: number, timezone: string): string {
  let f = dayFormats.get(timezone);
  if (!f) dayFormats.set(timezone, (f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(now);
}

/** The local wall-clock hour (0–23) of an instant in a time zone. */
export function localHour(now: number, timezone: string): number {
  let f = hourFormats.get(timezone);
  if (!f) hourFormats.set(timezone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' })));
  return Number(f.format(now)) % 24;
}

/** The calendar day before a "YYYY-MM-DD" day. */
export function dayBefore(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

// ---- ts-fsrs conversion ----

export function toFsrsCard(card: StoredCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as State,
    ...(card.lastReview === null ? {} : { last_review: new Date(card.lastReview) }),
  };
}

export function fromFsrsCard(card: Card, learnedAt: number | null): StoredCard {
  return {
    due: card.due.getTime(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ? card.last_review.getTime() : null,
    learnedAt,
  };
}

export const RATING: Record<Grading, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

export const isLearned = (card: StoredCard | undefined): boolean => card !== undefined && card.stability >= LEARNED_STABILITY_DAYS;

/**
 * One FSRS step. A clock that went backwards (now before the last review) reviews at the last review's instant
 * instead, because FSRS has no meaning for negative elapsed time.
 */
export function scheduleCard(prior: StoredCard | null, grade: Grading, now: number): StoredCard {
  const at = prior?.lastReview != null ? Math.max(now, prior.lastReview) : now;
  const base = prior ? toFsrsCard(prior) : emptyCardAt(at);
  const next = scheduler.next(base, new Date(at), RATING[grade]).card;
  const learnedAt = prior?.learnedAt ?? (next.stability >= LEARNED_STABILITY_DAYS ? at : null);
  return fromFsrsCard(next, learnedAt);
}

function emptyCardAt(at: number): Card {
  return { due: new Date(at), stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0, learning_steps: 0, reps: 0, lapses: 0, state: State.New };
}

// ---- answering ----

export type AnswerOutcome =
  | { kind: 'recorded'; state: MemberFlashcards; card: StoredCard; right: boolean }
  /** The card was answered already (an old card pressed again): nothing changes. */
  | { kind: 'stale'; card: StoredCard | undefined };

/**
 * Records an answer to the card the member saw with `reps` previous reviews. An answer whose nonce does not match
 * the card's current reps was already counted (a double press, or an old card) and changes nothing.
 */
export function applyAnswer(state: MemberFlashcards, termId: string, seenReps: number, right: boolean, now: number, timezone: string): AnswerOutcome {
  const prior = state.cards[termId];
  if ((prior?.reps ?? 0) !== seenReps) return { kind: 'stale', card: prior };
  const grade: Grading = right ? 'good' : 'again';
  const card = scheduleCard(prior ?? null, grade, now);
  const day = localDay(now, timezone);
  const fresh = prior === undefined;
  return {
    kind: 'recorded',
    card,
    right,
    state: {
      ...state,
      cards: { ...state.cards, [termId]: card },
      today: fresh ? { day, fresh: (state.today.day === day ? state.today.fresh : 0) + 1 } : state.today,
      streak: extendStreak(state.streak, day),
      hours: countAnswer(state.hours, now, fresh, right),
      last: { termId, reps: card.reps, at: card.lastReview ?? now, grade, prior: prior ?? null },
    },
  };
}

export type RegradeOutcome = { kind: 'regraded'; state: MemberFlashcards; card: StoredCard } | { kind: 'stale' };

/** Hard or Easy instead of Good for the member's latest right answer: recomputed from the same prior state and instant. */
export function applyRegrade(state: MemberFlashcards, termId: string, reps: number, grade: 'hard' | 'good' | 'easy'): RegradeOutcome {
  const last = state.last;
  const current = state.cards[termId];
  if (!last || last.termId !== termId || last.reps !== reps || current?.reps !== reps || last.grade === 'again') return { kind: 'stale' };
  // learnedAt belongs to the answer being replaced, so it is recomputed from the prior state, not kept.
  const card = scheduleCard(last.prior, grade, last.at);
  return { kind: 'regraded', card, state: { ...state, cards: { ...state.cards, [termId]: card }, last: { ...last, grade } } };
}

function extendStreak(streak: MemberFlashcards['streak'], day: string): MemberFlashcards['streak'] {
  if (streak.lastDay === day) return streak;
  // A clock that went backwards to an earlier day leaves the streak alone.
  if (streak.lastDay !== null && day < streak.lastDay) return streak;
  const length = streak.lastDay !== null && dayBefore(day) === streak.lastDay ? streak.length + 1 : 1;
  return { lastDay: day, length, best: Math.max(streak.best, length) };
}

function countAnswer(hours: readonly HourCount[], now: number, fresh: boolean, right: boolean): HourCount[] {
  const hour = Math.floor(now / HOUR_MS);
  const newest = Math.max(hour, hours.length ? hours[hours.length - 1]!.hour : hour);
  const kept = hours.filter((h) => h.hour > newest - HOURS_KEPT);
  const i = kept.findIndex((h) => h.hour === hour);
  const base = i >= 0 ? kept[i]! : { hour, fresh: 0, repeat: 0, repeatRight: 0 };
  const updated = fresh ? { ...base, fresh: base.fresh + 1 } : { ...base, repeat: base.repeat + 1, repeatRight: base.repeatRight + (right ? 1 : 0) };
  if (i >= 0) kept[i] = updated;
  else kept.push(updated);
  return kept.sort((a, b) => a.hour - b.hour);
}

// ---- selection ----

export interface CardFilter {
  section: string | null;
  coreOnly: boolean;
}
export const NO_FILTER: CardFilter = { section: null, coreOnly: false };

const orders = new WeakMap<Registry, { order: readonly GlossaryTerm[]; sections: readonly string[] }>();

/** The glossary's sections in the order the glossary introduces them. */
export function sectionsOf(registry: Registry): readonly string[] {
  return newcomerOrder(registry).sections;
}

/** The order a newcomer should meet terms in: core terms first, then section by section, each in glossary order. */
export function newcomerOrder(registry: Registry): { order: readonly GlossaryTerm[]; sections: readonly string[] } {
  let cached = orders.get(registry);
  if (!cached) {
    const sections: string[] = [];
    for (const t of registry.terms) if (!sections.includes(t.section)) sections.push(t.section);
    const rest = sections.flatMap((s) => registry.terms.filter((t) => !t.core && t.section === s));
    cached = { order: [...registry.terms.filter((t) => t.core), ...rest], sections };
    orders.set(registry, cached);
  }
  return cached;
}

const matches = (term: GlossaryTerm, filter: CardFilter) => (!filter.coreOnly || term.core) && (filter.section === null || term.section === filter.section);

export const newToday = (state: MemberFlashcards, now: number, timezone: string): number => (state.today.day === localDay(now, timezone) ? state.today.fresh : 0);

export type Selection =
  | { kind: 'due' | 'new'; term: GlossaryTerm }
  /** Nothing to show: `nextDue` is the earliest card due later (null if none), `limitReached` whether new cards ran out for today. */
  | { kind: 'none'; nextDue: number | null; limitReached: boolean; unseenLeft: number };

/**
 * The next card: the most overdue card first (terms removed from data/ are skipped), then, when `includeNew`, the
 * next unseen term in newcomer order while today's new-card limit allows.
 */
export function selectNext(registry: Registry, state: MemberFlashcards, options: { filter: CardFilter; includeNew: boolean; now: number; timezone: string; exclude?: string }): Selection {
  const { filter, now } = options;
  let due: { term: GlossaryTerm; at: number } | null = null;
  let nextDue: number | null = null;
  for (const termId in state.cards) {
    if (termId === options.exclude) continue;
    const term = registry.termById.get(termId);
    if (!term || !matches(term, filter)) continue;
    const at = state.cards[termId]!.due;
    if (at <= now) {
      if (!due || at < due.at || (at === due.at && termId < due.term.id)) due = { term, at };
    } else if (nextDue === null || at < nextDue) nextDue = at;
  }
  if (due) return { kind: 'due', term: due.term };
  const unseen = newcomerOrder(registry).order.filter((t) => matches(t, filter) && state.cards[t.id] === undefined && t.id !== options.exclude);
  const limitReached = newToday(state, now, options.timezone) >= state.dailyNew;
  if (options.includeNew && !limitReached && unseen.length > 0) return { kind: 'new', term: unseen[0]! };
  return { kind: 'none', nextDue, limitReached: limitReached && unseen.length > 0, unseenLeft: unseen.length };
}

// ---- stats ----

export interface FlashcardStats {
  dueNow: number;
  /** Due by the end of the member's local day (includes dueNow). */
  dueToday: number;
  seen: number;
  learned: number;
  /** Right answers ÷ answers to cards seen before, over the last 30 days; null with no such answers. */
  retention: number | null;
  retentionAnswers: number;
  reviews30: number;
  streak: number;
  bestStreak: number;
  newToday: number;
  nextDue: number | null;
}

export function flashcardStats(registry: Registry, state: MemberFlashcards, now: number, timezone: string): FlashcardStats {
  const today = localDay(now, timezone);
  let dueNow = 0;
  let dueToday = 0;
  let seen = 0;
  let learned = 0;
  let nextDue: number | null = null;
  for (const termId in state.cards) {
    if (!registry.termById.has(termId)) continue;
    const card = state.cards[termId]!;
    seen++;
    if (isLearned(card)) learned++;
    if (card.due <= now) dueNow++;
    if (card.due <= now || localDay(card.due, timezone) <= today) dueToday++;
    if (card.due > now && (nextDue === null || card.due < nextDue)) nextDue = card.due;
  }
  const since = Math.floor((now - RETENTION_DAYS * 24 * HOUR_MS) / HOUR_MS);
  let repeat = 0;
  let right = 0;
  let reviews30 = 0;
  for (const h of state.hours) {
    if (h.hour < since) continue;
    repeat += h.repeat;
    right += h.repeatRight;
    reviews30 += h.repeat + h.fresh;
  }
  const alive = state.streak.lastDay !== null && (state.streak.lastDay >= today || state.streak.lastDay === dayBefore(today));
  return {
    dueNow,
    dueToday,
    seen,
    learned,
    retention: repeat > 0 ? right / repeat : null,
    retentionAnswers: repeat,
    reviews30,
    streak: alive ? state.streak.length : 0,
    bestStreak: state.streak.best,
    newToday: newToday(state, now, timezone),
    nextDue,
  };
}

/** Terms learned, counting only terms still in the glossary. */
export function learnedCount(registry: Registry, state: MemberFlashcards | undefined): number {
  if (!state) return 0;
  let n = 0;
  for (const termId in state.cards) if (registry.termById.has(termId) && isLearned(state.cards[termId])) n++;
  return n;
}

/** Answers in [start, end), counted by the hour (an hour that straddles `start` or `end` counts if it starts inside). */
export function answersBetween(state: MemberFlashcards, start: number, end: number): number {
  let n = 0;
  for (const h of state.hours) {
    const at = h.hour * HOUR_MS;
    if (at >= start && at < end) n += h.fresh + h.repeat;
  }
  return n;
}

/** Terms that first became learned in [start, end). */
export function learnedBetween(registry: Registry, state: MemberFlashcards, start: number, end: number): number {
  let n = 0;
  for (const termId in state.cards) {
    const at = state.cards[termId]!.learnedAt;
    if (at !== null && at >= start && at < end && registry.termById.has(termId)) n++;
  }
  return n;
}
