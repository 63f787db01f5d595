/**
 * The registry's data contract. data/*.json is validated against these schemas at startup,
 * and JSON Schema files for editors are generated from them (npm run registry:schemas).
 */
import { z } from 'zod';

/** Lowercase kebab-case slug: stable ids that survive title edits. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase kebab-case slug such as "induction-head"');

export const HttpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://'), 'must be an https:// URL');

/** Written in our own words; a one-liner is not a definition. */
const Prose = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const ResourceKind = z.enum([
  'guide',
  'tutorial',
  'paper',
  'video',
  'playlist',
  'tool',
  'course',
  'reading-list',
  'problem-list',
  'glossary',
]);
export type ResourceKind = z.infer<typeof ResourceKind>;

export const Level = z.enum(['intro', 'intermediate', 'advanced']);
export type Level = z.infer<typeof Level>;

export const Topic = z.object({
  id: Slug,
  label: z.string().min(2).max(60),
  description: Prose(10, 200),
});
export type Topic = z.infer<typeof Topic>;

export const Resource = z
  .object({
    id: Slug,
    title: z.string().trim().min(2).max(200),
    url: HttpsUrl,
    kind: ResourceKind,
    level: Level,
    topics: z.array(Slug).min(1).max(8),
    /** Rough time to work through it; null where we have no honest estimate. */
    estMinutes: z.number().int().positive().max(100_000).nullable(),
    prerequisites: z.array(Slug).default([]),
    /** A parent groups sections into a track (for example ARENA chapter 1 and its sections). */
    parent: Slug.optional(),
    /** Position within the parent, for ordering a track. */
    order: z.number().int().nonnegative().optional(),
    authors: z.array(z.string().min(1).max(120)).max(40).default([]),
    year: z.number().int().min(1950).max(2100).nullable().default(null),
    summary: Prose(40, 600),
    terms: z.array(Slug).default([]),
    /** Names of fields whose values could not be confirmed in a source (for example ["url"]). */
    unverified: z.array(z.enum(['url', 'authors', 'year', 'title'])).default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.kind === 'paper') {
      if (r.authors.length === 0) ctx.addIssue({ code: 'custom', path: ['authors'], message: 'a paper needs authors' });
      if (r.year === null) ctx.addIssue({ code: 'custom', path: ['year'], message: 'a paper needs a year' });
    }
  });
export type Resource = z.infer<typeof Resource>;

export const GlossarySource = z
  .object({
    label: z.string().min(2).max(200),
    url: HttpsUrl,
  })
  .strict();

export const GlossaryTerm = z
  .object({
    id: Slug,
    term: z.string().trim().min(1).max(100),
    aliases: z.array(z.string().trim().min(1).max(100)).default([]),
    section: z.string().min(2).max(80),
    /** 2 to 6 sentences, our own words. */
    definition: Prose(80, 1200),
    /** One line, at most 120 characters, our own words: what a card or a jargon list shows before the definition. */
    gist: z.string().trim().min(10).max(120),
    /**
     * Labels (the term itself or some of its aliases) that are also everyday English ("feature", "head", "loss").
     * "Explain jargon" counts them only next to a technical word; see src/domain/jargon.ts.
     */
    ambiguous: z.array(z.string().trim().min(1).max(100)).optional(),
    related: z.array(Slug).default([]),
    resources: z.array(Slug).default([]),
    source: GlossarySource,
    /** Shown first when a newcomer opens autocomplete with an empty query. */
    core: z.boolean().default(false),
  })
  .strict();
export type GlossaryTerm = z.infer<typeof GlossaryTerm>;

export const Difficulty = z.enum(['A', 'B', 'C', 'D']);
export type Difficulty = z.infer<typeof Difficulty>;

export const ProblemCategory = z
  .object({
    id: z.string().regex(/^[0-9A-Za-z]+(?:\.[0-9]+)*$/),
    name: z.string().min(2).max(120),
    url: HttpsUrl,
    /** Published number of problems, checked against the data. */
    expectedCount: z.number().int().positive().nullable().default(null),
  })
  .strict();

export const ProblemSet = z
  .object({
    id: Slug,
    title: z.string().min(2).max(200),
    shortTitle: z.string().min(2).max(40),
    authors: z.array(z.string().min(1)).min(1),
    published: z.string().min(4).max(40),
    url: HttpsUrl,
    /** Shown to members with every problem from this set, when present. */
    caveat: Prose(20, 500).nullable().default(null),
    categories: z.array(ProblemCategory).min(1),
  })
  .strict();
export type ProblemSet = z.infer<typeof ProblemSet>;

/** How sure we are that this id points at this problem in the source. */
export const IdConfidence = z.enum(['verified', 'paraphrase', 'approximate']);

export const Problem = z
  .object({
    /** Kept as a string: "1.10" is not "1.1". */
    id: z.string().regex(/^[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*$/),
    set: Slug,
    category: z.string(),
    subcategory: z.string().min(1).max(120).nullable(),
    /** Only where a source states it; never guessed. */
    difficulty: Difficulty.nullable(),
    /** Extra provenance about difficulty, for example "sheet says B-C" or "not A (from a sorted listing)". */
    difficultyNote: z.string().max(120).nullable().default(null),
    /** Our own words. Null only where the problem's text was not recovered. */
    summary: Prose(30, 500).nullable(),
    url: HttpsUrl,
    idConfidence: IdConfidence,
    /** Provenance of the id or text where there is something to say, for example why an id changed. */
    note: Prose(20, 600).nullable().default(null),
    terms: z.array(Slug).default([]),
  })
  .strict();
export type Problem = z.infer<typeof Problem>;

/**
 * One published renumbering of a problem set: every `from` id becomes its `to` id at the same moment, so chains
 * (2.27 → 2.28 while 2.28 → 2.29) never collide. Stored claims follow a batch exactly once (see
 * src/domain/problem-renames.ts); a batch is never edited after release, only new batches are added.
 */
export const ProblemRenameBatch = z
  .object({
    /** Stable and unique: the start-up migration records which batches it has applied by this id. */
    id: Slug,
    set: Slug,
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'),
    reason: Prose(20, 600),
    renames: z
      .array(z.object({ from: z.string().min(1), to: z.string().min(1) }).strict())
      .min(1),
  })
  .strict();
export type ProblemRenameBatch = z.infer<typeof ProblemRenameBatch>;

export const TopicsFile = z.object({ $schema: z.string().optional(), topics: z.array(Topic).min(1) }).strict();
export const ResourcesFile = z.object({ $schema: z.string().optional(), resources: z.array(Resource).min(1) }).strict();
export const GlossaryFile = z.object({ $schema: z.string().optional(), terms: z.array(GlossaryTerm).min(1) }).strict();
export const ProblemRenamesFile = z
  .object({ $schema: z.string().optional(), batches: z.array(ProblemRenameBatch) })
  .strict();
export const ProblemsFile = z
  .object({ $schema: z.string().optional(), sets: z.array(ProblemSet).min(1), problems: z.array(Problem).min(1) })
  .strict();
