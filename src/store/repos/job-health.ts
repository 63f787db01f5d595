/**
 * The last outcome of each background job per guild (claim sweeps, reading-session jobs, flashcard reminders), so
 * `/admin doctor` can show the last error of every scheduled job. Written only when an outcome changes (a first
 * error, a different error, or recovery), never on every tick.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

const Outcome = z.object({
  /** When this outcome was first seen. */
  since: z.number().int(),
  /** The error message, or null once the job ran cleanly. */
  error: z.string().max(300).nullable(),
});
const JobHealth = z.object({ jobs: z.record(z.string().max(80), Outcome) });
export type JobHealth = z.infer<typeof JobHealth>;
export type JobOutcome = z.infer<typeof Outcome>;

export class JobHealthRepo {
  readonly collection: Collection<JobHealth>;
  /** What this process last stored per guild and job, so an unchanged outcome costs no store access. */
  readonly #known = new Map<string, string | null>();
  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'job-health', schema: JobHealth, version: 1, cache });
  }

  async get(guildId: string): Promise<JobHealth> {
    return (await this.collection.get(guildId)) ?? { jobs: {} };
  }

  /** Records a job's outcome when it differs from the stored one. */
  async record(guildId: string, job: string, error: string | null, now: number): Promise<void> {
    const key = `${guildId}\u0000${job}`;
    const message = error === null ? null : error.slice(0, 300);
    if (this.#known.has(key) && this.#known.get(key) === message) return;
    const stored = (await this.get(guildId)).jobs[job];
    if ((stored?.error ?? null) === message) {
      this.#known.set(key, message);
      return;
    }
    await this.collection.update([guildId], (current) => {
      const health = current ?? { jobs: {} };
      const previous = health.jobs[job];
      if (previous && previous.error === message) return health;
      if (!previous && message === null) return health;
      return { jobs: { ...health.jobs, [job]: { since: now, error: message } } };
    });
    this.#known.set(key, message);
  }

  async purge(guildId: string): Promise<void> {
    await this.collection.delete(guildId);
    for (const key of this.#known.keys()) if (key.startsWith(`${guildId}\u0000`)) this.#known.delete(key);
  }
}
