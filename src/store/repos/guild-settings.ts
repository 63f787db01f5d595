/** Per-guild settings that admins change with commands. */
import { z } from 'zod';
import { Collection } from '../collection.ts';
import type { Locks } from '../locks.ts';
import type { RecordCache } from '../record-cache.ts';
import type Keyv from 'keyv';

export { GuildSettings, DEFAULT_GUILD_SETTINGS } from '../../domain/guild-settings.ts';
import { DEFAULT_GUILD_SETTINGS, GuildSettings } from '../../domain/guild-settings.ts';

export class GuildSettingsRepo {
  readonly collection: Collection<GuildSettings>;
  constructor(keyv: Keyv, locks: Locks, cache?: RecordCache) {
    this.collection = new Collection(keyv, locks, { name: 'guild-settings', schema: GuildSettings, version: 1, cache });
  }

  async get(guildId: string): Promise<GuildSettings> {
    return (await this.collection.get(guildId)) ?? DEFAULT_GUILD_SETTINGS;
  }

  async update(guildId: string, patch: Partial<GuildSettings>): Promise<GuildSettings> {
    return this.collection.update([guildId], (current) => ({ ...(current ?? DEFAULT_GUILD_SETTINGS), ...patch }));
  }
}
