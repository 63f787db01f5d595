/**
 * `npm run bench`: runs every benchmark section, each in its own Node process (so one section's heap, JIT state
 * and caches never colour another's figures), prints a table of figures against their targets, and writes
 * bench/results.json. Offline: everything talks to a loopback Discord on 127.0.0.1.
 *
 *   npm run bench                      all sections
 *   npm run bench -- --only latency,store
 *   npm run bench -- --profile         also record CPU profiles (node --cpu-prof) and print where time goes;
 *                                      figures from a profiled run are slower, so results.json is not written
 *   BENCH_BOT_NODE_ARGS="--max-semi-space-size=2" npm run bench -- --only memory,cold-start
 *                                      runs the spawned bot processes with extra node flags (a trial, stated
 *                                      in the method notes)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { ensureBuild, type BuildInfo } from './lib/build.ts';
import { summariseProfile } from './lib/cpuprofile.ts';
import { resultText, targetText, type Figure, type SectionId, type SectionResult } from './lib/figures.ts';
import { machine } from './lib/machine.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ORDER: SectionId[] = ['latency', 'glossary', 'store', 'digest', 'memory', 'cold-start', 'sessions', 'jargon', 'overlay', 'scaling', 'burst'];
const SECTION_TIMEOUT_MS = 150_000;
/** Sections that measure until something breaks take longer. */
const SECTION_TIMEOUT_OVERRIDES: Partial<Record<SectionId, number>> = { burst: 300_000 };

function parseArgs(argv: string[]): { only: SectionId[]; profile: boolean } {
  let only = ORDER;
  let profile = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profile') profile = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[++i] ?? '');
      const wanted = value.split(',').map((s) => s.trim()) as SectionId[];
      const unknown = wanted.filter((s) => !ORDER.includes(s));
      if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; choose from ${ORDER.join(', ')}`);
      only = ORDER.filter((s) => wanted.includes(s));
    } else throw new Error(`unknown argument ${arg}`);
  }
  return { only, profile };
}

function runSection(id: SectionId, profileDir: string | null): Promise<SectionResult> {
  const started = performance.now();
  const execArgv = ['--import', 'tsx', '--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, id)}`] : [])];
  const child = fork(join(HERE, 'section-child.ts'), [id], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...(profileDir ? { BENCH_PROFILE_DIR: join(profileDir, id, 'bot') } : {}) },
  });
  return new Promise((resolve) => {
    let settled = false;
    const failed = (error: string): SectionResult => ({ section: id, title: id, figures: [], method: [], details: {}, durationMs: performance.now() - started, error });
    const timeoutMs = SECTION_TIMEOUT_OVERRIDES[id] ?? SECTION_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(failed(`timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const finish = (result: SectionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.on('message', (message: any) => finish(message?.ok ? (message.result as SectionResult) : failed(String(message?.error ?? 'unknown error'))));
    child.on('exit', (code) => setTimeout(() => finish(failed(`section process exited with ${code} without a result`)), 100));
  });
}

function profileSummaries(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.cpuprofile')) out[path] = summariseProfile(path, { top: 12 });
    }
  };
  walk(dir);
  return out;
}

function table(figures: Figure[], sections: SectionResult[]): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const s of sections) {
    rows.push([`## ${s.title}${s.error ? ' (FAILED TO RUN)' : ''}`, '', '', '']);
    if (s.error) rows.push([`   ${s.error.split('\n')[0]!.slice(0, 110)}`, '', '', 'FAIL']);
    for (const f of figures.filter((x) => x.section === s.section)) {
      let label = f.label;
      if (f.note) {
        notes.push(f.note);
        label += ` [${notes.length}]`;
      }
      rows.push([`   ${label}`, f.display ?? '', targetText(f), resultText(f)]);
    }
  }
  const header = ['Figure', 'Value', 'Target', 'Result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => !r[0]!.startsWith('## ')).map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(r[0]!.startsWith('## ') ? r[0]!.slice(3) : line(r));
  if (notes.length) out.push('', ...notes.map((n, i) => `[${i + 1}] ${n}`));
  return out.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run bench [-- --only latency,glossary,store,digest,memory,cold-start] [--profile]`);
    process.exitCode = 2;
    return;
  }
  const { only, profile } = args;
  const host = machine();
  console.log(`Induction benchmarks on ${host.cpu}, ${host.cores} cores, ${host.ramGiB} GiB, Node ${host.node} (load average ${host.loadAverage.join(' ')})`);

  let build: BuildInfo | null = null;
  if (only.includes('memory') || only.includes('cold-start')) {
    build = ensureBuild();
    console.log(
      build.action === 'fresh'
        ? 'dist/ is up to date with the sources.'
        : build.action === 'built'
          ? `Compiled dist/ (tsc -p tsconfig.build.json) in ${(build.ms / 1000).toFixed(1)} s.`
          : `tsc reported errors (dist/ ${build.entryExists ? 'was still emitted' : 'is missing'}):\n${build.output}`,
    );
  }
  const profileDir = profile ? mkdtempSync(join(tmpdir(), 'induction-bench-profile-')) : null;

  const sections: SectionResult[] = [];
  for (const id of only) {
    process.stdout.write(`running ${id}… `);
    const result = await runSection(id, profileDir);
    sections.push(result);
    console.log(result.error ? `FAILED (${result.error.split('\n')[0]})` : `${(result.durationMs / 1000).toFixed(1)} s`);
  }
  const figures = sections.flatMap((s) => s.figures);
  const targeted = figures.filter((f) => f.pass !== null);
  const passed = targeted.filter((f) => f.pass).length;
  const totalMs = performance.now() - started;

  console.log(`\n${table(figures, sections)}\n`);
  console.log(`${passed} of ${targeted.length} targets met; ${sections.filter((s) => s.error).length} sections failed to run; total ${(totalMs / 1000).toFixed(1)} s.`);

  if (profileDir) {
    const summaries = profileSummaries(profileDir);
    for (const [file, s] of Object.entries(summaries) as [string, ReturnType<typeof summariseProfile>][]) {
      if (s.totalMs < 300) continue; // loader threads and the like
      console.log(`\nCPU profile ${file} (${s.totalMs} ms sampled), top self time:`);
      for (const f of s.functions) console.log(`  ${String(f.share).padStart(5)}%  ${f.name}`);
    }
    writeFileSync(join(profileDir, 'summary.json'), JSON.stringify(summaries, null, 2));
    console.log(`\nProfiles and summary.json are in ${profileDir} (open a .cpuprofile in Chrome DevTools). results.json was not written: profiled figures are slower.`);
    return;
  }

  const results = {
    generatedAt: new Date().toISOString(),
    machine: { ...host, loadAverageAtEnd: machine().loadAverage },
    totalMs: Math.round(totalMs),
    build,
    summary: { targets: targeted.length, passed, failed: targeted.length - passed, sectionsFailed: sections.filter((s) => s.error).map((s) => s.section) },
    figures,
    sections,
  };
  const out = join(HERE, 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${out}`);
  if (sections.some((s) => s.error)) process.exitCode = 1;
}

await main();
