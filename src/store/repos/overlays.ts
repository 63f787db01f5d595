/**
 * Each server's overlay on the registry (src/domain/overlay.ts): one bounded record per guild holding its entries
 * and hidden ids, and a tiny revision record read on every interaction, so a server's view is rebuilt only when
 * its entries change (src/curate/registry-views.ts), even with several processes sharing the store. Writes go
 * through one locked read-modify-write on the guild's overlay key; the revision is bumped after the content.
 */
import { z } from 'zod';
import type Keyv from 'keyv';
import { EMPTY_OVERLAY, Overlay } from '../../domain/overlay.ts';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';

export const OverlayMeta = z.object({
  /** Bumped on every change of the overlay; 0 (or no record) means the server has no overlay. */
  rev: z.number().int().nonnegative(),
  /** Members with this role may curate, as well as members with Manage Server. */
  curatorRoleId: z.string().regex(/^\d{1,20}$/).nullable().default(null),
});
export type OverlayMeta = z.infer<typeof OverlayMeta>;

/** An import waiting for its Confirm button: the validated entries, under a token the button carries. */
export const PendingImport = z.object({ token: z.string().regex(/^[a-f0-9]{8,32}$/), userId: z.string(), createdAt: z.number().int(), overlay: Overlay });
export type PendingImport = z.infer<typeof PendingImport>;
/** A pending import expires after this long. */
export const PENDING_IMPORT_MS = 15 * 60_000;

const NO_META: OverlayMeta = { rev: 0, curatorRoleId: null };

export class OverlaysRepo {
  readonly collection: Collection<Overlay>;
  readonly meta: Collection<OverlayMeta>;
  readonly pending: Collection<PendingImport>;

  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'overlay', schema: Overlay, version: 1, cache });
    this.meta = new Collection(keyv, locks, { name: 'overlay-meta', schema: OverlayMeta, version: 1, cache });
    this.pending = new Collection(keyv, locks, { name: 'overlay-import', schema: PendingImport, version: 1, cache });
  }

  async getMeta(guildId: string): Promise<OverlayMeta> {
    return (await this.meta.get(guildId)) ?? NO_META;
  }

  async get(guildId: string): Promise<Overlay> {
    return (await this.collection.get(guildId)) ?? EMPTY_OVERLAY;
  }

  /**
   * Changes the overlay under the guild's overlay lock. `change` sees the current overlay and returns the next
   * one (or none, to leave it) with a result for the caller; validation belongs inside `change`, so two curators
   * can never both pass checks against a state that one of them then overwrites.
   */
  async mutate<R>(guildId: string, change: (current: Overlay) => { next?: Overlay; result: R }): Promise<R> {
    let out!: { next?: Overlay; result: R };
    await this.collection.update([guildId], (current) => {
      out = change(current ?? EMPTY_OVERLAY);
      return out.next ?? current;
    });
    // Never a revision used before, even after a purge restarts the record: another process may still cache it.
    if (out.next) await this.meta.update([guildId], (m) => ({ ...(m ?? NO_META), rev: Math.max((m?.rev ?? 0) + 1, Date.now()) }));
    return out.result;
  }

  async setCuratorRole(guildId: string, roleId: string | null): Promise<void> {
    await this.meta.update([guildId], (m) => ({ ...(m ?? NO_META), curatorRoleId: roleId }));
  }

  async purgeGuild(guildId: string): Promise<void> {
    await this.collection.delete(guildId);
    await this.meta.delete(guildId);
    await this.pending.delete(guildId);
  }

  /** Keeps one pending import per guild (the newest dry run replaces an older one). */
  async stageImport(guildId: string, pending: PendingImport): Promise<void> {
    await this.pending.update([guildId], () => pending);
  }

  /** Takes the pending import with this token if it is still fresh; it can be confirmed once. */
  async takeImport(guildId: string, token: string, now: number): Promise<PendingImport | undefined> {
    let taken: PendingImport | undefined;
    await this.pending.update([guildId], (current) => {
      if (!current || current.token !== token) return current;
      if (now - current.createdAt <= PENDING_IMPORT_MS) taken = current;
      return undefined;
    });
    return taken;
  }
}
