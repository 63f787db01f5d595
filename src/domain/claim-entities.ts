/**
 * Claim entities: a member's claim on an open problem, the events in a guild's claim history, and the state the
 * pure transitions in ./claims.ts work on. The store persists these; it imports them from here.
 */
import { z } from 'zod';

export const CLAIM_NOTE_MAX = 200;
export const CLAIM_LINK_MAX = 300;

export const CLAIM_INTENTS = ['exploring', 'working', 'writing-up'] as const;
export const ClaimIntent = z.enum(CLAIM_INTENTS);
export type ClaimIntent = z.infer<typeof ClaimIntent>;

export const CLAIM_STATUSES = ['active', 'stale', 'released', 'done'] as const;
export const ClaimStatus = z.enum(CLAIM_STATUSES);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

export const CLAIM_ACTIONS = ['claimed', 'checked-in', 'stale', 'released', 'unclaimed', 'done', 'pinned', 'unpinned'] as const;
export const ClaimAction = z.enum(CLAIM_ACTIONS);
export type ClaimAction = z.infer<typeof ClaimAction>;

const Time = z.number().int().nonnegative();

export const Claim = z.object({
  /** Unique within the guild; stable, so history and messages can refer to one claim. */
  id: z.string().min(1).max(40),
  set: z.string().min(1),
  problemId: z.string().min(1),
  userId: z.string().regex(/^\d{1,20}$/),
  intent: ClaimIntent,
  note: z.string().max(CLAIM_NOTE_MAX).nullable(),
  link: z.string().max(CLAIM_LINK_MAX).nullable(),
  status: ClaimStatus,
  /** Exempt from the stale/release lifecycle (set by a member with Manage Server). */
  pinned: z.boolean(),
  claimedAt: Time,
  lastCheckinAt: Time,
  /** When the sweep marked it stale; null unless status is 'stale'. */
  staleAt: Time.nullable(),
  /** When it was released or done; null while active or stale. */
  closedAt: Time.nullable(),
  /** The write-up recorded with /problem done. */
  outcomeLink: z.string().max(CLAIM_LINK_MAX).nullable(),
});
export type Claim = z.infer<typeof Claim>;

export const ClaimEvent = z.object({
  at: Time,
  set: z.string().min(1),
  problemId: z.string().min(1),
  /** Whose claim the event is about. */
  userId: z.string().regex(/^\d{1,20}$/),
  action: ClaimAction,
  /** Who did it: a user id, or 'system' for the lifecycle sweep. */
  by: z.string().regex(/^(\d{1,20}|system)$/),
  note: z.string().max(CLAIM_NOTE_MAX).nullable(),
  link: z.string().max(CLAIM_LINK_MAX).nullable(),
});
export type ClaimEvent = z.infer<typeof ClaimEvent>;

/**
 * A guild's claims as the transitions see them. The repository hands a transition only what it decides on (the
 * guild's open claims, plus whatever closed claims the decision needs) with an empty history; the transition's
 * new state lists the claims it was given, changed, plus any new one, and the new events in `history`.
 * Read views (the whole guild, one problem, one member) use the same shape.
 */
export const GuildClaims = z.object({
  claims: z.array(Claim),
  history: z.array(ClaimEvent),
  /** How many claims the guild has ever had (ids c1..c<seq>); absent in views built from every claim. */
  seq: z.number().int().nonnegative().optional(),
  /** Problem renumberings (data/problem-renames.json) already applied to this state, by batch id. */
  renames: z.array(z.string()).optional(),
});
export type GuildClaims = z.infer<typeof GuildClaims>;

/** Shared by every read of a guild without claims; frozen so a stray mutation fails loudly instead of leaking. */
export const EMPTY_GUILD_CLAIMS: GuildClaims = Object.freeze({ claims: Object.freeze([]), history: Object.freeze([]) }) as unknown as GuildClaims;
