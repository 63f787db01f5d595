/**
 * A server's own additions to the registry (its overlay): resources, glossary terms, topics, problem sets and
 * problems, plus the shipped entries it hides. Overlay entries are exactly the data/ entry shapes (the same zod
 * schemas), with ids that start with `srv-`, a prefix shipped data may never use (checked in buildRegistry), so
 * the two can never collide and an export is a valid data/ file.
 */
import { z } from 'zod';
import { GlossaryTerm, Problem, ProblemSet, Resource, Topic } from '../registry/schema.ts';

/** Every server entry's id starts with this; shipped ids never do. */
export const SERVER_ID_PREFIX = 'srv-';
/** Server problems are numbered SRV-1, SRV-2, …: problem ids are looked up across sets, so shipped ones never use it. */
export const SERVER_PROBLEM_PREFIX = 'SRV-';
/** Longest server id: buttons and modals carry ids in their custom_id (100 characters in all). */
export const SERVER_ID_MAX = 40;
export const isServerId = (id: string) => id.startsWith(SERVER_ID_PREFIX);

/** Most entries of each kind one server may add: keeps the per-guild record and its indexes bounded. */
export const OVERLAY_LIMITS = { terms: 300, resources: 300, topics: 30, sets: 5, problems: 200 } as const;
/** Most hidden ids of each kind. */
export const HIDDEN_LIMIT = 500;

export const HiddenKind = z.enum(['term', 'resource', 'topic', 'set', 'problem']);
export type HiddenKind = z.infer<typeof HiddenKind>;

export const Hidden = z
  .object({
    terms: z.array(z.string().max(100)).max(HIDDEN_LIMIT).default([]),
    resources: z.array(z.string().max(100)).max(HIDDEN_LIMIT).default([]),
    topics: z.array(z.string().max(100)).max(HIDDEN_LIMIT).default([]),
    sets: z.array(z.string().max(100)).max(HIDDEN_LIMIT).default([]),
    /** problemKey(set, id). */
    problems: z.array(z.string().max(200)).max(HIDDEN_LIMIT).default([]),
  })
  .strict();
export type Hidden = z.infer<typeof Hidden>;

export const Overlay = z
  .object({
    topics: z.array(Topic).max(OVERLAY_LIMITS.topics).default([]),
    resources: z.array(Resource).max(OVERLAY_LIMITS.resources).default([]),
    terms: z.array(GlossaryTerm).max(OVERLAY_LIMITS.terms).default([]),
    sets: z.array(ProblemSet).max(OVERLAY_LIMITS.sets).default([]),
    problems: z.array(Problem).max(OVERLAY_LIMITS.problems).default([]),
    hidden: Hidden.default({ terms: [], resources: [], topics: [], sets: [], problems: [] }),
  })
  .strict();
export type Overlay = z.infer<typeof Overlay>;

export const EMPTY_OVERLAY: Overlay = Overlay.parse({});

export const overlaySize = (o: Overlay) => o.topics.length + o.resources.length + o.terms.length + o.sets.length + o.problems.length;
export const isEmptyOverlay = (o: Overlay) => overlaySize(o) === 0 && Object.values(o.hidden).every((list) => list.length === 0);

/** Turns a title into the server id it gets: `srv-` and a kebab-case slug (at most 40 characters, so custom_ids have room). */
export function serverSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 36)
    .replace(/-+$/, '');
  return `${SERVER_ID_PREFIX}${slug || 'entry'}`;
}

/**
 * Hosts whose links are refused, with the reason shown to the curator. Invite links would turn the registry into
 * an advertising channel; link shorteners hide where a link goes; IP-grabbers and paste sites of unknown content
 * have no place in a reading list. Deliberately small: it is documented in the README, and curators are trusted.
 */
export const URL_DENYLIST: readonly { host: RegExp; reason: string }[] = [
  { host: /(^|\.)discord\.gg$/, reason: 'Discord invite links are not allowed' },
  { host: /(^|\.)discord(app)?\.com$/, reason: 'Discord invite links are not allowed' },
  { host: /(^|\.)(bit\.ly|tinyurl\.com|t\.co|goo\.gl|is\.gd|ow\.ly|rebrand\.ly|cutt\.ly)$/, reason: 'link shorteners hide where a link goes; use the full address' },
  { host: /(^|\.)(grabify\.link|iplogger\.(org|com|ru)|2no\.co|yip\.su)$/, reason: 'IP-logging links are not allowed' },
];

/** Why a URL is refused, or null when it is fine: https only, no credentials, nothing on the denylist. */
export function urlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (/[?&](token|key|api_?key|access_token|password|secret|sig|signature)=/i.test(url.search)) return 'must not carry a token, key or password';
  const host = url.hostname.toLowerCase();
  for (const entry of URL_DENYLIST) {
    if (!entry.host.test(host)) continue;
    // discord.com is fine for, say, a link to a channel message; only its invite paths are refused.
    if (/discord(app)?\.com$/.test(host) && !/^\/invite\//i.test(url.pathname)) continue;
    return entry.reason;
  }
  if (/discord\.gg\//i.test(value) || /discord(app)?\.com\/invite\//i.test(value)) return 'Discord invite links are not allowed';
  return null;
}

/** Text fields may not smuggle an invite link either. */
const INVITE_IN_TEXT = /(discord\.gg\/|discord(app)?\.com\/invite\/)/i;

/** Safety problems of an overlay (URLs, invites in text, id namespace), as "kind "id" field: message" lines. */
export function overlaySafetyProblems(o: Overlay): string[] {
  const problems: string[] = [];
  const url = (where: string, value: string) => {
    const p = urlProblem(value);
    if (p) problems.push(`${where}: ${p}`);
  };
  const text = (where: string, value: string | null | undefined) => {
    if (value && INVITE_IN_TEXT.test(value)) problems.push(`${where}: Discord invite links are not allowed`);
  };
  const id = (where: string, value: string) => {
    if (value.length > SERVER_ID_MAX) problems.push(`${where} field id: a server entry's id may have at most ${SERVER_ID_MAX} characters`);
    if (!isServerId(value)) problems.push(`${where} field id: a server entry's id must start with "${SERVER_ID_PREFIX}"`);
  };
  for (const t of o.topics) {
    id(`topic "${t.id}"`, t.id);
    text(`topic "${t.id}" field description`, t.description);
  }
  for (const r of o.resources) {
    const w = `resource "${r.id}"`;
    id(w, r.id);
    url(`${w} field url`, r.url);
    text(`${w} field summary`, r.summary);
    text(`${w} field title`, r.title);
  }
  for (const t of o.terms) {
    const w = `term "${t.id}"`;
    id(w, t.id);
    url(`${w} field source.url`, t.source.url);
    text(`${w} field definition`, t.definition);
  }
  for (const s of o.sets) {
    const w = `problem set "${s.id}"`;
    id(w, s.id);
    url(`${w} field url`, s.url);
    s.categories.forEach((c, i) => url(`${w} field categories.${i}.url`, c.url));
  }
  for (const p of o.problems) {
    const w = `problem "${p.set} ${p.id}"`;
    if (!p.id.startsWith(SERVER_PROBLEM_PREFIX)) problems.push(`${w} field id: a server problem's id must start with "${SERVER_PROBLEM_PREFIX}"`);
    if (!isServerId(p.set)) problems.push(`${w} field set: a server problem must belong to a server problem set (id starting "${SERVER_ID_PREFIX}")`);
    url(`${w} field url`, p.url);
    text(`${w} field summary`, p.summary);
  }
  return problems;
}
