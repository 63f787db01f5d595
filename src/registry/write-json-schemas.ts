/** `npm run registry:schemas`: writes data/schemas/*.schema.json from the zod schemas, so editors validate data. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from '../paths.ts';
import { GlossaryFile, ProblemRenamesFile, ProblemsFile, ResourcesFile, TopicsFile } from './schema.ts';
import { PlansFile } from './plans.ts';

export const JSON_SCHEMAS = {
  'topics.schema.json': TopicsFile,
  'resources.schema.json': ResourcesFile,
  'glossary.schema.json': GlossaryFile,
  'problems.schema.json': ProblemsFile,
  'problem-renames.schema.json': ProblemRenamesFile,
  'plans.schema.json': PlansFile,
} as const;

export function renderJsonSchema(schema: z.ZodType): string {
  return `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(DATA_DIR, 'schemas');
  mkdirSync(dir, { recursive: true });
  for (const [file, schema] of Object.entries(JSON_SCHEMAS)) {
    writeFileSync(join(dir, file), renderJsonSchema(schema));
    console.log(`wrote data/schemas/${file}`);
  }
}
