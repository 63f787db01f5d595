/**
 * Reading sessions through the real bot and the loopback Discord, on a manual clock: scheduling across the March
 * DST change, the event, announcement and thread, buttons, reminders exactly once (crash, downtime), edits and
 * cancels made in Discord's UI, /session edit and cancel, series, permission errors and bad input.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, ALICE, BOB, autocomplete, bool, button, chatInput, channel, int, str, sub, type Actor } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import type { Session } from '../../src/domain/sessions.ts';
import { buildDigest } from '../../src/digest/builder.ts';
import { StoreUnavailableError } from '../../src/store/errors.ts';
import { STORE_UNAVAILABLE_MESSAGE } from '../../src/discord/router.ts';

const GUILD = '100000000000000001';
const GENERAL = '200000000000000001';
const COHORT = '200000000000000002';
const VOICE = '200000000000000005';
const STAGE = '200000000000000006';
const TEXT_ONLY = '200000000000000007';
const ROLE = '400000000000000001';
const CAROL = '300000000000000021';
const at = (iso: string) => new Date(iso).getTime();
const HOUR = 3_600_000;

describe('reading sessions through the loopback Discord', () => {
  let t: TestBot;
  const sessions = async () => (await t.bot.services.repos.sessions.all(GUILD)).sessions;
  const session = async (id: string) => (await sessions()).find((s) => s.id === id)!;
  const messages = (channelId: string) => t.discord.channelMessages.get(channelId) ?? [];
  const posts = (channelId: string) => t.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
  const tickAt = async (ms: number) => {
    t.clock.set(ms);
    await t.bot.scheduler.tick();
  };
  /** Runs a deferred /session command and returns the final (edited) private answer. */
  const run = async (options: any[], user: Actor = ADMIN) => {
    const payload = chatInput('session', options, { user });
    const first = await t.send(payload);
    if (first.body.type === 4) return first.body.data.content as string;
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    return (await t.waitForEdit(payload)).body.content as string;
  };
  const press = (s: Session, code: string, user: Actor) => {
    const message = messages(s.channelId).find((m) => m.id === s.messageId);
    return t.send(button(`session:rsvp:${s.id}:${code}`, message, { user, channelId: s.channelId }));
  };

  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-26T12:00:00Z'), // Thursday; the clocks go forward on Sunday 29 March
      guilds: [
        {
          id: GUILD,
          name: 'Study Server',
          channels: [
            { id: GENERAL, name: 'general' },
            { id: COHORT, name: 'cohort' },
            { id: VOICE, name: 'Reading room', type: 2 },
            { id: STAGE, name: 'Stage', type: 13 },
            { id: TEXT_ONLY, name: 'chat' },
          ],
        },
      ],
    });
    await t.send(chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', COHORT), { name: 'role', type: 8, value: ROLE }])], { user: ADMIN }));
    const settings = await t.send(chatInput('session', [sub('settings', [str('timezone', 'Europe/London')])], { user: ADMIN }));
    expect(settings.body.data.content).toMatch(/time zone Europe\/London; reminders 1 day and 1 hour before; no pings/);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('shows the parsed time back in `when` autocomplete, in the group’s zone across the DST change', async () => {
    const ac = await t.send(autocomplete('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', 'next tuesday 18:00', true)])]));
    expect(ac.body.data.choices).toEqual([{ name: 'Tue 31 Mar 2026, 18:00 Europe/London, in 5 days', value: '2026-03-31T17:00:00.000Z' }]);
    const ambiguous = await t.send(autocomplete('session', [sub('schedule', [str('when', 'tuesday 6', true)])]));
    expect(ambiguous.body.data.choices.map((c: any) => c.value)).toEqual(['2026-03-31T05:00:00.000Z', '2026-03-31T17:00:00.000Z']);
    const resources = await t.send(autocomplete('session', [sub('schedule', [str('resource', 'zoom', true)])]));
    expect(resources.body.data.choices[0]).toEqual({ name: 'Zoom In: An Introduction to Circuits', value: 'zoom-in' });
    const places = await t.send(autocomplete('session', [sub('schedule', [str('location', '', true)])]));
    expect(places.body.data.choices).toEqual([
      { name: '🔊 Reading room (voice channel)', value: `<#${VOICE}>` },
      { name: '🎙️ Stage (stage channel)', value: `<#${STAGE}>` },
    ]);
  });

  it('refuses bad input privately and creates nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['zoom-in', 'yesterday 18:00'], /in the past/],
      [['zoom-in', '2028-05-01 18:00'], /more than a year ahead/],
      [['zoom-in', 'whenever suits'], /could not read a time/],
      [['zoom-in', 'tuesday 6'], /morning or evening/],
      [['zoom-in', '29 march 01:30'], /clocks skip it/],
      [['zoom-in', 'next tuesday'], /no time of day/],
      [['no-such-paper', 'next tuesday 18:00'], /No resource "no-such-paper"/],
    ];
    for (const [[resource, when], message] of cases) {
      expect(await run([sub('schedule', [str('resource', resource!), str('when', when!)])])).toMatch(message);
    }
    expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', 'next tuesday 18:00'), str('location', `<#${TEXT_ONLY}>`)])])).toMatch(/not a voice or stage channel/);
    expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', 'next tuesday 18:00')])], ALICE)).toMatch(/Manage Events/);
    expect(await sessions()).toEqual([]);
    expect(t.discord.events.events.size).toBe(0);
    expect(messages(COHORT)).toEqual([]);
  });

  let first: Session;
  it('schedules "next tuesday 18:00" London time across the March change: event, announcement, thread', async () => {
    const answer = await run([sub('schedule', [str('resource', 'zoom-in'), str('when', 'next tuesday 18:00'), str('location', `<#${VOICE}>`), int('duration', 90)])]);
    expect(answer).toMatch(/^Scheduled \*\*Zoom In: An Introduction to Circuits\*\* for <t:1774976400:F> \(Tue 31 Mar 2026, 18:00 Europe\/London\)/);
    first = (await sessions())[0]!;
    expect(first).toMatchObject({ startsAt: at('2026-03-31T17:00:00Z'), durationMin: 90, location: { kind: 'voice', channelId: VOICE }, groupId: 'autumn-cohort', notes: [] });
    const event = t.discord.events.events.get(first.eventId!)!;
    expect(event).toMatchObject({ entity_type: 2, channel_id: VOICE, scheduled_start_time: '2026-03-31T17:00:00.000Z', scheduled_end_time: '2026-03-31T18:30:00.000Z', name: 'Reading: Zoom In: An Introduction to Circuits' });
    expect(event.description).toContain('https://distill.pub/2020/circuits/zoom-in/');
    expect(event.description).toMatch(/Key terms: /);
    const [announcement] = messages(COHORT);
    expect(announcement.id).toBe(first.messageId);
    expect(announcement.embeds[0].title).toBe('Reading session: Zoom In: An Introduction to Circuits');
    expect(announcement.embeds[0].description).toContain(`https://discord.com/events/${GUILD}/${first.eventId}`);
    expect(announcement.components[0].components.map((c: any) => c.label)).toEqual(['I’ll read it', 'Can’t make it', 'Open the resource']);
    expect(posts(COHORT)[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(t.discord.events.threadsByMessage.get(first.messageId!)).toBe(first.threadId);
    const [opener] = messages(first.threadId!);
    expect(opener.embeds[0].title).toBe('Terms in Zoom In: An Introduction to Circuits');
  });

  it('I’ll read it queues the resource for the presser; Can’t make it is noted; counts update', async () => {
    const read = await press(first, 'r', ALICE);
    expect(read.body.type).toBe(7);
    expect(JSON.stringify(read.body.data.embeds)).toContain('1 member reading it · 0 can’t make it');
    expect((await t.bot.services.repos.progress.get(GUILD, ALICE.id)).entries['zoom-in']!.status).toBe('queued');
    const cant = await press(first, 'x', BOB);
    expect(JSON.stringify(cant.body.data.embeds)).toContain('1 member reading it · 1 can’t make it');
    expect((await t.bot.services.repos.progress.get(GUILD, BOB.id)).entries['zoom-in']).toBeUndefined();
    const early = await press(first, 'd', ALICE);
    expect(early.body.data).toMatchObject({ flags: 64, content: expect.stringMatching(/has not happened yet/) });
    t.discord.events.markInterested(first.eventId!, CAROL);
  });

  it('posts the 24-hour reminder once, naming readers and interested members without pings', async () => {
    const due = first.startsAt - 24 * HOUR;
    await tickAt(due - 60_000);
    expect(messages(first.threadId!)).toHaveLength(1);
    await tickAt(due + 30_000);
    expect(messages(first.threadId!)).toHaveLength(2);
    const reminder = posts(first.threadId!).at(-1)!.body;
    expect(reminder.embeds[0].title).toBe('Reading session in 1 day: Zoom In: An Introduction to Circuits');
    expect(reminder.embeds[0].description).toContain(`**Reading it:** <@${ALICE.id}>`);
    expect(reminder.embeds[0].description).toContain(`**Interested in the event:** <@${CAROL}>`);
    expect(reminder.allowed_mentions).toEqual({ parse: [] });
    expect(reminder.enforce_nonce).toBe(true);
    await tickAt(due + 60_000);
    await t.restart();
    await t.bot.scheduler.tick();
    expect(messages(first.threadId!)).toHaveLength(2);
  });

  it('a crash between claiming and posting the 1-hour reminder still posts it exactly once', async () => {
    const due = first.startsAt - HOUR;
    // A process claimed the reminder at its due time and died before sending it.
    await t.bot.services.repos.sessions.update(GUILD, first.id, (s) => ({ ...s, reminders: s.reminders.map((r) => (r.offsetMin === 60 ? { ...r, state: 'posting', claimedAt: due } : r)) }));
    await t.bot.stop();
    t.clock.set(due + 3 * 60_000);
    await t.restart();
    expect(messages(first.threadId!)).toHaveLength(3);
    expect(posts(first.threadId!).at(-1)!.body.embeds[0].title).toMatch(/^Reading session in 1 hour/);
    // The claim is rolled back as if the crash came right after Discord accepted it: the nonce stops a repeat.
    await t.bot.services.repos.sessions.update(GUILD, first.id, (s) => ({ ...s, reminders: s.reminders.map((r) => (r.offsetMin === 60 ? { ...r, state: 'posting', claimedAt: due } : r)) }));
    await tickAt(due + 6 * 60_000);
    expect(messages(first.threadId!)).toHaveLength(3);
    expect((await session(first.id)).reminders.map((r) => r.state)).toEqual(['posted', 'posted']);
  });

  it('after the session the announcement shows it was held, and I read it marks the resource done', async () => {
    await tickAt(first.startsAt + 91 * 60_000);
    const held = await session(first.id);
    expect(held.heldMarkedAt).not.toBeNull();
    const [announcement] = messages(COHORT);
    expect(announcement.embeds[0].description).toMatch(/Held <t:/);
    expect(announcement.components[0].components.map((c: any) => c.label)).toEqual(['I read it', 'Open the resource']);
    const done = await press(held, 'd', ALICE);
    expect(done.body.type).toBe(7);
    expect((await t.bot.services.repos.progress.get(GUILD, ALICE.id)).entries['zoom-in']!.status).toBe('done');
    const late = await press(held, 'r', BOB);
    expect(late.body.data.content).toMatch(/held already/);
  });

  let second: Session;
  it('downtime across a reminder skips it rather than posting it late', async () => {
    expect(await run([sub('schedule', [str('resource', 'curve-circuits'), str('when', '2026-04-10 18:00'), str('location', 'https://meet.example.org/room')])])).toMatch(/^Scheduled/);
    second = (await sessions()).find((s) => s.resourceId === 'curve-circuits')!;
    expect(t.discord.events.events.get(second.eventId!)).toMatchObject({ entity_type: 3, entity_metadata: { location: 'https://meet.example.org/room' } });
    await tickAt(second.startsAt - 24 * HOUR + 10_000);
    const before = messages(second.threadId!).length;
    await t.bot.stop();
    t.clock.set(second.startsAt - 40 * 60_000); // down from before T−1h until 20 minutes after it
    await t.restart();
    expect(messages(second.threadId!)).toHaveLength(before);
    expect((await session(second.id)).reminders.find((r) => r.offsetMin === 60)).toMatchObject({ state: 'skipped', reason: 'the bot was offline when it was due' });
  });

  let third: Session;
  it('notices a move and a cancel made in Discord’s own event UI, and does not overwrite them', async () => {
    t.clock.set(at('2026-04-12T10:00:00Z'));
    await run([sub('schedule', [str('resource', 'circuits-thread'), str('when', '2026-04-18 18:30')])]);
    third = (await sessions()).find((s) => s.resourceId === 'circuits-thread')!;
    t.discord.events.editInUi(third.eventId!, { startsAt: at('2026-04-19T17:30:00Z'), endsAt: at('2026-04-19T18:30:00Z') });
    await tickAt(at('2026-04-12T10:20:00Z'));
    const moved = await session(third.id);
    expect(moved.startsAt).toBe(at('2026-04-19T17:30:00Z'));
    expect(moved.reminders.every((r) => r.forStart === moved.startsAt && r.state === 'pending')).toBe(true);
    expect(messages(third.threadId!).at(-1).content).toMatch(/moved in Discord’s event page: it now starts <t:1776619800:F>/);
    // An edit of the duration afterwards keeps Discord's new start time.
    const edited = await run([sub('edit', [str('session', third.id), int('duration', 45)])]);
    expect(edited).toBe('Done: the session lasts 45 minutes.');
    const patch = t.discord.requests.filter((r) => r.method === 'PATCH' && r.path === `/guilds/${GUILD}/scheduled-events/${third.eventId}`).at(-1)!;
    expect(patch.body).toEqual({ scheduled_start_time: '2026-04-19T17:30:00.000Z', scheduled_end_time: '2026-04-19T18:15:00.000Z' });
    t.discord.events.cancelInUi(third.eventId!);
    await tickAt(at('2026-04-12T10:40:00Z'));
    expect(await session(third.id)).toMatchObject({ status: 'cancelled', cancelledVia: 'discord' });
    expect(messages(COHORT).find((m) => m.id === third.messageId).components[0].components.map((c: any) => c.label)).toEqual(['Open the resource']);
    expect(await run([sub('cancel', [str('session', third.id)])])).toMatch(/cancelled in Discord’s event page/);
  });

  it('/session edit moves a session and /session cancel removes its Discord event', async () => {
    t.clock.set(at('2026-04-13T09:00:00Z'));
    await run([sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-04-23 19:00'), str('location', `<#${STAGE}>`)])]);
    const s = (await sessions()).find((x) => x.startsAt === at('2026-04-23T18:00:00Z'))!;
    expect(t.discord.events.events.get(s.eventId!)).toMatchObject({ entity_type: 1, channel_id: STAGE });
    const ac = await t.send(autocomplete('session', [sub('cancel', [str('session', '', true)])]));
    expect(ac.body.data.choices.map((c: any) => c.value)).toContain(s.id);
    expect(await run([sub('edit', [str('session', s.id), str('when', '2026-04-24 19:00')])], BOB)).toMatch(/Only whoever scheduled/);
    expect(await run([sub('edit', [str('session', s.id), str('when', '2026-04-24 19:00')])])).toMatch(/^Done: the session now starts <t:1777053600:F>/);
    expect(t.discord.events.events.get(s.eventId!)!.scheduled_start_time).toBe('2026-04-24T18:00:00.000Z');
    expect(await run([sub('cancel', [str('session', s.id), str('reason', 'speaker ill')])])).toMatch(/^Cancelled the session .* and removed its Discord event\./);
    expect(t.discord.events.events.has(s.eventId!)).toBe(false);
    expect(await session(s.id)).toMatchObject({ status: 'cancelled', cancelledVia: 'command' });
    expect(messages(s.threadId!).at(-1).content).toBe(`This session was cancelled by <@${ADMIN.id}>: speaker ill`);
    const list = await t.send(chatInput('session', [sub('list')]));
    expect(list.body.data.flags).toBe(64);
    expect(list.body.data.embeds[0].description).toContain(`\`${s.id}\``);
  });

  it('without Manage Events it still posts the announcement and says why; a refused announcement leaves nothing', async () => {
    t.discord.events.deny('POST', /^\/guilds\/\d+\/scheduled-events$/);
    const answer = await run([sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-04-25 18:00')])]);
    expect(answer).toMatch(/^Scheduled[\s\S]*No Discord event: I need the Manage Events permission/);
    const s = (await sessions()).find((x) => x.startsAt === at('2026-04-25T17:00:00Z'))!;
    expect(s.eventId).toBeNull();
    expect(messages(COHORT).find((m) => m.id === s.messageId).embeds[0].description).toContain('Manage Events');
    t.discord.events.allow();
    // Now the announcement is refused: the event created first is deleted again, nothing is stored.
    const count = (await sessions()).length;
    t.discord.forbiddenChannels.add(COHORT);
    expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-04-26 18:00')])])).toMatch(/I can’t post in <#200000000000000002>.*Nothing was created/);
    t.discord.forbiddenChannels.delete(COHORT);
    expect(await sessions()).toHaveLength(count);
    expect([...t.discord.events.events.values()].some((e) => e.scheduled_start_time === '2026-04-26T17:00:00.000Z')).toBe(false);
    // No thread permission: the session stands and reminders go to the channel.
    t.discord.events.deny('POST', /^\/channels\/\d+\/messages\/\d+\/threads$/);
    expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-04-27 18:00')])])).toMatch(/No thread: I need Create Public Threads/);
    t.discord.events.allow();
    // The record was saved naming the thread-to-be, then corrected: no thread, and the note, on the announcement too.
    const unthreaded = (await sessions()).find((x) => x.startsAt === at('2026-04-27T17:00:00Z'))!;
    expect(unthreaded).toMatchObject({ threadId: null, notes: [expect.stringMatching(/^No thread: I need Create Public Threads/)] });
    expect(messages(COHORT).find((m) => m.id === unthreaded.messageId).embeds[0].description).toContain('Create Public Threads');
    expect(t.discord.channelMessages.has(unthreaded.messageId!)).toBe(false);
  });

  it('a session the store refuses leaves no event, announcement or thread behind', async () => {
    const repo = t.bot.services.repos.sessions;
    const before = { sessions: (await sessions()).length, events: t.discord.events.events.size, announcements: messages(COHORT).length };
    const add = vi.spyOn(repo, 'add').mockRejectedValueOnce(new StoreUnavailableError('the disk is full'));
    try {
      expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-04-28 18:00')])])).toBe(STORE_UNAVAILABLE_MESSAGE);
      expect(add).toHaveBeenCalledTimes(1);
    } finally {
      add.mockRestore();
    }
    expect({ sessions: (await sessions()).length, events: t.discord.events.events.size, announcements: messages(COHORT).length }).toEqual(before);
    // The thread opened alongside the save was deleted again, after its opening message (which goes with it).
    const threadPath = t.discord.requests.findLast((r) => r.method === 'POST' && /\/threads$/.test(r.path))!.path;
    const threadId = /\/messages\/(\d+)\/threads$/.exec(threadPath)![1]!;
    const deleted = t.discord.requests.findIndex((r) => r.method === 'DELETE' && r.path === `/channels/${threadId}`);
    expect(deleted).toBeGreaterThan(-1);
    expect(t.discord.requests.findLastIndex((r) => r.method === 'POST' && r.path === `/channels/${threadId}/messages`)).toBeLessThan(deleted);
  });

  it('pings only the group’s role when the group opts in', async () => {
    t.discord.events.allowedRolePings.add(ROLE);
    await t.send(chatInput('session', [sub('settings', [bool('ping_role', true), str('reminders', '2h')])], { user: ADMIN }));
    await run([sub('schedule', [str('resource', 'curve-circuits'), str('when', '2026-05-02 18:00')])]);
    const s = (await sessions()).find((x) => x.startsAt === at('2026-05-02T17:00:00Z'))!;
    expect(s.reminders.map((r) => r.offsetMin)).toEqual([120]);
    await tickAt(s.startsAt - 2 * HOUR + 5_000);
    const reminder = posts(s.threadId!).at(-1)!.body;
    expect(reminder.content).toBe(`<@&${ROLE}>`);
    expect(reminder.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    await t.send(chatInput('session', [sub('settings', [bool('ping_role', false), str('reminders', '24h, 1h')])], { user: ADMIN }));
  });

  it('runs a weekly series from a queue, each occurrence a week ahead, at the same London time across DST', async () => {
    await tickAt(at('2026-10-15T12:00:00Z')); // the clocks go back on Sunday 25 October
    const answer = await run([sub('series', [str('when', 'next tuesday 18:00'), str('resource', 'zoom-in')])]);
    expect(answer).toMatch(/^Started a weekly series for \*\*Autumn cohort\*\*: every week at 18:00 Europe\/London, from <t:1792515600:F>; readings come from the queue/);
    expect(await run([sub('series', [str('action', 'add'), str('resource', 'curve-circuits')])])).toBe('Queued **Curve Circuits** at position 1.');
    const bySeries = async () => (await sessions()).filter((s) => s.seriesId !== null).sort((a, b) => a.startsAt - b.startsAt);
    expect((await bySeries()).map((s) => [s.resourceId, new Date(s.startsAt).toISOString()])).toEqual([['zoom-in', '2026-10-20T17:00:00.000Z']]);
    await tickAt(at('2026-10-20T16:00:00Z')); // a week and an hour before the second one: not yet
    expect(await bySeries()).toHaveLength(1);
    await tickAt(at('2026-10-20T18:30:00Z'));
    expect((await bySeries()).map((s) => [s.resourceId, new Date(s.startsAt).toISOString()])).toEqual([
      ['zoom-in', '2026-10-20T17:00:00.000Z'],
      ['curve-circuits', '2026-10-27T18:00:00.000Z'],
    ]);
    await tickAt(at('2026-10-27T19:00:00Z'));
    const series = (await t.bot.services.repos.sessions.all(GUILD)).series[0]!;
    expect(series.lastNote).toMatch(/queue is empty/);
    expect(await bySeries()).toHaveLength(2);
    expect(await run([sub('series', [str('action', 'stop')])])).toMatch(/^Stopped the weekly series/);
  });

  it('covers sessions in /privacy export and delete', async () => {
    const payload = chatInput('privacy', [sub('export')]);
    await t.send(payload);
    const exported = t.discord.requests.filter((r) => r.path.includes(payload.token) || r.path.includes(payload.id)).flatMap((r) => r.files);
    const data = JSON.parse(exported[0]!.data.toString());
    expect(data.sessions.some((s: any) => s.resourceId === 'zoom-in' && s.readIt)).toBe(true);
    await t.bot.services.repos.sessions.forgetMember(GUILD, ALICE.id);
    expect((await sessions()).some((s) => s.willRead.includes(ALICE.id) || s.readIt.includes(ALICE.id))).toBe(false);
  });

  it('lists sessions held and coming up in the weekly digest', async () => {
    const group = (await t.bot.services.repos.studyGroups.list(GUILD))[0]!;
    const built = await buildDigest(t.bot.services, GUILD, group, { start: at('2026-03-26T00:00:00Z'), end: at('2026-04-04T00:00:00Z'), late: false, period: '2026-04-04', timezone: 'Europe/London' });
    const section = built.parts.at(-1)!.embeds.find((e) => e.title === 'Reading sessions')!;
    expect(section.description).toMatch(/\*\*Held this week\*\*\n<t:1774976400:f> · \[Zoom In: An Introduction to Circuits\]\(https:\/\/distill\.pub\/2020\/circuits\/zoom-in\/\) · 0 read it/);
    expect(section.description).toMatch(/\*\*Coming up\*\*\n<t:1775840400:f> · \[Curve Circuits\]/);
    expect(built.parts.at(-1)!.embeds.at(-1)!.footer?.text).toMatch(/^Induction weekly digest/);
  });
  it('takes the time `when` autocomplete showed when the same text is sent, and parses afresh once that is stale', async () => {
    t.clock.set(at('2026-11-10T10:00:00Z'));
    const ac = await t.send(autocomplete('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', 'in 2 hours', true)])]));
    expect(ac.body.data.choices[0].value).toBe('2026-11-10T12:00:00.000Z');
    // Sent 30 s later without picking the suggestion: the session starts at the time shown, not 30 s after it.
    t.clock.set(at('2026-11-10T10:00:30Z'));
    expect(await run([sub('schedule', [str('resource', 'zoom-in'), str('when', 'in 2 hours')])])).toMatch(/^Scheduled \*\*Zoom In/);
    expect((await sessions()).some((x) => x.startsAt === at('2026-11-10T12:00:00Z'))).toBe(true);
    // Two minutes after the suggestion it is parsed again, from the current time.
    t.clock.set(at('2026-11-10T10:02:00Z'));
    await run([sub('schedule', [str('resource', 'zoom-in'), str('when', 'in 2 hours')])]);
    expect((await sessions()).some((x) => x.startsAt === at('2026-11-10T12:02:00Z'))).toBe(true);
  });
});
