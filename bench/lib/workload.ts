/**
 * The interactions the benchmarks send: one builder per measured command, shaped like the e2e tests' payloads
 * (test/harness/interactions.ts), with arguments drawn from the real registry so every call does real work.
 */
import { defineCommand } from '../../src/discord/command.ts';
import type { Registry } from '../../src/registry/load.ts';
import { ADMIN, autocomplete, chatInput, str, sub, type Actor, type Where } from '../../test/harness/interactions.ts';
import queries from '../../test/fixtures/glossary-queries.json' with { type: 'json' };
import { pick } from './stats.ts';

/** The baseline: a command module whose handler only replies "pong", registered next to the real ones. */
export const pong = defineCommand({
  data: { name: 'pong', description: 'Benchmark baseline: replies pong' },
  async execute(interaction) {
    await interaction.reply({ content: 'pong' });
  },
});

export interface Context {
  registry: Registry;
  random: () => number;
  guildId: string;
  channelId: string;
  /** Any member of the guild (progress, lookups, lists). */
  member: () => Actor;
  /** A member who has not claimed anything yet, so a claim is a real new claim. */
  newClaimant: () => Actor;
}

export interface Workload {
  name: string;
  build(ctx: Context): any;
}

/** What a member types into glossary autocomplete: the fixture's queries and the keystrokes leading to them. */
export const AUTOCOMPLETE_QUERIES: string[] = (() => {
  const out: string[] = [];
  for (const q of queries) {
    out.push(q.query);
    for (let n = 1; n < q.query.length; n += 3) out.push(q.query.slice(0, n));
  }
  return out;
})();

const where = (ctx: Context, user: Actor): Where => ({ guildId: ctx.guildId, channelId: ctx.channelId, user });
const admin = (actor: Actor): Actor => ({ ...actor, permissions: ADMIN.permissions! });

export const WORKLOADS: Workload[] = [
  { name: '/help', build: (ctx) => chatInput('help', [], where(ctx, ctx.member())) },
  {
    name: '/glossary lookup',
    // The value Discord sends after picking a suggestion is the term id; answers are public (the default).
    build: (ctx) => chatInput('glossary', [sub('lookup', [str('term', pick(ctx.registry.terms, ctx.random).id)])], where(ctx, ctx.member())),
  },
  {
    name: '/glossary autocomplete',
    build: (ctx) => autocomplete('glossary', [sub('lookup', [str('term', pick(AUTOCOMPLETE_QUERIES, ctx.random), true)])], where(ctx, ctx.member())),
  },
  {
    name: '/resources',
    build: (ctx) => {
      const variant = Math.floor(ctx.random() * 3);
      const options = variant === 0 ? [] : variant === 1 ? [str('kind', 'tutorial')] : [str('query', pick(['attention', 'superposition', 'sparse autoencoders', 'induction'], ctx.random))];
      return chatInput('resources', options, where(ctx, ctx.member()));
    },
  },
  {
    name: '/progress mark',
    build: (ctx) =>
      chatInput(
        'progress',
        [sub('mark', [str('resource', pick(ctx.registry.resources, ctx.random).id), str('status', pick(['queued', 'reading', 'done', 'skipped'], ctx.random))])],
        where(ctx, ctx.member()),
      ),
  },
  { name: '/progress show', build: (ctx) => chatInput('progress', [sub('show')], where(ctx, ctx.member())) },
  { name: '/progress next', build: (ctx) => chatInput('progress', [sub('next')], where(ctx, ctx.member())) },
  { name: '/problem random', build: (ctx) => chatInput('problem', [sub('random')], where(ctx, ctx.member())) },
  { name: '/problem show', build: (ctx) => chatInput('problem', [sub('show', [str('id', pick(ctx.registry.problems, ctx.random).id)])], where(ctx, ctx.member())) },
  {
    name: '/problem claim',
    build: (ctx) =>
      chatInput('problem', [sub('claim', [str('id', pick(ctx.registry.problems, ctx.random).id), str('intent', 'exploring')])], where(ctx, ctx.newClaimant())),
  },
  { name: '/studygroup list', build: (ctx) => chatInput('studygroup', [sub('list')], where(ctx, ctx.member())) },
  // Study plans: the seeded "Autumn cohort" follows ARENA chapter 1 (bench/sections/latency.ts adopts it).
  { name: '/plan status', build: (ctx) => chatInput('plan', [sub('status', [str('group', 'autumn-cohort')])], where(ctx, ctx.member())) },
  { name: '/digest status', build: (ctx) => chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])], where(ctx, admin(ctx.member()))) },
];

export const BASELINE: Workload = { name: 'pong (baseline)', build: (ctx) => chatInput('pong', [], where(ctx, ctx.member())) };

/** Replies that mean the handler failed rather than did its work; a benchmark must not time those. */
export function failureOf(body: any): string | null {
  const text = `${body?.data?.content ?? ''}`;
  if (/Something went wrong on our side|Storage is temporarily unavailable|no longer supported|not available any more/.test(text)) return text.slice(0, 120);
  if (body?.type === 8 && !Array.isArray(body?.data?.choices)) return 'autocomplete without choices';
  return null;
}
