/**
 * Glossary flashcards: ONE record per (guild, member) holding every card's FSRS state, the member's settings and
 * answer counts per hour for the last 31 days, so an answer is one locked read-modify-write of a record bounded by
 * the glossary's size (about 200 bytes per term seen) plus at most 744 hour counts. The member record also holds
 * the reminder ledger (the local day last claimed for a DM). Two small per-guild records list who has flashcards
 * (for purges and the "Everyone" digest; appended only on a member's first answer) and who wants reminders at which hour.
 * The entities and every decision are in src/domain/flashcards.ts.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import { memberPart } from '../member-part.ts';
import { writeBatch } from '../write-batch.ts';
import { answerEarly, answerWhenSent } from '../early-answer.ts';
import { checkedArray, checkedRecord } from '../checked-items.ts';
import { DAILY_NEW_MAX, HOURS_KEPT, emptyFlashcards, type MemberFlashcards, type StoredCard } from '../../domain/flashcards.ts';

const int = () => z.number().int();
const Day = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/);

const isInt = (v: unknown): v is number => Number.isInteger(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * A stored FSRS card, checked by hand rather than with z.object: every answer validates the member's whole
 * record before writing it, and with a few hundred cards a plain field check is several times cheaper than
 * zod's object parse while refusing exactly the same values. Fields are never stripped (there are no others).
 */
const StoredCardSchema = z.custom<StoredCard>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    isInt(c.due) && isNonNegative(c.stability) && isNonNegative(c.difficulty) && isNonNegative(c.elapsedDays) && isNonNegative(c.scheduledDays) &&
    isCount(c.learningSteps) && isCount(c.reps) && isCount(c.lapses) && isInt(c.state) && (c.state as number) >= 0 && (c.state as number) <= 3 &&
    (c.lastReview === null || isInt(c.lastReview)) && (c.learnedAt === null || isInt(c.learnedAt))
  );
}, 'invalid flashcard') satisfies z.ZodType<StoredCard>;

const Grading = z.enum(['again', 'hard', 'good', 'easy']);

export const MemberFlashcardsSchema = z.object({
  /** Checked card by card, once: the cards an answer did not change are the frozen objects read, and skipped. */
  cards: checkedRecord((id) => id.length >= 1 && id.length <= 100, StoredCardSchema, { message: 'invalid flashcard' }),
  dailyNew: int().min(0).max(DAILY_NEW_MAX),
  timezone: z.string().min(1).max(64).nullable(),
  reminder: z.object({
    on: z.boolean(),
    hour: int().min(0).max(23),
    offReason: z.enum(['dms-closed']).nullable(),
    offAt: int().nullable(),
    lastDay: Day.nullable(),
  }),
  today: z.object({ day: Day, fresh: int().nonnegative() }),
  streak: z.object({ lastDay: Day.nullable(), length: int().nonnegative(), best: int().nonnegative() }),
  hours: checkedArray(z.object({ hour: int(), fresh: int().nonnegative(), repeat: int().nonnegative(), repeatRight: int().nonnegative() }), { max: HOURS_KEPT, message: 'invalid hour count' }),
  last: z
    .object({ termId: z.string().min(1).max(100), reps: int().nonnegative(), at: int(), grade: Grading, prior: StoredCardSchema.nullable() })
    .nullable(),
}) satisfies z.ZodType<MemberFlashcards>;

export const FlashcardMembers = z.object({ members: z.array(z.string()) });

/** Who wants reminders, and when: enough to decide without reading every member's record each minute. */
export const ReminderEntry = z.object({
  /** The member's personal time zone (null: the study group's). */
  timezone: z.string().min(1).max(64).nullable(),
  hour: int().min(0).max(23),
});
export type ReminderEntry = z.infer<typeof ReminderEntry>;
export const GuildReminders = z.object({ members: z.record(z.string(), ReminderEntry) });

/**
 * The guild's index of members with a flashcard record is spread over parts by member (a stable hash of the id),
 * so a member's first answer rewrites one small part instead of a list of every learner in the server. A guild
 * indexed before parts existed keeps its one-record index (`flashcards-members:<guild>`): it is read along with the
 * parts and only ever shrinks (a member forgotten, or the guild purged), so no migration step is needed.
 */
export const INDEX_PARTS = 16;

export class FlashcardsRepo {
  readonly members: Collection<MemberFlashcards>;
  /** The one-record index of guilds indexed before parts existed: read, and shrunk, never grown. */
  readonly index: Collection<z.infer<typeof FlashcardMembers>>;
  readonly indexParts: Collection<z.infer<typeof FlashcardMembers>>;
  readonly reminders: Collection<z.infer<typeof GuildReminders>>;

  constructor(
    private readonly keyv: Keyv,
    private readonly locks: Locks,
    cache?: RecordCache,
  ) {
    this.members = new Collection(keyv, locks, { name: 'flashcards', schema: MemberFlashcardsSchema, version: 1, cache, writeValidatedInput: true });
    this.index = new Collection(keyv, locks, { name: 'flashcards-members', schema: FlashcardMembers, version: 1, cache });
    this.indexParts = new Collection(keyv, locks, { name: 'flashcards-members-part', schema: FlashcardMembers, version: 1, cache });
    this.reminders = new Collection(keyv, locks, { name: 'flashcards-reminders', schema: GuildReminders, version: 1, cache });
  }

  async get(guildId: string, userId: string): Promise<MemberFlashcards | undefined> {
    return this.members.get(guildId, userId);
  }

  /**
   * Changes a member's record under its lock. `change` returns the new state and a result, or null to leave the
   * record untouched. A member's first record also adds them to their part of the guild's index, under that part's
   * lock too (lock order: member, then index part) and in the same store call as the record (../write-batch.ts):
   * a first answer waits for one write, and a member is never indexed without a record or stored without being
   * indexed. A returning member's answer writes only their own record.
   */
  async update<R>(guildId: string, userId: string, change: (current: MemberFlashcards) => { state: MemberFlashcards | null; result: R }): Promise<R> {
    const decided = await this.decide(guildId, userId, change);
    await decided.saved;
    return decided.result;
  }

  /**
   * `update`, answering as soon as the result is decided and its write is on its way to the store, so the caller
   * can build its reply meanwhile and send it once `saved` settles (a failed write rejects `saved`, and no reply
   * should claim it counted). The member's lock is held until `saved` settles.
   */
  decide<R>(guildId: string, userId: string, change: (current: MemberFlashcards) => { state: MemberFlashcards | null; result: R }): Promise<{ result: R; saved: Promise<void> }> {
    return answerEarly((answer) =>
      this.locks.run(this.members.key(guildId, userId), async () => {
        const current = await this.members.get(guildId, userId);
        const outcome = change(current ?? emptyFlashcards());
        if (outcome.state === null) return answer({ result: outcome.result, saved: Promise.resolve() });
        const write = this.members.prepare([guildId, userId], outcome.state);
        const send = (saving: Promise<void>) => answerWhenSent(answer, { result: outcome.result, saved: saving }, saving);
        if (current !== undefined) return send(writeBatch(this.keyv, [write]));
        const part = this.#partOf(guildId, userId);
        await this.locks.run(this.indexParts.key(...part), async () => {
          const index = await this.indexParts.get(...part);
          const indexed = index?.members.includes(userId) ?? false;
          await send(writeBatch(this.keyv, indexed ? [write] : [write, this.indexParts.prepare(part, { members: [...(index?.members ?? []), userId] })]));
        });
      }),
    );
  }

  #partOf(guildId: string, userId: string): [string, string] {
    return [guildId, String(memberPart(userId, INDEX_PARTS))];
  }

  /** Every member of the guild with a flashcard record (from the index parts and any one-record index). */
  async guildMembers(guildId: string): Promise<readonly string[]> {
    const [legacy, ...parts] = await Promise.all([
      this.index.get(guildId),
      ...Array.from({ length: INDEX_PARTS }, (_, k) => this.indexParts.get(guildId, String(k))),
    ]);
    return [...new Set([...(legacy?.members ?? []), ...parts.flatMap((p) => p?.members ?? [])])];
  }

  async reminderEntries(guildId: string): Promise<Readonly<Record<string, ReminderEntry>>> {
    return (await this.reminders.get(guildId))?.members ?? {};
  }

  /** Sets (entry) or removes (null) a member's reminder. */
  async setReminder(guildId: string, userId: string, entry: ReminderEntry | null): Promise<void> {
    await this.reminders.update([guildId], (current) => {
      const members = { ...current?.members };
      if (entry) members[userId] = entry;
      else delete members[userId];
      return Object.keys(members).length ? { members } : undefined;
    });
  }

  /** /privacy delete: removes the member's cards, settings and reminder. Returns how many cards were removed. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    let removed: MemberFlashcards | undefined;
    await this.members.update([guildId, userId], (current) => {
      removed = current;
      return undefined;
    });
    const without = (current: { members: string[] } | undefined) => (current?.members.includes(userId) ? { members: current.members.filter((m) => m !== userId) } : current);
    await this.indexParts.update(this.#partOf(guildId, userId), without);
    await this.index.update([guildId], without);
    await this.setReminder(guildId, userId, null);
    return Object.keys(removed?.cards ?? {}).length;
  }

  /** Deletes every flashcard record of a guild (after the bot left it). */
  async purgeGuild(guildId: string): Promise<void> {
    for (const userId of await this.guildMembers(guildId)) await this.members.delete(guildId, userId);
    for (let k = 0; k < INDEX_PARTS; k++) await this.indexParts.delete(guildId, String(k));
    await this.index.delete(guildId);
    await this.reminders.delete(guildId);
  }
}
