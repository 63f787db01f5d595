/** /admin doctor through the loopback Discord: permissions computed from the server's roles and overwrites. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ADMIN, ALICE, channel, chatInput, int, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import { BOT_ROLE_ID } from '../harness/loopback-permissions.ts';

const GUILD = '100000000000000001';
const COHORT = '200000000000000002';
const STUDY_ROLE = '400000000000000020';

describe('/admin doctor through the loopback Discord', () => {
  let t: TestBot;
  const doctor = async (user = ADMIN) => {
    const payload = chatInput('admin', [sub('doctor')], { user });
    const first = await t.send(payload);
    if (first.body.type !== 5) return { first, embed: null as any };
    const edit = await t.waitForEdit(payload);
    return { first, embed: edit.body.embeds[0] };
  };
  const field = (embed: any, prefix: string) => embed.fields.find((f: any) => f.name.startsWith(prefix))?.value as string | undefined;

  beforeAll(async () => {
    t = await startTestBot({
      guilds: [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }, { id: COHORT, name: 'cohort' }] }],
    });
    t.discord.permissions.setRole(GUILD, { id: STUDY_ROLE, name: 'Autumn', permissions: '0', position: 2 });
    const roleOption = { name: 'role', type: 8, value: STUDY_ROLE };
    const created = await t.send(chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', COHORT), roleOption])], { user: ADMIN }));
    expect(created.body.data.content).toMatch(/^Created/);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('is checked on the server: a member without Manage Server is refused', async () => {
    const { first } = await doctor(ALICE);
    expect(first.body.data.content).toMatch(/Manage Server/);
    expect(first.body.data.flags).toBe(64);
  });

  it('names the channel and the permission an overwrite on the bot’s role denies', async () => {
    t.discord.permissions.setOverwrites(COHORT, [{ id: BOT_ROLE_ID, type: 0, allow: '0', deny: String(P.AttachFiles) }]);
    const { first, embed } = await doctor();
    expect(first.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(embed.title).toBe('Set-up check: Study Server');
    const fixes = field(embed, 'To fix')!;
    expect(fixes).toContain(`In <#${COHORT}>, the overwrite for **@Induction** denies Attach Files: set it to allow (or neutral).`);
    expect(field(embed, 'Channels')).toBe(`❌ **Autumn cohort digest** in <#${COHORT}>: missing Attach Files`);
    // The study group's role sits above the bot's role.
    expect(fixes).toContain("2. In Server Settings → Roles, drag **@Induction** (**Induction**'s highest role) above **@Autumn**: a bot can only hand out roles below its own (for **Autumn cohort**).");
  });

  it('says “allow Induction” when @everyone’s overwrite is what takes it away, and what returns with Send Messages', async () => {
    t.discord.permissions.setOverwrites(COHORT, [{ id: GUILD, type: 0, allow: '0', deny: String(P.SendMessages | P.AttachFiles) }]);
    const fixes = field((await doctor()).embed, 'To fix')!;
    expect(fixes).toContain(`1. In <#${COHORT}>, allow **Induction**: Send Messages and Attach Files (Embed Links comes back with them).`);
  });

  it('clears once the overwrite and the role order are fixed', async () => {
    t.discord.permissions.setOverwrites(COHORT, [
      { id: GUILD, type: 0, allow: '0', deny: String(P.AttachFiles) },
      { id: BOT_ROLE_ID, type: 0, allow: String(P.AttachFiles), deny: '0' },
    ]);
    let embed = (await doctor()).embed;
    expect(field(embed, 'Channels')).toBe(`✅ **Autumn cohort digest** in <#${COHORT}>`);
    expect(field(embed, 'To fix')).not.toContain('Attach Files');
    t.discord.permissions.setRole(GUILD, { ...t.discord.permissions.role(GUILD, BOT_ROLE_ID)!, permissions: String(P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.ManageRoles), position: 5 });
    embed = (await doctor()).embed;
    expect(field(embed, 'To fix')).toBeUndefined();
    expect(embed.description).toBe('**Induction** has every permission it needs in **Study Server**.');
    expect(field(embed, 'Roles')).toBe('✅ **Autumn cohort** hands out **@Autumn**');
  });

  it('asks for Manage Roles when a group hands out a role and the bot lacks it', async () => {
    t.discord.permissions.setRole(GUILD, { ...t.discord.permissions.role(GUILD, BOT_ROLE_ID)!, permissions: String(P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory) });
    const fixes = field((await doctor()).embed, 'To fix')!;
    expect(fixes).toBe('1. In Server Settings → Roles, give **Induction** Manage Roles, so it can hand out **@Autumn** to members of **Autumn cohort**.');
  });

  it('names the channel and the missing permission after a scheduled digest is refused, and clears once fixed', async () => {
    t.discord.permissions.setRole(GUILD, { ...t.discord.permissions.role(GUILD, BOT_ROLE_ID)!, permissions: String(P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.ReadMessageHistory | P.ManageRoles) });
    t.discord.permissions.setOverwrites(COHORT, [{ id: BOT_ROLE_ID, type: 0, allow: '0', deny: String(P.AttachFiles) }]);
    t.discord.permissions.enforce = true;
    try {
      const scheduled = await t.send(chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'UTC'), str('group', 'autumn-cohort')])], { user: ADMIN }));
      expect(scheduled.body.data.content).toContain('Mondays at 09:00 UTC');
      t.clock.set(Date.parse('2026-03-04T10:00:00Z'));
      await t.send(chatInput('studygroup', [sub('join', [str('name', 'autumn-cohort')])]));
      await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done')])]));
      t.clock.set(Date.parse('2026-03-09T09:00:30Z'));
      await t.bot.scheduler.tick();
      expect(t.discord.channelMessages.get(COHORT) ?? []).toHaveLength(0);

      const status = await t.send(chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])], { user: ADMIN }));
      const statusFields = status.body.data.embeds[0].fields;
      expect(statusFields.find((f: any) => f.name === 'Last error').value).toBe(`Discord error 50013: the bot lacks Attach Files in <#${COHORT}>`);
      expect(statusFields.find((f: any) => f.name === 'Blocked').value).toMatch(new RegExp(`^Cannot post in <#${COHORT}>: missing Attach Files\\. Allow it there, then check with </admin doctor:\\d+>\\.$`));
      const embed = (await doctor()).embed;
      expect(field(embed, 'Scheduled jobs')).toMatch(new RegExp(`^❌ \\*\\*Autumn cohort digest\\*\\*: could not post in <#${COHORT}> <t:\\d+:R>: missing Attach Files\\.$`));

      t.discord.permissions.setOverwrites(COHORT, []);
      t.clock.set(Date.parse('2026-03-09T09:10:00Z'));
      await t.bot.scheduler.tick();
      expect(t.discord.channelMessages.get(COHORT)).toHaveLength(1);
      const after = await t.send(chatInput('digest', [sub('status', [str('group', 'autumn-cohort')])], { user: ADMIN }));
      expect(after.body.data.embeds[0].fields.find((f: any) => f.name === 'Blocked')).toBeUndefined();
      expect(field((await doctor()).embed, 'Scheduled jobs')).toMatch(/^✅ \*\*Autumn cohort digest\*\*: last ran/);
    } finally {
      t.discord.permissions.enforce = false;
    }
  });
});

describe('/admin doctor and reading sessions', () => {
  let t: TestBot;
  const GUILD = '100000000000000001';
  const COHORT = '200000000000000002';
  const doctorEmbed = async () => {
    const payload = chatInput('admin', [sub('doctor')], { user: ADMIN });
    await t.send(payload);
    return (await t.waitForEdit(payload)).body.embeds[0];
  };
  const field = (embed: any, prefix: string) => embed.fields?.find((f: any) => f.name.startsWith(prefix))?.value as string | undefined;

  beforeAll(async () => {
    t = await startTestBot({ guilds: [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }, { id: COHORT, name: 'cohort' }] }] });
    await t.send(chatInput('studygroup', [sub('create', [str('name', 'Autumn cohort'), channel('channel', COHORT)])], { user: ADMIN }));
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('checks the channel of a coming session, with the thread and event permissions sessions need', async () => {
    const before = await doctorEmbed();
    expect(JSON.stringify(before)).not.toContain('reading sessions');
    const payload = chatInput('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-03-10 18:00'), str('group', 'autumn-cohort'), str('location', 'https://meet.example.org/room')])], { user: ADMIN });
    const first = await t.send(payload);
    const answer = first.body.type === 4 ? first.body.data.content : (await t.waitForEdit(payload)).body.content;
    expect(answer).toMatch(/^Scheduled/);
    const session = (await t.bot.services.repos.sessions.all(GUILD)).sessions[0]!;

    t.discord.permissions.setOverwrites(session.channelId, [{ id: BOT_ROLE_ID, type: 0, allow: '0', deny: String(P.CreatePublicThreads) }]);
    const embed = await doctorEmbed();
    expect(field(embed, 'Channels')).toContain(`❌ **Autumn cohort reading sessions** in <#${session.channelId}>: missing Create Public Threads`);
    expect(field(embed, 'To fix')).toContain('Create Public Threads');

    t.discord.permissions.setOverwrites(session.channelId, []);
    const fixed = await doctorEmbed();
    expect(fixed.description).toBe('**Induction** has every permission it needs in **Study Server**.');
    expect(field(fixed, 'Scheduled jobs')).toContain('**Autumn cohort session reminders (2026-03-10)**');
  });
});

describe('/admin doctor and the background jobs', () => {
  let t: TestBot;
  const GUILD = '100000000000000001';
  const doctorEmbed = async () => {
    const payload = chatInput('admin', [sub('doctor')], { user: ADMIN });
    await t.send(payload);
    return (await t.waitForEdit(payload)).body.embeds[0];
  };
  beforeAll(async () => {
    t = await startTestBot({ guilds: [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }] }] });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('shows the last error of a failing job, keeps the other jobs running, and shows its recovery', async () => {
    // A damaged reading-sessions record makes the sessions job fail on every pass.
    // (Written past the repository, then restarted, so no cached copy hides it.)
    await t.bot.store.keyv.set(t.bot.services.repos.sessions.collection.key(GUILD), { v: 1, data: { sessions: 'not a list' } });
    await t.restart();
    await t.bot.scheduler.tick();
    const failing = JSON.stringify(await doctorEmbed());
    expect(failing).toContain('❌ **Reading sessions (reminders, series, event sync)**: failed <t:');
    expect(failing).toContain('stored record sessions:100000000000000001 is invalid');
    // The jobs after it still ran and recorded a clean outcome only if they had failed before: nothing else is listed.
    expect(failing).not.toContain('Flashcard reminders');

    await t.bot.services.repos.sessions.collection.delete(GUILD);
    await t.bot.scheduler.tick();
    const recovered = JSON.stringify(await doctorEmbed());
    expect(recovered).toContain('✅ **Reading sessions (reminders, series, event sync)**');
    expect(recovered).not.toContain('is invalid');
  });
});
