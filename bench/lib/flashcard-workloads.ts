/**
 * Flashcard workloads for the latency section: drawing a quiz card, a member's very first answer (their record
 * and the guild's member index are both written), and a returning member's answer (only their own record).
 */
import { button, chatInput, messageFrom, sub } from '../../test/harness/interactions.ts';
import { memberId } from './seed.ts';
import type { Context, Workload } from './workload.ts';

/** Members who answer again and again, far above the seeded progress members' ids so nobody else touches them. */
const RETURNING = 8;
const RETURNING_BASE = 900_000;
/** First answers come from ids nobody has used, one new member per answer. */
const FIRST_BASE = 800_000;

let firsts = 0;
let returns = 0;

const answer = (ctx: Context, userId: string, termId: string) =>
  button(`glossary:cardpick:${termId}:0:${Math.floor(ctx.random() * 4)}:${userId}:q0x`, messageFrom({ content: '' }), {
    guildId: ctx.guildId,
    channelId: ctx.channelId,
    user: { id: userId, username: 'learner' },
  });

export const FLASHCARD_WORKLOADS: Workload[] = [
  {
    name: '/glossary quiz',
    build: (ctx: Context) => chatInput('glossary', [sub('quiz')], { guildId: ctx.guildId, channelId: ctx.channelId, user: ctx.member() }),
  },
  {
    name: 'flashcard answer (first)',
    // A member's first answer ever: a real FSRS step, their new record, and the guild's member index.
    build: (ctx: Context) => answer(ctx, memberId(FIRST_BASE + firsts++), ctx.registry.terms[firsts % ctx.registry.terms.length]!.id),
  },
  {
    name: 'flashcard answer (returning)',
    // One of a few members who have answered before (from the warm-up on), each time a term they have not seen
    // (reps 0 is then the right nonce): a real FSRS step and a rewrite of their own record, nothing else.
    build: (ctx: Context) => {
      const k = returns++;
      return answer(ctx, memberId(RETURNING_BASE + (k % RETURNING)), ctx.registry.terms[Math.floor(k / RETURNING) % ctx.registry.terms.length]!.id);
    },
  },
];
