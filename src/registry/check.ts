/** `npm run registry:check`: validates data/ and prints counts per kind, set and category. Exits 1 on any problem. */
import { DATA_DIR } from '../paths.ts';
import { loadRegistry, RegistryError, type Registry } from './load.ts';

export function registryReport(registry: Registry): string[] {
  const lines: string[] = [];
  const count = <T>(items: readonly T[], key: (t: T) => string) => {
    const m = new Map<string, number>();
    for (const item of items) m.set(key(item), (m.get(key(item)) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
  };
  lines.push(`topics: ${registry.topics.length}`);
  lines.push(`resources: ${registry.resources.length}`);
  for (const [kind, n] of count(registry.resources, (r) => r.kind)) lines.push(`  ${kind}: ${n}`);
  lines.push(`glossary terms: ${registry.terms.length} (${registry.terms.filter((t) => t.core).length} core)`);
  lines.push(`problems: ${registry.problems.length}`);
  for (const set of registry.sets) {
    const inSet = registry.problems.filter((p) => p.set === set.id);
    const rated = inSet.filter((p) => p.difficulty !== null).length;
    lines.push(`  ${set.shortTitle} (${set.id}): ${inSet.length}, ${rated} with a verified difficulty`);
    for (const c of set.categories) {
      const n = inSet.filter((p) => p.category === c.id).length;
      const expected = c.expectedCount === null ? '' : ` / published ${c.expectedCount}`;
      lines.push(`    ${c.id} ${c.name}: ${n}${expected}`);
    }
  }
  lines.push(`study plans: ${registry.plans.length}`);
  for (const plan of registry.plans) {
    const required = plan.weeks.reduce((n, w) => n + w.required.length, 0);
    const extras = plan.weeks.reduce((n, w) => n + w.extras.length, 0);
    lines.push(`  ${plan.id}: ${plan.weeks.length} weeks, ${required} required, ${extras} extras`);
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(registryReport(loadRegistry(DATA_DIR)).join('\n'));
    console.log('registry: ok');
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
