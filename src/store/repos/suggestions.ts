/**
 * Members' suggestions of glossary terms and resources, waiting for a curator (/suggest, /curate queue). One
 * bounded record per guild: the queue, each member's recent suggestion times (the rate limit), and outcomes not
 * yet delivered because the member's DMs were closed (shown the next time they use /suggest).
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { GlossaryTerm, Resource } from '../../registry/schema.ts';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export const QUEUE_MAX = 100;
export const PENDING_PER_MEMBER = 5;
export const SUGGESTIONS_PER_DAY = 3;
const DAY = 86_400_000;
const NOTICES_KEPT = 5;

export const Suggestion = z.object({
  id: z.number().int().positive(),
  userId: z.string(),
  createdAt: z.number().int(),
  term: GlossaryTerm.optional(),
  resource: Resource.optional(),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const GuildSuggestions = z.object({
  nextId: z.number().int().positive(),
  queue: z.array(Suggestion).max(QUEUE_MAX),
  /** When each member last suggested (the last day's worth), for the rate limit. */
  recent: z.record(z.string(), z.array(z.number().int())),
  /** Outcomes that could not be sent by DM, per member. */
  notices: z.record(z.string(), z.array(z.string().max(400)).max(NOTICES_KEPT)),
});
export type GuildSuggestions = z.infer<typeof GuildSuggestions>;

const EMPTY: GuildSuggestions = { nextId: 1, queue: [], recent: {}, notices: {} };

export type AddResult = { ok: true; suggestion: Suggestion } | { ok: false; reason: string };

export class SuggestionsRepo {
  readonly collection: Collection<GuildSuggestions>;
  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'suggestions', schema: GuildSuggestions, version: 1, cache });
  }

  async get(guildId: string): Promise<GuildSuggestions> {
    return (await this.collection.get(guildId)) ?? EMPTY;
  }

  /** Queues a suggestion unless the member is over the limits or the queue is full. */
  async add(guildId: string, userId: string, entry: Pick<Suggestion, 'term' | 'resource'>, now: number): Promise<AddResult> {
    let result!: AddResult;
    await this.collection.update([guildId], (current) => {
      const s = structuredClone(current ?? EMPTY) as GuildSuggestions;
      const recent = (s.recent[userId] ?? []).filter((t) => t > now - DAY);
      if (recent.length >= SUGGESTIONS_PER_DAY) {
        const next = new Date(Math.min(...recent) + DAY);
        result = { ok: false, reason: `You can make ${SUGGESTIONS_PER_DAY} suggestions a day; you can suggest again <t:${Math.ceil(next.getTime() / 1000)}:R>.` };
        return current;
      }
      if (s.queue.filter((q) => q.userId === userId).length >= PENDING_PER_MEMBER) {
        result = { ok: false, reason: `You have ${PENDING_PER_MEMBER} suggestions waiting already; a curator needs to look at those first.` };
        return current;
      }
      if (s.queue.length >= QUEUE_MAX) {
        result = { ok: false, reason: 'The suggestion queue is full; please try again once the curators have worked through it.' };
        return current;
      }
      const suggestion: Suggestion = { id: s.nextId, userId, createdAt: now, ...entry };
      s.nextId += 1;
      s.queue.push(suggestion);
      s.recent[userId] = [...recent, now];
      result = { ok: true, suggestion };
      return s;
    });
    return result;
  }

  /** Takes a suggestion off the queue (approved or rejected); undefined when it is gone already. */
  async take(guildId: string, id: number): Promise<Suggestion | undefined> {
    let taken: Suggestion | undefined;
    await this.collection.update([guildId], (current) => {
      if (!current) return current;
      taken = current.queue.find((q) => q.id === id);
      if (!taken) return current;
      return { ...current, queue: current.queue.filter((q) => q.id !== id) };
    });
    return taken;
  }

  async addNotice(guildId: string, userId: string, text: string): Promise<void> {
    await this.collection.update([guildId], (current) => {
      const s = current ?? EMPTY;
      return { ...s, notices: { ...s.notices, [userId]: [...(s.notices[userId] ?? []), text.slice(0, 400)].slice(-NOTICES_KEPT) } };
    });
  }

  /** Returns and clears a member's undelivered outcomes. */
  async takeNotices(guildId: string, userId: string): Promise<string[]> {
    const current = await this.get(guildId);
    if (!current.notices[userId]?.length) return [];
    let taken: string[] = [];
    await this.collection.update([guildId], (s) => {
      if (!s) return s;
      taken = s.notices[userId] ?? [];
      const { [userId]: _gone, ...rest } = s.notices;
      return { ...s, notices: rest };
    });
    return taken;
  }

  /** Privacy: everything about one member (their pending suggestions, rate-limit times, undelivered outcomes). */
  async forMember(guildId: string, userId: string) {
    const s = await this.get(guildId);
    return {
      pending: s.queue.filter((q) => q.userId === userId),
      recentSuggestionTimes: s.recent[userId] ?? [],
      undeliveredOutcomes: s.notices[userId] ?? [],
    };
  }

  /** Privacy: deletes a member's pending suggestions and their traces; returns how many suggestions were removed. */
  async forgetMember(guildId: string, userId: string): Promise<number> {
    let removed = 0;
    await this.collection.update([guildId], (s) => {
      if (!s) return s;
      removed = s.queue.filter((q) => q.userId === userId).length;
      const { [userId]: _r, ...recent } = s.recent;
      const { [userId]: _n, ...notices } = s.notices;
      return { ...s, queue: s.queue.filter((q) => q.userId !== userId), recent, notices };
    });
    return removed;
  }
}
