/** Flashcard workloads for the latency section: drawing a quiz card, and answering a card never answered before. */
import { button, chatInput, messageFrom, sub } from '../../test/harness/interactions.ts';
import { pick } from './stats.ts';
import type { Context, Workload } from './workload.ts';

export const FLASHCARD_WORKLOADS: Workload[] = [
  {
    name: '/glossary quiz',
    build: (ctx: Context) => chatInput('glossary', [sub('quiz')], { guildId: ctx.guildId, channelId: ctx.channelId, user: ctx.member() }),
  },
  {
    name: 'flashcard answer',
    // A random member's first answer to a random term (reps 0): a real FSRS step and record write each time.
    build: (ctx: Context) => {
      const member = ctx.member();
      const term = pick(ctx.registry.terms, ctx.random);
      const id = `glossary:cardpick:${term.id}:0:${Math.floor(ctx.random() * 4)}:${member.id}:q0x`;
      return button(id, messageFrom({ content: '' }), { guildId: ctx.guildId, channelId: ctx.channelId, user: member });
    },
  },
];
