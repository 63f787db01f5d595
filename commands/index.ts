/**
 * Every top-level slash command, one module each. A static list (rather than a folder scan) keeps startup fast,
 * works the same from src and dist, and lets the compiler check every module.
 */
import type { Command } from '../src/discord/command.ts';
import { assertValidCommands } from '../src/discord/validate-commands.ts';
import admin from './admin.ts';
import digest from './digest.ts';
import explainJargon from './explain-jargon.ts';
import glossary from './glossary.ts';
import help from './help.ts';
import plan from './plan.ts';
import privacy from './privacy.ts';
import problem from './problem.ts';
import progress from './progress.ts';
import resources from './resources.ts';
import studygroup from './studygroup.ts';
import session from './session.ts';
import curate from './curate.ts';
import suggest from './suggest.ts';

export const commands: readonly Command<any>[] = assertValidCommands([help, resources, progress, glossary, problem, studygroup, plan, session, digest, privacy, admin, explainJargon, curate, suggest]);
