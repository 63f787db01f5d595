/**
 * Shared visual constants for embeds: one colour per meaning (see the presentation style in src/render/README.md).
 * - REFERENCE: looking something up (a resource, term, problem, list). Discord blurple.
 * - SUCCESS: something you did took effect (marked, claimed, joined, finished).
 * - WARNING: needs attention (stale claims, behind plan, a setting that blocks a feature).
 * - DANGER: an error or a destructive confirmation (delete, cancel).
 * - GROUP: the cohort's shared posts (digests, session announcements, plan status).
 * - PERSONAL: your own state (progress card, your claims, flashcard stats).
 */
export const REFERENCE_COLOUR = 0x5865f2;
export const SUCCESS_COLOUR = 0x57f287;
export const WARNING_COLOUR = 0xfee75c;
export const DANGER_COLOUR = 0xed4245;
export const GROUP_COLOUR = 0xeb459e;
/** Teal: clearly apart from SUCCESS's green at a glance. */
export const PERSONAL_COLOUR = 0x1abc9c;
/** @deprecated Use REFERENCE_COLOUR. Kept while surfaces move over. */
export const BRAND_COLOUR = REFERENCE_COLOUR;
