/**
 * Each server's registry view (shipped + its overlay − what it hides), cached per guild and keyed by the overlay's
 * revision. Every interaction reads only the tiny revision record (a memory hit with the record cache); the view,
 * and the search indexes hung off it (glossary, resources, problems, jargon: each WeakMap-cached per registry
 * object), are rebuilt once after the guild's entries change, never per interaction. A server without an overlay
 * gets the shipped registry itself, so it pays nothing.
 */
import type { Logger } from '../log.ts';
import type { Registry } from '../registry/load.ts';
import { buildView } from '../registry/view.ts';
import type { OverlaysRepo } from '../store/repos/overlays.ts';

/** Views kept at most; the least recently used is dropped (and rebuilt on its next use). */
const MAX_VIEWS = 200;

export class RegistryViews {
  readonly #views = new Map<string, { rev: number; registry: Registry }>();
  readonly #building = new Map<string, Promise<Registry>>();

  constructor(
    readonly shipped: Registry,
    private readonly overlays: OverlaysRepo,
    private readonly log?: Logger,
  ) {}

  /** The view for a guild; the shipped registry outside a guild or for a guild without an overlay. */
  async forGuild(guildId: string | null | undefined): Promise<Registry> {
    if (!guildId) return this.shipped;
    const { rev } = await this.overlays.getMeta(guildId);
    if (rev === 0) return this.shipped;
    const cached = this.#views.get(guildId);
    if (cached && cached.rev === rev) {
      // Refresh its place in the LRU order.
      this.#views.delete(guildId);
      this.#views.set(guildId, cached);
      return cached.registry;
    }
    const key = `${guildId}:${rev}`;
    let building = this.#building.get(key);
    if (!building) {
      building = this.#build(guildId, rev).finally(() => this.#building.delete(key));
      this.#building.set(key, building);
    }
    return building;
  }

  /** Drops a guild's cached view (after its data was purged). */
  forget(guildId: string): void {
    this.#views.delete(guildId);
  }

  async #build(guildId: string, rev: number): Promise<Registry> {
    const overlay = await this.overlays.get(guildId);
    const { registry, dropped } = buildView(this.shipped, overlay);
    if (dropped.length > 0) this.log?.warn({ guildId, dropped }, 'server entries no longer pass the registry checks and are left out');
    this.#views.delete(guildId);
    this.#views.set(guildId, { rev, registry });
    while (this.#views.size > MAX_VIEWS) this.#views.delete(this.#views.keys().next().value as string);
    return registry;
  }
}
