/** Runs one benchmark section in its own process and sends the result to the parent (bench/run.ts) over IPC. */
import type { SectionId, SectionResult } from './lib/figures.ts';

const loaders: Record<SectionId, () => Promise<{ run(): Promise<SectionResult> }>> = {
  latency: () => import('./sections/latency.ts'),
  glossary: () => import("./sections/glossary.ts"),
  store: () => import('./sections/store.ts'),
  digest: () => import('./sections/digest.ts'),
  memory: () => import('./sections/memory.ts'),
  'cold-start': () => import('./sections/cold-start.ts'),
  sessions: () => import('./sections/sessions.ts'),
  jargon: () => import('./sections/jargon.ts'),
  overlay: () => import('./sections/overlay.ts'),
  scaling: () => import('./sections/scaling.ts'),
  burst: () => import('./sections/burst.ts'),
};

const id = process.argv[2] as SectionId;
const send = (message: unknown) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : (console.log(JSON.stringify(message, null, 2)), resolve())));

try {
  if (!(id in loaders)) throw new Error(`unknown section "${id}"`);
  const result = await (await loaders[id]()).run();
  await send({ ok: true, result });
  process.exit(0);
} catch (error) {
  await send({ ok: false, error: (error as Error).stack ?? String(error) });
  process.exit(1);
}
