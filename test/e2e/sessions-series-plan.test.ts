/**
 * A plan-driven weekly series through the real bot and the loopback Discord: each occurrence takes its reading
 * from the group's study plan for the week it falls in, is created a week ahead, and keeps 18:00 London time
 * across the March DST change (GMT → BST on Sunday 29 March 2026).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, channel, chatInput, int, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const COHORT = '200000000000000002';
const at = (iso: string) => new Date(iso).getTime();

describe('a weekly series that follows the group’s plan', () => {
  let t: TestBot;
  const tickAt = async (iso: string) => {
    t.clock.set(at(iso));
    await t.bot.scheduler.tick();
  };
  const run = async (options: any[]) => {
    const payload = chatInput('session', options, { user: ADMIN });
    const first = await t.send(payload);
    if (first.body.type === 4) return first.body.data.content as string;
    return (await t.waitForEdit(payload)).body.content as string;
  };
  const occurrences = async () =>
    (await t.bot.services.repos.sessions.all(GUILD)).sessions
      .filter((s) => s.seriesId !== null)
      .sort((a, b) => a.startsAt - b.startsAt)
      .map((s) => [s.seriesIndex, s.resourceId, new Date(s.startsAt).toISOString()]);
  const eventStarts = () =>
    t.discord.requests.filter((r) => r.method === 'POST' && /\/guilds\/\d+\/scheduled-events$/.test(r.path)).map((r) => r.body.scheduled_start_time as string);

  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-18T12:00:00Z'), // a Wednesday
      guilds: [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }, { id: COHORT, name: 'cohort' }] }],
    });
    const admin = (name: string, options: any[]) => t.send(chatInput(name, options, { user: ADMIN }));
    expect((await admin('studygroup', [sub('create', [str('name', 'Cohort'), channel('channel', COHORT)])])).body.data.content).toMatch(/^Created/);
    expect((await admin('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/London'), str('group', 'cohort')])])).body.data.content).toContain('Europe/London');
    // ARENA chapter 1 from Monday 16 March: week 2 is 23–29 March, week 3 from 30 March, week 4 from 6 April.
    const adopted = await admin('studygroup', [sub('plan', [str('group', 'cohort'), str('plan', 'arena-ch1'), str('start', '2026-03-16')])]);
    expect(adopted.body.data.content).toMatch(/now follows \*\*ARENA Chapter 1/);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('creates the first occurrence at once, with the reading of the plan week it falls in', async () => {
    const answer = await run([sub('series', [str('when', 'next tuesday 18:00')])]);
    expect(answer).toMatch(/^Started a weekly series for \*\*Cohort\*\*: every week at 18:00 Europe\/London, from <t:1774375200:F>; each week’s reading comes from the group’s plan/);
    expect(answer).toContain('The first is [announced]');
    expect(await occurrences()).toEqual([[0, 'arena-1-2-intro-mech-interp', '2026-03-24T18:00:00.000Z']]);
    // A plan-driven series has no queue to add to.
    expect(await run([sub('series', [str('action', 'add'), str('resource', 'zoom-in')])])).toMatch(/takes its readings from the group’s plan/);
  });

  it('creates each later occurrence a week ahead, from the next plan week, at 18:00 London time across DST', async () => {
    // A week before the second occurrence (Tue 31 March 18:00 BST = 17:00 UTC) minus a minute: not yet.
    await tickAt('2026-03-24T16:59:00Z');
    expect(await occurrences()).toHaveLength(1);
    await tickAt('2026-03-24T17:00:30Z');
    expect(await occurrences()).toEqual([
      [0, 'arena-1-2-intro-mech-interp', '2026-03-24T18:00:00.000Z'],
      [1, 'arena-1-3-1-linear-probes', '2026-03-31T17:00:00.000Z'],
    ]);
    // Ticks in between create nothing twice.
    await tickAt('2026-03-27T12:00:00Z');
    await tickAt('2026-03-31T12:00:00Z');
    expect(await occurrences()).toHaveLength(2);
    await tickAt('2026-03-31T17:01:00Z');
    expect(await occurrences()).toEqual([
      [0, 'arena-1-2-intro-mech-interp', '2026-03-24T18:00:00.000Z'],
      [1, 'arena-1-3-1-linear-probes', '2026-03-31T17:00:00.000Z'],
      [2, 'arena-1-3-3-saes', '2026-04-07T17:00:00.000Z'],
    ]);
    // The Discord events carry the same instants.
    expect(eventStarts()).toEqual(['2026-03-24T18:00:00.000Z', '2026-03-31T17:00:00.000Z', '2026-04-07T17:00:00.000Z']);
    const series = (await t.bot.services.repos.sessions.all(GUILD)).series[0]!;
    expect(series).toMatchObject({ source: 'plan', next: 3, claim: null, lastNote: null, active: true });
  });
});
