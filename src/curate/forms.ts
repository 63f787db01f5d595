/**
 * The modals curators and members fill in for a glossary term or a resource, and the parsing of what they sent
 * into data/ entry shapes. Short choices (kind, level, topic, minutes) come from slash-command options and ride
 * in the modal's custom_id; the long fields are text inputs. Parsing is pure: it takes the registry view to
 * resolve names ("induction head" or "induction-head") to ids, and returns field problems in plain words.
 */
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import { glossarySearch } from '../domain/glossary-search.ts';
import { resourceIndexes } from '../domain/resource-search.ts';
import { serverSlug } from '../domain/overlay.ts';
import type { Registry } from '../registry/load.ts';
import { GlossaryTerm, Resource, type Level, type ResourceKind } from '../registry/schema.ts';
import { firstSentence } from '../render/text.ts';

export type TermFields = 'term' | 'aliases' | 'definition' | 'source' | 'related';
export type ResourceFields = 'title' | 'url' | 'summary' | 'authors' | 'terms';

const input = (custom_id: string, label: string, style: TextInputStyle, opts: { value?: string | undefined; required: boolean; min?: number; max: number; placeholder?: string }) => ({
  type: ComponentType.ActionRow as const,
  components: [
    {
      type: ComponentType.TextInput as const,
      custom_id,
      label,
      style,
      required: opts.required,
      ...(opts.min ? { min_length: opts.min } : {}),
      max_length: opts.max,
      ...(opts.placeholder ? { placeholder: opts.placeholder } : {}),
      ...(opts.value ? { value: opts.value.slice(0, opts.max) } : {}),
    },
  ],
});

export function termModal(customId: string, title: string, prefill?: GlossaryTerm, registry?: Registry): APIModalInteractionResponseCallbackData {
  const related = prefill?.related.map((id) => registry?.termById.get(id)?.term ?? id).join(', ');
  return {
    custom_id: customId,
    title: title.slice(0, 45),
    components: [
      input('term', 'Term', TextInputStyle.Short, { value: prefill?.term, required: true, max: 100, placeholder: 'e.g. Logit lens' }),
      input('aliases', 'Other names (comma-separated)', TextInputStyle.Short, { value: prefill?.aliases.join(', '), required: false, max: 400 }),
      input('definition', 'Definition', TextInputStyle.Paragraph, { value: prefill?.definition, required: true, min: 80, max: 1200, placeholder: '2 to 6 sentences, in your own words' }),
      input('source', 'Source link (https://…)', TextInputStyle.Short, { value: prefill?.source.url, required: true, max: 400 }),
      input('related', 'Related glossary terms', TextInputStyle.Short, { value: related, required: false, max: 400, placeholder: 'Comma-separated, e.g. induction head, logit lens' }),
    ],
  };
}

export function resourceModal(customId: string, title: string, prefill?: Resource, registry?: Registry): APIModalInteractionResponseCallbackData {
  const authors = prefill ? `${prefill.authors.join(', ')}${prefill.year ? ` (${prefill.year})` : ''}` : undefined;
  const terms = prefill?.terms.map((id) => registry?.termById.get(id)?.term ?? id).join(', ');
  return {
    custom_id: customId,
    title: title.slice(0, 45),
    components: [
      input('title', 'Title', TextInputStyle.Short, { value: prefill?.title, required: true, min: 2, max: 200 }),
      input('url', 'Link (https://…)', TextInputStyle.Short, { value: prefill?.url, required: true, max: 400 }),
      input('summary', 'Summary', TextInputStyle.Paragraph, { value: prefill?.summary, required: true, min: 40, max: 600, placeholder: 'What it is and who it is for, in your own words' }),
      input('authors', 'Authors and year', TextInputStyle.Short, { value: authors, required: false, max: 400, placeholder: 'e.g. A. Author, B. Author (2024)' }),
      input('terms', 'Glossary terms it teaches', TextInputStyle.Short, { value: terms, required: false, max: 400, placeholder: 'Comma-separated, e.g. induction head' }),
    ],
  };
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Resolves names or ids to glossary term ids; unknown names become problems. */
function resolveTerms(registry: Registry, names: string[], field: string, problems: string[]): string[] {
  const search = glossarySearch(registry);
  const ids: string[] = [];
  for (const name of names) {
    const term = search.resolve(name);
    if (term) {
      if (!ids.includes(term.id)) ids.push(term.id);
    } else problems.push(`${field}: no glossary term "${name.slice(0, 60)}"`);
  }
  return ids;
}

type Parsed<T> = { ok: true; entry: T } | { ok: false; problems: string[] };

const zodProblems = (issues: readonly { path: PropertyKey[]; message: string }[]) => issues.slice(0, 8).map((i) => `${i.path.map(String).join('.') || 'entry'}: ${i.message}`);

/** A term from the modal's fields. `base` is the entry being edited (keeps its id, section and flags). */
export function parseTermForm(fields: Record<TermFields, string>, registry: Registry, base?: GlossaryTerm): Parsed<GlossaryTerm> {
  const problems: string[] = [];
  const related = resolveTerms(registry, list(fields.related), 'related', problems);
  let host = 'source';
  try {
    host = new URL(fields.source.trim()).hostname.replace(/^www\./, '') || host;
  } catch {
    /* reported by the schema */
  }
  const definition = fields.definition.replace(/\s+/g, ' ').trim();
  // A modal holds five fields, so a server term's one-line gist is its definition's first sentence (word-safe, at
  // most 120 characters); an edit that leaves the definition alone keeps the gist it had (imports may set one).
  const gist = base && base.definition === definition ? base.gist : firstSentence(definition, 120);
  const candidate = {
    id: base?.id ?? serverSlug(fields.term),
    term: fields.term.trim(),
    aliases: list(fields.aliases),
    section: base?.section ?? 'Server',
    definition,
    gist,
    related: related.filter((id) => id !== (base?.id ?? serverSlug(fields.term))),
    resources: base?.resources ?? [],
    source: { label: base && base.source.url === fields.source.trim() ? base.source.label : host.slice(0, 200), url: fields.source.trim() },
    core: false,
  };
  const parsed = GlossaryTerm.safeParse(candidate);
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, entry: parsed.data };
}

export interface ResourceChoices {
  kind: ResourceKind;
  level: Level;
  topic: string;
  minutes: number | null;
}

/** "A. Author, B. Author (2024)" → authors and year. */
export function parseAuthors(value: string): { authors: string[]; year: number | null } {
  const match = value.match(/\(?\b(19[5-9]\d|20\d\d|2100)\)?\s*$/);
  const year = match ? Number(match[1]) : null;
  const rest = match ? value.slice(0, match.index) : value;
  return { authors: list(rest).map((a) => a.slice(0, 120)), year };
}

export function parseResourceForm(fields: Record<ResourceFields, string>, choices: ResourceChoices, registry: Registry, base?: Resource): Parsed<Resource> {
  const problems: string[] = [];
  const terms = resolveTerms(registry, list(fields.terms), 'terms', problems);
  const { authors, year } = parseAuthors(fields.authors ?? '');
  const candidate = {
    id: base?.id ?? serverSlug(fields.title),
    title: fields.title.trim(),
    url: fields.url.trim(),
    kind: choices.kind,
    level: choices.level,
    topics: base && base.topics[0] === choices.topic ? base.topics : [choices.topic],
    estMinutes: choices.minutes,
    prerequisites: base?.prerequisites ?? [],
    ...(base?.parent ? { parent: base.parent } : {}),
    ...(base?.order !== undefined ? { order: base.order } : {}),
    authors,
    year,
    summary: fields.summary.replace(/\s+/g, ' ').trim(),
    terms,
    unverified: [],
  };
  const parsed = Resource.safeParse(candidate);
  if (!parsed.success) problems.push(...zodProblems(parsed.error.issues));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, entry: parsed.data };
}

/** A topic named by id or label in the view, for the slash option. */
export function resolveTopicId(registry: Registry, value: string): string | undefined {
  if (registry.topicById.has(value)) return value;
  return resourceIndexes(registry).topics.search(value, 1).find((m) => m.tier === 0)?.item.id;
}
