#!/usr/bin/env node
// Import rules for src/ and commands/: no import cycles (type-only imports count too: they couple the modules just
// the same), and the domain never imports the store (src/domain owns the entities; src/store imports them).
// Usage: node scripts/import-cycles.mjs (exit 1 on a problem). scripts/lint.mjs runs it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Relative import specifiers of a file: import/export ... from '...', import('...'). Comments are stripped first. */
export function importsOf(source) {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specs = [];
  for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs.filter((s) => s.startsWith('.'));
}

export function graph(dirs) {
  const edges = new Map();
  for (const dir of dirs) {
    for (const file of files(join(root, dir))) {
      const deps = importsOf(readFileSync(file, 'utf8'))
        .map((s) => resolve(dirname(file), s))
        .filter((p) => existsSync(p));
      edges.set(file, deps);
    }
  }
  return edges;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan's algorithm. */
export function cycles(edges) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(component);
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function check() {
  const edges = graph(['src', 'commands']);
  const problems = [];
  for (const component of cycles(edges)) problems.push(`import cycle: ${component.map((f) => relative(root, f)).sort().join(' <-> ')}`);
  for (const [file, deps] of edges) {
    const from = relative(root, file);
    if (!from.startsWith('src/domain/')) continue;
    for (const dep of deps) if (relative(root, dep).startsWith('src/store/')) problems.push(`${from}: the domain imports the store (${relative(root, dep)}); move the type into src/domain`);
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log('imports: no cycles, domain independent of store');
}
