/** Everything a handler may use, passed explicitly so tests can build the same graph with their own parts. */
import type Keyv from 'keyv';
import type { Clock } from './clock.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry/load.ts';
import type { Locks } from './store/locks.ts';
import { RecordCache } from './store/record-cache.ts';
import type { OpenedStore } from './store/open-store.ts';
import { ClaimsRepo } from './store/repos/claims.ts';
import { JobHealthRepo } from './store/repos/job-health.ts';
import { DepartedGuildsRepo } from './store/repos/departed-guilds.ts';
import { FlashcardsRepo } from './store/repos/flashcards.ts';
import { GuildSettingsRepo } from './store/repos/guild-settings.ts';
import { ProgressRepo } from './store/repos/progress.ts';
import { StudyGroupsRepo } from './store/repos/study-groups.ts';
import { PlansRepo } from './store/repos/plans.ts';
import { SessionsRepo } from './store/repos/sessions.ts';
import type { CommandInfo } from './discord/command-data.ts';
import { RecentAnswers } from './domain/recent-answers.ts';
import { OverlaysRepo } from './store/repos/overlays.ts';
import { SuggestionsRepo } from './store/repos/suggestions.ts';
import { RegistryViews } from './curate/registry-views.ts';
import { erasureFor, type Erasure } from './store/erasure.ts';

export interface Repositories {
  readonly progress: ProgressRepo;
  readonly claims: ClaimsRepo;
  readonly guildSettings: GuildSettingsRepo;
  readonly studyGroups: StudyGroupsRepo;
  readonly departedGuilds: DepartedGuildsRepo;
  readonly jobHealth: JobHealthRepo;
  readonly plans: PlansRepo;
  readonly sessions: SessionsRepo;
  readonly flashcards: FlashcardsRepo;
  readonly overlays: OverlaysRepo;
  readonly suggestions: SuggestionsRepo;
  /** Run after deleting a member's or a server's data, so the deleted values leave the store's files too. */
  readonly erasure: Erasure;
}

export interface Services {
  /** The registry as the current server sees it: the router scopes it per interaction (RegistryViews). */
  readonly registry: Registry;
  /** Per-server registry views: the shipped registry plus each server's overlay (src/curate/registry-views.ts). */
  readonly registryViews: RegistryViews;
  readonly repos: Repositories;
  readonly locks: Locks;
  readonly clock: Clock;
  readonly log: Logger;
  /** The loaded command modules, for /help. */
  readonly commands: readonly CommandInfo[];
  /** Public answers given in the last few seconds, per channel (the /glossary cooldown). */
  readonly recentAnswers: RecentAnswers;
}

export function createRepositories(keyv: Keyv, locks: Locks, cache?: RecordCache): Repositories {
  return {
    progress: new ProgressRepo(keyv, locks, cache),
    claims: new ClaimsRepo(keyv, locks, cache),
    guildSettings: new GuildSettingsRepo(keyv, locks, cache),
    studyGroups: new StudyGroupsRepo(keyv, locks, cache),
    departedGuilds: new DepartedGuildsRepo(keyv, locks, cache),
    jobHealth: new JobHealthRepo(keyv, locks, cache),
    plans: new PlansRepo(keyv, locks, cache),
    sessions: new SessionsRepo(keyv, locks, cache),
    flashcards: new FlashcardsRepo(keyv, locks, cache),
    overlays: new OverlaysRepo(keyv, locks, cache),
    suggestions: new SuggestionsRepo(keyv, locks, cache),
    erasure: erasureFor(keyv),
  };
}

/** The repositories as production builds them for an opened store (with the record cache when it may be used). */
export function repositoriesFor(store: OpenedStore): Repositories {
  return createRepositories(store.keyv, store.locks, store.exclusive ? new RecordCache() : undefined);
}

export function createServices(parts: {
  registry: Registry;
  store: OpenedStore;
  clock: Clock;
  log: Logger;
  commands: readonly CommandInfo[];
}): Services {
  const locks = parts.store.locks;
  const repos = repositoriesFor(parts.store);
  // Stored claims follow published renumberings once (data/problem-renames.json; see ClaimsRepo.useRenames).
  repos.claims.useRenames(parts.registry.problemRenames, () => parts.clock.now());
  return {
    registry: parts.registry,
    registryViews: new RegistryViews(parts.registry, repos.overlays, parts.log),
    repos,
    locks,
    clock: parts.clock,
    log: parts.log,
    commands: parts.commands,
    recentAnswers: new RecentAnswers(),
  };
}
