/**
 * The scripted session the preview records: an admin sets up a cohort (group, digest, plan, reading session),
 * members browse resources, look up and explain jargon, draw and claim a problem, check progress and the plan,
 * quiz themselves, the weekly digest goes out with its chart, the admin runs the doctor, and someone mistypes.
 * Times are fixed (Monday 2 March 2026, London) and Math.random is seeded by run.ts, so every run is the same.
 */
import { ADMIN, ALICE, BOB, autocomplete, button, channel, channelMessage, chatInput, int, messageCommand, messageFrom, select, str, sub, user, type Actor } from '../../test/harness/interactions.ts';
import { BOT_ROLE_ID } from '../../test/harness/loopback-permissions.ts';
import type { TestBot } from '../../test/harness/bot.ts';
import type { Recorder } from './recorder.ts';

export const GUILD = '100000000000000001';
export const GENERAL = '200000000000000001';
export const COHORT = '200000000000000002';
export const READING_ROOM = '200000000000000003';
export const ROLE = '400000000000000002';

export const START = Date.parse('2026-03-02T12:00:00Z');
const at = (iso: string) => Date.parse(iso);

export const GUILDS = [
  {
    id: GUILD,
    name: 'Study Server',
    channels: [
      { id: GENERAL, name: 'general' },
      { id: COHORT, name: 'cohort' },
      { id: READING_ROOM, name: 'Reading room', type: 2 },
    ],
  },
];

export const PEOPLE: Actor[] = [ALICE, BOB, ADMIN];

const here = (who: Actor, channelId = GENERAL) => ({ user: who, channelId });
const components = (data: any): any[] => (data?.components ?? []).flatMap((row: any) => row.components ?? []);
const findComponent = (data: any, test: (c: any) => boolean, what: string) => {
  const found = components(data).find(test);
  if (!found) throw new Error(`preview session: no ${what} on the message (components: ${components(data).map((c) => c.label ?? c.custom_id).join(', ')})`);
  return found;
};

/** The server as a careful admin set it up: a cohort role below the bot's role, so the bot can hand it out. */
export function prepareServer(t: TestBot): void {
  t.discord.permissions.setRole(GUILD, { ...t.discord.permissions.role(GUILD, BOT_ROLE_ID)!, position: 2 });
  t.discord.permissions.setRole(GUILD, { id: ROLE, name: 'Autumn cohort', permissions: '0', position: 1 });
}

export async function runSession(rec: Recorder, clock: { set(ms: number): void }): Promise<void> {
  const I = (slug: string, caption: string, payload: any, from?: any) => rec.interact(slug, caption, payload, from ? { from } : {});

  // --- The admin sets up a cohort --------------------------------------------------------------------------
  await I('studygroup-create', 'admin creates the cohort', chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', COHORT), { name: 'role', type: 8, value: ROLE }])], here(ADMIN)));
  await I('digest-schedule', 'admin schedules the weekly digest', chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/London'), str('group', 'autumn-cohort')])], here(ADMIN)));
  await I('studygroup-plan', 'admin starts the ARENA chapter 1 plan', chatInput('studygroup', [sub('plan', [str('group', 'autumn-cohort'), str('plan', 'arena-ch1')])], here(ADMIN)));
  await I('session-settings', 'admin sets the reading sessions’ time zone', chatInput('session', [sub('settings', [str('timezone', 'Europe/London')])], here(ADMIN)));
  await I('session-schedule', 'admin schedules a reading session', chatInput('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', 'next tuesday 18:00'), str('location', `<#${READING_ROOM}>`), int('duration', 90)])], here(ADMIN)));
  for (const who of [ALICE, BOB]) await rec.interact('join', `${who.username} joins the cohort`, chatInput('studygroup', [sub('join', [str('name', 'autumn-cohort')])], here(who)));

  // --- A member finds their way around ---------------------------------------------------------------------
  await I('help', 'alice runs /help', chatInput('help', [], here(ALICE)));
  await I('resources', 'alice browses /resources', chatInput('resources', [], here(ALICE)));
  const list = await I('resources-tutorials', 'alice filters /resources to tutorials', chatInput('resources', [str('kind', 'tutorial')], here(ALICE)));
  // Open a resource from the list's menu: From Scratch when it is on the page, else the first one.
  const menu = findComponent(list, (c) => c.type === 3, 'resource menu');
  const option = menu.options.find((o: any) => String(o.value).includes('arena-1-1')) ?? menu.options[0];
  const detail = await I('resource-detail', 'alice opens a resource from the menu', select(menu.custom_id, [option.value], messageFrom(list, { channelId: GENERAL }), here(ALICE)), list);
  const done = components(detail).find((c) => typeof c.label === 'string' && /\bDone\b/.test(c.label));
  if (done) await I('resource-done', 'alice presses Done', button(done.custom_id, messageFrom(detail), here(ALICE)), detail);
  await I('progress-mark', 'alice marks a tutorial as reading', chatInput('progress', [sub('mark', [str('resource', 'arena-1-2-intro-mech-interp'), str('status', 'reading'), str('note', 'Logit lens finally clicked')])], here(ALICE)));

  // --- Jargon ----------------------------------------------------------------------------------------------
  await I('glossary-autocomplete', 'alice types "indcution hed" into /glossary lookup', autocomplete('glossary', [sub('lookup', [str('term', 'indcution hed', true)])], here(ALICE)));
  const term = await I('glossary-lookup', 'alice looks up "induction head"', chatInput('glossary', [sub('lookup', [str('term', 'induction head')])], here(ALICE)));
  const related = components(term).find((c) => c.type === 3);
  if (related?.options?.[0]) await I('glossary-related', 'bob opens a related term from the menu', select(related.custom_id, [related.options[0].value], messageFrom(term), here(BOB)), term);
  await I('glossary-explain', 'bob runs /glossary explain on a sentence', chatInput('glossary', [sub('explain', [str('text', 'Does the OV circuit of an induction head copy the previous token, or is that the QK circuit?')])], here(BOB)));
  const question = channelMessage({ content: 'Can someone explain why the S-inhibition heads K-compose with the duplicate token heads? Is it like an induction head?' }, BOB, { channelId: GENERAL });
  await I('explain-jargon', 'alice uses Explain jargon on bob’s message', messageCommand('Explain jargon', question, here(ALICE)));

  // --- Open problems ---------------------------------------------------------------------------------------
  await I('problem-random', 'bob draws /problem random', chatInput('problem', [sub('random', [str('set', 'concrete-open-problems')])], here(BOB)));
  const card = await I('problem-show', 'alice opens /problem show 1.10', chatInput('problem', [sub('show', [str('id', '1.10')])], here(ALICE)));
  const claim = components(card).find((c) => typeof c.custom_id === 'string' && c.custom_id.startsWith('problem:claim:'));
  if (claim) await I('problem-claim', 'alice presses Claim', button(claim.custom_id, messageFrom(card), here(ALICE)), card);
  await I('problem-claim-command', 'bob claims it too with /problem claim', chatInput('problem', [sub('claim', [str('id', '1.10'), str('intent', 'working'), str('note', 'starting with the 2-layer model')])], here(BOB)));

  // --- Progress and the plan, a few days later -------------------------------------------------------------
  clock.set(at('2026-03-05T17:30:00Z'));
  await I('bob-marks', 'bob finishes a guide', chatInput('progress', [sub('mark', [str('resource', 'zoom-in'), str('status', 'done')])], here(BOB)));
  await I('progress-show', 'alice runs /progress show', chatInput('progress', [sub('show')], here(ALICE)));
  await I('progress-show-other', 'alice looks at bob’s progress', chatInput('progress', [sub('show', [user('member', BOB.id)])], here(ALICE)));
  const next = await I('progress-next', 'alice asks /progress next', chatInput('progress', [sub('next')], here(ALICE)));
  void next;
  await I('plan-status', 'alice checks /plan status', chatInput('plan', [sub('status')], here(ALICE)));
  await I('session-list', 'bob runs /session list', chatInput('session', [sub('list')], here(BOB)));

  // --- Flashcards ------------------------------------------------------------------------------------------
  const quiz = await I('glossary-quiz', 'alice starts /glossary quiz', chatInput('glossary', [sub('quiz')], here(ALICE)));
  const pick = components(quiz).find((c) => typeof c.custom_id === 'string' && c.custom_id.startsWith('glossary:cardpick:'));
  if (pick) await I('glossary-quiz-answer', 'alice answers the quiz', button(pick.custom_id, messageFrom(quiz), here(ALICE)), quiz);
  await I('glossary-remind', 'alice turns on daily flashcard reminders', chatInput('glossary', [sub('remind', [str('state', 'on'), int('hour', 9)])], here(ALICE)));
  await rec.tick('flashcard-dm', 'the next morning alice gets her reminder DM', at('2026-03-06T09:00:30Z'));

  // --- The weekly digest goes out on Monday at 09:00 London ------------------------------------------------
  await rec.tick('digest-post', 'the weekly digest is posted in #cohort', at('2026-03-09T09:00:20Z'));

  clock.set(at('2026-03-09T09:12:00Z'));
  // --- Admin checks, and mistakes --------------------------------------------------------------------------
  await I('admin-doctor', 'admin runs /admin doctor', chatInput('admin', [sub('doctor')], here(ADMIN)));
  await I('error-unknown-term', 'bob looks up a term that does not exist', chatInput('glossary', [sub('lookup', [str('term', 'quantum blockchain')])], here(BOB)));
  await I('error-bad-resource', 'bob marks a resource that does not exist', chatInput('progress', [sub('mark', [str('resource', 'no such paper'), str('status', 'done')])], here(BOB)));
  await I('error-not-admin', 'bob tries an admin command', chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])], here(BOB)));
}
