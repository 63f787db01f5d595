/** `npm run doctor`: checks .env, the token, the registered commands and the store; prints the invite URL. */
import { commands } from '../../commands/index.ts';
import { loadDotEnv } from '../config.ts';
import { formatLine, runSetupDoctor } from './setup-doctor.ts';

loadDotEnv();
const result = await runSetupDoctor({ env: process.env, commands });
for (const line of result.lines) process.stdout.write(`${formatLine(line)}\n`);
process.stdout.write(result.ok ? 'All checks passed.\n' : 'Fix the ✗ lines above, then run npm run doctor again.\n');
process.exit(result.ok ? 0 : 1);
