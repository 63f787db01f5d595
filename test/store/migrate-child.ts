/**
 * A start-up as the bot does it, reduced to the store: open it, run the migrations, report. Run as a child process
 * by claims-migration-kill.test.ts and departed-migration-kill.test.ts, with INDUCTION_MIGRATION_KILL_AFTER_WRITES
 * to die part-way.
 */
import { runMigrations, storeMigrations } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';
import { DepartedGuildsRepo } from '../../src/store/repos/departed-guilds.ts';

const store = await openStore(process.argv[2]!, process.argv[3] ? { namespace: process.argv[3] } : {});
const repos = { claims: new ClaimsRepo(store.keyv, store.locks), departedGuilds: new DepartedGuildsRepo(store.keyv, store.locks) };
const ran = await runMigrations(store.keyv, store.locks, storeMigrations(store.keyv, repos));
await store.close();
process.stdout.write(JSON.stringify({ ran }));
