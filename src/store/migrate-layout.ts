/**
 * Start-up migrations of record layouts that changed (issue #19): each is idempotent and safe to interrupt, and
 * costs one read when there is nothing to do. Per-guild records that cannot be found without a scan (progress done
 * counts) migrate the first time the guild is touched instead (ProgressRepo).
 */
import type { Logger } from '../log.ts';
import type { DepartedGuildsRepo } from './repos/departed-guilds.ts';

export async function migrateLayout(repos: { departedGuilds: DepartedGuildsRepo }, log: Logger): Promise<void> {
  const departed = await repos.departedGuilds.migrate();
  if (departed > 0) log.info({ guilds: departed }, 'migrated departed guilds to one record each');
}
