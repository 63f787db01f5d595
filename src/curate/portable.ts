/**
 * /curate export and /curate import: a server's entries as files in exactly the data/ formats (topics.json,
 * resources.json, glossary.json, problems.json), so they can be offered upstream as a pull request, plus
 * hidden.json for the shipped entries the server hides (not a data/ file: it only matters to the server).
 */
import { z } from 'zod';
import { Hidden, Overlay, type Overlay as OverlayT } from '../domain/overlay.ts';
import { GlossaryFile, ProblemsFile, ResourcesFile, TopicsFile } from '../registry/schema.ts';

export interface ExportFile {
  name: string;
  text: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function exportFiles(o: OverlayT): ExportFile[] {
  const files: ExportFile[] = [];
  if (o.topics.length) files.push({ name: 'topics.json', text: json({ $schema: './schemas/topics.schema.json', topics: o.topics }) });
  if (o.resources.length) files.push({ name: 'resources.json', text: json({ $schema: './schemas/resources.schema.json', resources: o.resources }) });
  if (o.terms.length) files.push({ name: 'glossary.json', text: json({ $schema: './schemas/glossary.schema.json', terms: o.terms }) });
  if (o.problems.length) files.push({ name: 'problems.json', text: json({ $schema: './schemas/problems.schema.json', sets: o.sets, problems: o.problems }) });
  if (Object.values(o.hidden).some((l) => l.length)) files.push({ name: 'hidden.json', text: json({ hidden: o.hidden }) });
  return files;
}

const HiddenFile = z.object({ hidden: Hidden }).strict();

/** Reads uploaded files (any of the export's files, in any order) into one overlay, or says what is wrong. */
export function parseImport(files: readonly ExportFile[]): { ok: true; overlay: OverlayT } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const out = { topics: [] as unknown[], resources: [] as unknown[], terms: [] as unknown[], sets: [] as unknown[], problems: [] as unknown[], hidden: { terms: [], resources: [], topics: [], sets: [], problems: [] } as Hidden };
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(file.text);
    } catch (error) {
      problems.push(`${file.name}: not JSON (${(error as Error).message.slice(0, 100)})`);
      continue;
    }
    const keys = value && typeof value === 'object' ? Object.keys(value) : [];
    const schema = keys.includes('terms') ? GlossaryFile : keys.includes('resources') ? ResourcesFile : keys.includes('topics') ? TopicsFile : keys.includes('sets') ? ProblemsFile : keys.includes('hidden') ? HiddenFile : undefined;
    if (!schema) {
      problems.push(`${file.name}: not a registry file (expected "terms", "resources", "topics", "sets" and "problems", or "hidden")`);
      continue;
    }
    const parsed = (schema as z.ZodType).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 10)) problems.push(`${file.name}: at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
      continue;
    }
    const data = parsed.data as Record<string, unknown[]> & { hidden?: Hidden };
    for (const kind of ['topics', 'resources', 'terms', 'sets', 'problems'] as const) if (data[kind]) out[kind].push(...data[kind]);
    if (data.hidden) for (const k of Object.keys(out.hidden) as (keyof Hidden)[]) out.hidden[k] = [...out.hidden[k], ...data.hidden[k]];
  }
  if (problems.length) return { ok: false, problems };
  const overlay = Overlay.safeParse(out);
  if (!overlay.success) return { ok: false, problems: overlay.error.issues.slice(0, 10).map((i) => `at ${i.path.map(String).join('.')}: ${i.message}`) };
  return { ok: true, overlay: overlay.data };
}
