/**
 * Runs the weekly digests and the claim lifecycle for the guilds this process owns (its shards' guilds).
 * Exactly once per (group, week): a run is claimed in the ledger before anything is sent, each part is posted
 * with a nonce Discord enforces, progress is recorded after each part, and a run left "posting" by a crash is
 * reconciled against the channel before it is resumed. Failures are recorded, logged and retried with backoff.
 */
import { backoffAfter, decideDigest, nextFire, type DigestDecision } from '../domain/digest-schedule.ts';
import { CHART_NAME, digestPartOf } from '../render/digest.ts';
import type { Services } from '../services.ts';
import type { DigestRun, StudyGroup } from '../store/repos/study-groups.ts';
import { buildDigest } from './builder.ts';
import { purgeGuildData } from '../privacy/member-data.ts';
import { sweepGuildClaims } from '../store/repos/claims.ts';
import { digestNonce, type DigestPoster } from './poster.ts';
import { cmd } from '../render/command-mentions.ts';
import { feature } from '../discord/required-permissions.ts';
import { permissionName } from '../domain/permissions.ts';

const MAX_TICK_MS = 60_000;
const SWEEP_EVERY_MS = 60 * 60_000;

/** A named per-guild job run on every pass; its last outcome is kept for /admin doctor. */
export interface GuildJob {
  label: string;
  run(guildId: string): Promise<void>;
}

export interface SchedulerOptions {
  services: Services;
  poster: DigestPoster;
  /** The guilds this process is responsible for (per-guild work runs only on the owning shard). */
  guildIds: () => Iterable<string>;
  /** Whether a guild id belongs to one of this process's shards, present or not (for purging departed guilds). */
  ownsGuild?: (guildId: string) => boolean;
  /** Set false in tests that drive tick() by hand. */
  timers?: boolean;
  /** Further per-guild jobs run on every pass after the digests (reading-session reminders and series, flashcard reminders). */
  guildJobs?: readonly GuildJob[];
}

export class DigestScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #lastSweep = new Map<string, number>();

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.#stopped = false;
    void this.#loop();
  }

  /** Resolves when the pass in progress (if any) has finished. */
  async settled(): Promise<void> {
    await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  async #loop(): Promise<void> {
    if (this.#stopped) return;
    const wait = await this.tick();
    if (this.options.timers === false || this.#stopped) return;
    this.#timer = setTimeout(() => void this.#loop(), wait);
    this.#timer.unref?.();
  }

  /** One pass over every owned guild. Returns how long to wait before the next pass. */
  async tick(): Promise<number> {
    const run = this.#tick();
    this.#running = run.then(() => undefined, () => undefined);
    return run;
  }

  async #tick(): Promise<number> {
    const { services } = this.options;
    let wait = MAX_TICK_MS;
    await this.#purgeDeparted().catch((error) => services.log.error({ err: error }, 'departed-guild purge failed'));
    for (const guildId of this.options.guildIds()) {
      try {
        await this.#recorded(guildId, 'Claim lifecycle sweep', () => this.#sweepClaims(guildId));
        for (const group of await services.repos.studyGroups.list(guildId)) {
          const now = services.clock.now();
          await this.runIfDue(guildId, group.id);
          if (group.schedule) {
            const next = nextFire(group.schedule, now);
            if (next !== null) wait = Math.min(wait, Math.max(1_000, next - now + 250));
          }
        }
        for (const job of this.options.guildJobs ?? []) await this.#recorded(guildId, job.label, () => job.run(guildId));
      } catch (error) {
        services.log.error({ err: error, guildId }, 'digest tick failed for guild');
      }
    }
    return wait;
  }

  #lastPurge = -Infinity;

  /** Deletes the data of guilds the bot left more than 30 days ago, unless it is back in them. */
  async #purgeDeparted(): Promise<void> {
    const { services, ownsGuild } = this.options;
    const now = services.clock.now();
    if (!ownsGuild || now - this.#lastPurge < SWEEP_EVERY_MS) return;
    this.#lastPurge = now;
    const present = new Set(this.options.guildIds());
    for (const guildId of await services.repos.departedGuilds.due(now)) {
      if (!ownsGuild(guildId)) continue;
      if (present.has(guildId)) {
        await services.repos.departedGuilds.markPresent(guildId);
        continue;
      }
      await purgeGuildData(services.repos, guildId);
      services.log.info({ guildId }, 'purged the data of a guild the bot left 30 days ago');
    }
  }

  /** Runs one job, logs a failure, and keeps its outcome for /admin doctor (a failing store must not stop the pass). */
  async #recorded(guildId: string, label: string, run: () => Promise<void>): Promise<void> {
    const { services } = this.options;
    let error: string | null = null;
    try {
      await run();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      services.log.error({ err: e, guildId, job: label }, 'scheduled guild job failed');
    }
    await services.repos.jobHealth.record(guildId, label, error, services.clock.now()).catch((e) => services.log.warn({ err: e, guildId }, 'could not record a job outcome'));
  }

  async #sweepClaims(guildId: string): Promise<void> {
    const { services } = this.options;
    const now = services.clock.now();
    if (now - (this.#lastSweep.get(guildId) ?? -Infinity) < SWEEP_EVERY_MS) return;
    this.#lastSweep.set(guildId, now);
    const result = await sweepGuildClaims(services.repos, guildId, now);
    if (result.turnedStale.length || result.released.length) {
      services.log.info({ guildId, stale: result.turnedStale.length, released: result.released.length }, 'claim lifecycle sweep');
    }
  }

  /** Posts the group's digest if one is due. Safe to call repeatedly: the ledger decides. */
  async runIfDue(guildId: string, groupId: string): Promise<DigestDecision> {
    const { services } = this.options;
    const now = services.clock.now();
    // Claim inside the guild lock, deciding again there, so two callers can never both start a run.
    const claimed = await services.repos.studyGroups.mutate(guildId, (groups) => {
      const group = groups.find((g) => g.id === groupId);
      if (!group) return null;
      const decision = decideDigest(group.schedule, group.runs, now);
      if (decision.action !== 'post') return { decision, group, run: null };
      const previous = decision.resume;
      const run: DigestRun = {
        period: decision.period,
        fireAt: decision.fireAt,
        state: 'posting',
        claimedAt: now,
        attempts: (previous?.attempts ?? 0) + 1,
        nextAttemptAt: null,
        partsPosted: previous?.partsPosted ?? 0,
        messageIds: previous?.messageIds ?? [],
        late: decision.late,
        lastError: previous?.lastError ?? null,
        blocked: previous?.blocked ?? null,
        postedAt: null,
      };
      group.runs = [run, ...group.runs.filter((r) => r.period !== run.period)].slice(0, 12);
      return { decision, group: structuredClone(group), run };
    });
    if (!claimed) return { action: 'none', reason: 'no such group' };
    if (!claimed.run || claimed.decision.action !== 'post') return claimed.decision;
    await this.#post(guildId, claimed.group, claimed.decision, claimed.run);
    return claimed.decision;
  }

  async #post(guildId: string, group: StudyGroup, decision: Extract<DigestDecision, { action: 'post' }>, run: DigestRun): Promise<void> {
    const { services, poster } = this.options;
    const log = services.log.child({ guildId, group: group.id, period: run.period });
    try {
      if (decision.resume?.state === 'posting') {
        // A previous process claimed this run and died: find out how much of it reached the channel. Without
        // Read Message History this look fails; the enforced nonce still stops a duplicate of a recent post.
        try {
          const recent = await poster.recentOwn(group.channelId, 50);
          const found = recent.flatMap((m) => m.embeds.map((e) => digestPartOf(e.footer?.text, group.name, run.period) ?? 0));
          run.partsPosted = Math.max(run.partsPosted, ...found, 0);
        } catch (error) {
          log.warn({ err: error }, 'could not read the channel to reconcile an interrupted digest; relying on the nonce');
        }
        log.warn({ partsPosted: run.partsPosted }, 'resuming a digest run interrupted by a restart');
      }
      const built = await buildDigest(services, guildId, group, {
        start: decision.windowStart,
        end: decision.fireAt,
        late: run.late,
        period: run.period,
        timezone: group.schedule!.timezone,
      });
      for (let i = run.partsPosted; i < built.parts.length; i++) {
        const part = built.parts[i]!;
        const message = await poster.post(group.channelId, {
          embeds: part.embeds,
          nonce: digestNonce(guildId, group.id, run.period, i),
          chart: part.withChart ? built.chart : null,
          chartName: CHART_NAME,
        });
        run.partsPosted = i + 1;
        run.messageIds = [...run.messageIds, message.id];
        await services.repos.studyGroups.recordRun(guildId, group.id, { ...run });
      }
      const done: DigestRun = { ...run, state: 'posted', postedAt: services.clock.now(), lastError: null, blocked: null, partsPosted: built.parts.length };
      await services.repos.studyGroups.recordRun(guildId, group.id, done);
      log.info({ parts: built.parts.length, late: run.late }, 'digest posted');
    } catch (error) {
      const now = services.clock.now();
      // Refused for permissions: work out which ones, so /digest status and /admin doctor can name them.
      const code = discordCode(error);
      const missing = code === 50001 || code === 50013 ? ((await poster.missingPermissions?.(guildId, group.channelId, feature('digests').channel).catch(() => null)) ?? []) : null;
      const failed: DigestRun = {
        ...run,
        state: 'failed',
        nextAttemptAt: now + backoffAfter(run.attempts),
        lastError: describeError(error, missing && { channelId: group.channelId, missing }),
        blocked: missing && { channelId: group.channelId, missing: missing.map(String) },
      };
      log.error({ err: error, attempts: run.attempts, nextAttemptAt: failed.nextAttemptAt }, 'digest post failed; will retry');
      await services.repos.studyGroups.recordRun(guildId, group.id, failed).catch((e) => log.error({ err: e }, 'could not record the failure'));
    }
  }
}

/** Discord API errors carry a numeric JSON error code; checked by shape, since bundled copies of the class differ. */
const discordCode = (error: unknown): number | undefined =>
  typeof error === 'object' && error !== null && 'rawError' in error && typeof (error as { code?: unknown }).code === 'number'
    ? (error as unknown as { code: number }).code
    : undefined;

function describeError(error: unknown, blocked?: { channelId: string; missing: bigint[] } | null): string {
  const code = discordCode(error);
  if (blocked?.missing.length) return `Discord error ${code}: the bot lacks ${blocked.missing.map(permissionName).join(', ')} in <#${blocked.channelId}>`.slice(0, 500);
  if (code !== undefined) {
    const message = (error as Error).message;
    const hint =
      code === 10003
        ? `the channel no longer exists; choose another with ${cmd('digest schedule')} (the channel option)`
        : code === 50001 || code === 50013
          ? 'the bot lacks permission to post there (View Channel, Send Messages, Embed Links, Attach Files)'
          : message;
    return `Discord error ${code}: ${hint}`.slice(0, 500);
  }
  return String((error as Error)?.message ?? error).slice(0, 500);
}
