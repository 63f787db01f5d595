/**
 * A start-up as the bot does it, reduced to the store: open it, run the migrations, report. Run as a child process
 * by claims-migration-kill.test.ts, with INDUCTION_MIGRATION_KILL_AFTER_WRITES to die part-way.
 */
import { runMigrations, storeMigrations } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ClaimsRepo } from '../../src/store/repos/claims.ts';

const store = await openStore(process.argv[2]!);
const claims = new ClaimsRepo(store.keyv, store.locks);
const ran = await runMigrations(store.keyv, store.locks, storeMigrations(store.keyv, { claims }));
await store.close();
process.stdout.write(JSON.stringify({ ran }));
