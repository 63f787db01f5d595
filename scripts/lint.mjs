#!/usr/bin/env node
// Project rules the type checker cannot see. Each rule exists because breaking it loses data or pings people.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check as checkImports } from './import-cycles.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rules = [
  { pattern: /\b(keyv|store|adapter)\.clear\(\s*\)/i, dirs: ['src', 'commands'], why: 'Keyv clear() on SQLite deletes other namespaces by LIKE match' },
  { pattern: /new Keyv\(\s*['"`]/, dirs: ['src', 'commands', 'test'], why: 'keyv 5 silently uses memory for a URL string; use openStore()' },
  { pattern: /parse:\s*\[[^\]]*['"](everyone|users|roles)['"]/, dirs: ['src', 'commands'], why: 'replies must never ping' },
  { pattern: /\b(it|describe|test)\.only\(/, dirs: ['test'], why: 'a focused test silently skips the rest of the suite' },
  { pattern: /console\.log\(/, dirs: ['commands'], why: 'use the pino logger from services' },
];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(ts|mjs|js)$/.test(entry.name)) yield path;
  }
}

let problems = 0;
for (const rule of rules) {
  for (const dir of rule.dirs) {
    for (const file of files(join(root, dir))) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (rule.pattern.test(line) && !line.includes('lint-ignore')) {
            problems++;
            console.error(`${relative(root, file)}:${i + 1}: ${rule.why}`);
          }
        });
    }
  }
}
// No import cycles, and src/domain never imports src/store (scripts/import-cycles.mjs).
for (const problem of checkImports()) {
  problems++;
  console.error(problem);
}
if (problems > 0) process.exit(1);
console.log('lint: ok');
