import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, autocomplete, channel, chatInput, int, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const DIGEST_CHANNEL = '200000000000000002';
const QUIET_CHANNEL = '200000000000000003';
const at = (iso: string) => new Date(iso).getTime();

describe('weekly digests through the loopback Discord', () => {
  let t: TestBot;
  const posts = () => t.discord.channelMessages.get(DIGEST_CHANNEL) ?? [];
  const postRequests = (channelId = DIGEST_CHANNEL) => t.discord.requests.filter((r) => r.kind === 'channel-message' && r.path === `/channels/${channelId}/messages`);
  const tickAt = async (iso: string) => {
    t.clock.set(at(iso));
    await t.bot.scheduler.tick();
  };
  const group = async (id = 'autumn-cohort') => (await t.bot.services.repos.studyGroups.list(GUILD)).find((g) => g.id === id)!;

  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-02T12:00:00Z'),
      guilds: [
        {
          id: GUILD,
          name: 'Study Server',
          channels: [
            { id: '200000000000000001', name: 'general' },
            { id: DIGEST_CHANNEL, name: 'cohort' },
            { id: QUIET_CHANNEL, name: 'quiet' },
          ],
        },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('lets only Manage Server create a group, and members join it', async () => {
    const denied = await t.send(chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', DIGEST_CHANNEL)])]));
    expect(denied.body.data.content).toMatch(/Manage Server/);
    const created = await t.send(chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', DIGEST_CHANNEL)])], { user: ADMIN }));
    expect(created.body.data.content).toMatch(/^Created \*\*Autumn cohort\*\*/);
    const again = await t.send(chatInput('studygroup', [sub('create', [str('name', 'autumn  COHORT'), channel('channel', DIGEST_CHANNEL)])], { user: ADMIN }));
    expect(again.body.data.content).toMatch(/already exists/);
    for (const user of [ALICE, BOB]) {
      const joined = await t.send(chatInput('studygroup', [sub('join', [str('name', 'autumn-cohort')])], { user }));
      expect(joined.body.data.content).toBe('You joined **Autumn cohort**.');
    }
    const twice = await t.send(chatInput('studygroup', [sub('join', [str('name', 'Autumn cohort')])]));
    expect(twice.body.data.content).toMatch(/already in/);
    const list = await t.send(chatInput('studygroup', [sub('list')]));
    expect(list.body.data.embeds[0].description).toMatch(/\*\*Autumn cohort\*\* · 2 members · <#200000000000000002>/);
    const ac = await t.send(autocomplete('studygroup', [sub('join', [str('name', 'autum', true)])]));
    expect(ac.body.data.choices).toEqual([{ name: 'Autumn cohort', value: 'autumn-cohort' }]);
  });

  it('schedules Monday 09:00 Europe/London, admin only, with time-zone autocomplete', async () => {
    const tz = await t.send(autocomplete('digest', [sub('schedule', [str('timezone', 'london', true)])], { user: ADMIN }));
    expect(tz.body.data.choices[0]).toEqual({ name: 'Europe/London', value: 'Europe/London' });
    const bad = await t.send(chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/Londn'), str('group', 'autumn-cohort')])], { user: ADMIN }));
    expect(bad.body.data.content).toMatch(/^Unknown time zone "Europe\/Londn"\. Did you mean: Europe\/London/);
    const denied = await t.send(chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])]));
    expect(denied.body.data.content).toMatch(/Manage Server/);
    const ok = await t.send(chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/London'), str('group', 'autumn-cohort')])], { user: ADMIN }));
    expect(ok.body.data.content).toContain('Mondays at 09:00 Europe/London');
    expect(ok.body.data.content).toContain(`<t:${at('2026-03-09T09:00:00Z') / 1000}:F>`);
  });

  let previewEmbeds: any[] = [];
  it('previews privately exactly what will be posted', async () => {
    t.clock.set(at('2026-03-04T10:00:00Z'));
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done')])]));
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-2-intro-mech-interp'), str('status', 'reading')])]));
    t.clock.set(at('2026-03-05T10:00:00Z'));
    const payload = chatInput('digest', [sub('preview', [str('group', 'autumn-cohort')])], { user: ADMIN });
    const deferred = await t.send(payload);
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await t.waitForEdit(payload);
    expect(edit.body.content).toMatch(/^Preview of the next digest/);
    expect(edit.files.map((f) => f.filename)).toEqual(['digest.png']);
    previewEmbeds = edit.body.embeds;
    expect(previewEmbeds[0].title).toBe('Weekly digest: Autumn cohort');
  });

  it('posts exactly one digest at 09:00 London time, matching the preview, with a chart and no pings', async () => {
    await tickAt('2026-03-09T08:59:00Z');
    expect(posts()).toHaveLength(0);
    await tickAt('2026-03-09T09:00:20Z');
    expect(posts()).toHaveLength(1);
    const [request] = postRequests();
    expect(request!.body.allowed_mentions).toEqual({ parse: [] });
    expect(request!.body.enforce_nonce).toBe(true);
    expect(request!.body.nonce).toMatch(/^[\w-]{25}$/);
    expect(request!.files).toHaveLength(1);
    expect(request!.files[0]!.data.subarray(1, 4).toString()).toBe('PNG');
    expect(request!.body.embeds).toEqual(previewEmbeds);
    const text = JSON.stringify(request!.body.embeds);
    expect(text).toContain(`<@${ALICE.id}>`);
    expect(text).toContain('Transformers from Scratch');
    expect(request!.body.embeds.at(-1).footer.text).toBe('Induction weekly digest · Autumn cohort · week ending 2026-03-09 · 1/1');
    // Asking again, or restarting, posts nothing more.
    await tickAt('2026-03-09T12:00:00Z');
    await t.restart();
    await t.bot.scheduler.tick();
    expect(posts()).toHaveLength(1);
  });

  it('keeps firing at 09:00 local time after the clocks go forward', async () => {
    for (const fire of ['2026-03-16T09:00:00Z', '2026-03-23T09:00:00Z', '2026-03-30T08:00:00Z', '2026-04-06T08:00:00Z']) {
      const before = posts().length;
      await tickAt(new Date(at(fire) - 60_000).toISOString());
      expect(posts(), `nothing before ${fire}`).toHaveLength(before);
      await tickAt(new Date(at(fire) + 30_000).toISOString());
      expect(posts(), `one digest at ${fire}`).toHaveLength(before + 1);
    }
    const quietWeek = postRequests().at(-1)!.body.embeds[0];
    expect(quietWeek.description).toMatch(/A quiet week/);
  });

  it('posts one late digest after downtime across the fire time, and nothing more after two restarts', async () => {
    t.clock.set(at('2026-04-13T07:00:00Z'));
    await t.restart(); // startup tick: nothing due yet
    const before = posts().length;
    await t.bot.stop();
    t.clock.set(at('2026-04-13T15:00:00Z')); // the bot was down at 08:00 UTC (09:00 BST)
    await t.restart();
    expect(posts()).toHaveLength(before + 1);
    expect(postRequests().at(-1)!.body.embeds[0].description).toMatch(/Posted late/);
    await t.restart();
    await t.restart();
    expect(posts()).toHaveLength(before + 1);
    expect((await group()).runs[0]).toMatchObject({ period: '2026-04-13', state: 'posted', late: true });
  });

  it('resumes a run that a crash left between claiming and posting, exactly once', async () => {
    const fire = at('2026-04-20T08:00:00Z');
    // A process claimed the run and died before sending anything.
    await t.bot.services.repos.studyGroups.recordRun(GUILD, 'autumn-cohort', {
      period: '2026-04-20', fireAt: fire, state: 'posting', claimedAt: fire, attempts: 1, nextAttemptAt: null,
      partsPosted: 0, messageIds: [], late: false, lastError: null, postedAt: null,
    });
    const before = posts().length;
    t.clock.set(fire + 5 * 60_000);
    // Without Read Message History the bot cannot look back in the channel; it still posts, once.
    t.discord.failNext((r) => r.method === 'GET' && r.path === `/channels/${DIGEST_CHANNEL}/messages`, 403, { message: 'Missing Access', code: 50001 });
    await t.restart();
    expect(posts()).toHaveLength(before + 1);
    expect((await group()).runs[0]).toMatchObject({ period: '2026-04-20', state: 'posted', attempts: 2 });
  });

  it('does not repost when the crash came after Discord accepted the message', async () => {
    await tickAt('2026-04-27T08:00:30Z');
    const before = posts().length;
    const posted = (await group()).runs[0]!;
    expect(posted.state).toBe('posted');
    // Roll the ledger back to "posting, nothing sent", as if the process died right after the POST returned.
    await t.bot.services.repos.studyGroups.recordRun(GUILD, 'autumn-cohort', { ...posted, state: 'posting', partsPosted: 0, messageIds: [], postedAt: null });
    t.clock.set(at('2026-04-27T09:00:00Z'));
    await t.restart();
    expect(posts()).toHaveLength(before);
    expect((await group()).runs[0]).toMatchObject({ state: 'posted', partsPosted: 1 });
  });

  it('survives a deleted channel: logs, shows the error in /digest status, retries with backoff', async () => {
    t.discord.deletedChannels.add(DIGEST_CHANNEL);
    await tickAt('2026-05-04T08:00:30Z');
    const failed = (await group()).runs[0]!;
    expect(failed).toMatchObject({ period: '2026-05-04', state: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/10003.*no longer exists/);
    const status = await t.send(chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])], { user: ADMIN }));
    const fields = status.body.data.embeds[0].fields;
    expect(fields.find((f: any) => f.name === 'Last error').value).toMatch(/no longer exists/);
    expect(fields.find((f: any) => f.name.startsWith('Last digest')).value).toMatch(/^Failed after 1 attempt; retrying/);
    // Still answering commands.
    expect((await t.send(chatInput('help'))).body.type).toBe(4);
    await tickAt('2026-05-04T08:01:00Z'); // inside the backoff
    expect((await group()).runs[0]!.attempts).toBe(1);
    t.discord.deletedChannels.delete(DIGEST_CHANNEL);
    const before = posts().length;
    await tickAt('2026-05-04T08:02:00Z');
    expect(posts()).toHaveLength(before + 1);
    expect((await group()).runs[0]).toMatchObject({ state: 'posted', attempts: 2, lastError: null });
  });

  it('lists claims gone stale, then the release notice, in the weekly digests', async () => {
    t.clock.set(at('2026-05-05T10:00:00Z'));
    const claim = await t.send(chatInput('problem', [sub('claim', [str('id', '1.6'), str('intent', 'working')])]));
    expect(claim.body.data.content).toMatch(/1\.6/);
    // 22 days without a check-in: the hourly sweep marks it stale, and the Monday digest lists it.
    await tickAt('2026-05-27T12:00:00Z');
    await tickAt('2026-06-01T08:00:30Z');
    const staleDigest = JSON.stringify(postRequests().at(-1)!.body.embeds);
    expect(staleDigest).toContain('Claims gone stale');
    expect(staleDigest).toMatch(/\[\*\*1\.6\*\* [^\]]+\]\(https:[^)]+\) · <@300000000000000011>/);
    // 14 more days: released, with a notice in the next digest.
    await tickAt('2026-06-11T12:00:00Z');
    await tickAt('2026-06-15T08:00:30Z');
    const releaseDigest = JSON.stringify(postRequests().at(-1)!.body.embeds);
    expect(releaseDigest).toContain('Released after no check-ins');
    expect(releaseDigest).toMatch(/\[\*\*1\.6\*\* [^\]]+\]\(https:[^)]+\) · <@300000000000000011> · released/);
  });

  it('creates a default group for a server that sets up the digest first, and posts an encouraging empty week', async () => {
    const other = await startTestBot({
      now: new Date('2026-03-02T12:00:00Z'),
      guilds: [{ id: '100000000000000009', name: 'New Server', channels: [{ id: QUIET_CHANNEL, name: 'general' }] }],
    });
    try {
      const reply = await other.send(
        chatInput('digest', [sub('schedule', [int('weekday', 3), int('hour', 18), str('timezone', 'America/New_York')])], { user: ADMIN, guildId: '100000000000000009', channelId: QUIET_CHANNEL }),
      );
      expect(reply.body.data.content).toMatch(/^\*\*Everyone\*\* gets its digest Wednesdays at 18:00 America\/New_York in <#200000000000000003>/);
      other.clock.set(at('2026-03-04T23:00:30Z'));
      await other.bot.scheduler.tick();
      const [message] = other.discord.channelMessages.get(QUIET_CHANNEL) ?? [];
      expect(message.embeds[0].description).toMatch(/A quiet week/);
      expect(other.discord.violations()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
