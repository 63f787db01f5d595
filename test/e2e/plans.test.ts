/**
 * Study plans through the real bot on the loopback Discord, on an injectable clock: an admin starts ARENA
 * chapter 1 for a cohort, members make different progress, /plan status and the digest report it, the week moves
 * with the clock, a restart changes nothing, a group without a plan digests exactly as before, custom plans are
 * uploaded as JSON attachments, and bad input is refused privately with nothing stored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, BOB, button, channel, chatInput, int, messageFrom, str, sub, user, type Actor } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import { attachmentOption, withAttachments } from '../harness/attachments.ts';

const GUILD = '100000000000000001';
const COHORT_CHANNEL = '200000000000000002';
const CLUB_CHANNEL = '200000000000000003';
const CAROL: Actor = { id: '300000000000000014', username: 'carol' };
const at = (iso: string) => new Date(iso).getTime();

describe('study plans through the loopback Discord', () => {
  let t: TestBot;
  const plans = () => t.bot.services.repos.plans.get(GUILD);
  const adopt = (options: ReturnType<typeof str>[], who: Actor = ADMIN) => t.send(chatInput('studygroup', [sub('plan', options)], { user: who }));
  const status = async (who: Actor, options: any[] = []) => (await t.send(chatInput('plan', [sub('status', options)], { user: who }))).body.data;
  const preview = async (group: string) => {
    const payload = chatInput('digest', [sub('preview', [str('group', group)])], { user: ADMIN });
    await t.send(payload);
    const edit = await t.waitForEdit(payload);
    return { embeds: JSON.stringify(edit.body.embeds), chart: edit.files[0]?.data ?? null, body: edit.body };
  };
  const mark = (who: Actor, resource: string, status: string) => t.send(chatInput('progress', [sub('mark', [str('resource', resource), str('status', status)])], { user: who }));
  const upload = async (filename: string, content: string, who: Actor = ADMIN) => {
    const { option, attachment } = attachmentOption(t.discord, 'file', filename, content);
    const payload = withAttachments(chatInput('plan', [sub('upload', [option])], { user: who }), [attachment]);
    const first = await t.send(payload);
    if (first.body.type === 4) return first.body.data.content as string;
    return (await t.waitForEdit(payload)).body.content as string;
  };

  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-02T12:00:00Z'),
      guilds: [
        {
          id: GUILD,
          name: 'Study Server',
          channels: [
            { id: '200000000000000001', name: 'general' },
            { id: COHORT_CHANNEL, name: 'cohort' },
            { id: CLUB_CHANNEL, name: 'paper-club' },
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

  let clubBefore: Awaited<ReturnType<typeof preview>>;
  let cohortBefore: Awaited<ReturnType<typeof preview>>;
  it('sets up two groups with digests, and records what their digests say before any plan exists', async () => {
    for (const [name, ch] of [['Autumn cohort', COHORT_CHANNEL], ['Paper club', CLUB_CHANNEL]] as const) {
      await t.send(chatInput('studygroup', [sub('create', [str('name', name), channel('channel', ch)])], { user: ADMIN }));
      await t.send(chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/London'), str('group', name)])], { user: ADMIN }));
    }
    for (const who of [ALICE, BOB]) {
      await t.send(chatInput('studygroup', [sub('join', [str('name', 'autumn-cohort')])], { user: who }));
      await t.send(chatInput('studygroup', [sub('join', [str('name', 'paper-club')])], { user: who }));
    }
    await mark(ALICE, 'zoom-in', 'done');
    clubBefore = await preview('paper-club');
    cohortBefore = await preview('autumn-cohort');
    expect(clubBefore.chart).not.toBeNull();
    const none = await status(ALICE);
    expect(none.content).toMatch(/^None of your study groups follows a study plan yet/);
  });

  it('refuses bad adoptions privately and stores nothing', async () => {
    const cases: [ReturnType<typeof str>[], RegExp, Actor?][] = [
      [[str('group', 'autumn-cohort'), str('plan', 'arena-ch1')], /Manage Server/, ALICE],
      [[str('group', 'autumn-cohort'), str('plan', 'arena-ch9')], /^Unknown plan "arena-ch9"\. Plans here: `arena-ch1`/],
      [[str('group', 'winter-cohort'), str('plan', 'arena-ch1')], /^No study group "winter-cohort"/],
      [[str('group', 'autumn-cohort'), str('plan', 'arena-ch1'), str('start', '2027-06-01')], /2027-06-01 is more than a year from today \(2026-03-02\)/],
      [[str('group', 'autumn-cohort'), str('plan', 'arena-ch1'), str('start', '2026-02-30')], /"2026-02-30" is not a date: use YYYY-MM-DD/],
    ];
    for (const [options, expected, who] of cases) {
      const reply = await adopt(options, who);
      expect(reply.body.data.flags).toBe(64);
      expect(reply.body.data.content).toMatch(expected);
    }
    expect((await plans()).adoptions).toEqual([]);
  });

  it('starts ARENA chapter 1 for the cohort; the other group digests exactly as before', async () => {
    const reply = await adopt([str('group', 'autumn-cohort'), str('plan', 'arena-ch1')]);
    expect(reply.body.data.content).toMatch(/^\*\*Autumn cohort\*\* now follows \*\*ARENA Chapter 1: Transformer Interpretability\*\* \(7 weeks\), starting 2026-03-02 \(Europe\/London\)/);
    expect(reply.body.data.content).toContain(`week 1 runs <t:${at('2026-03-02T00:00:00Z') / 1000}:D>`);
    expect(reply.body.data.content).toContain('Now: Week 1 of 7: Transformers from scratch');
    const club = await preview('paper-club');
    expect(club.embeds).toBe(clubBefore.embeds);
    expect(Buffer.compare(club.chart!, clubBefore.chart!)).toBe(0);
    // Stopping a plan brings the digest back to exactly what it was; starting again is one command.
    await adopt([str('group', 'autumn-cohort'), str('plan', 'none')]);
    const cohort = await preview('autumn-cohort');
    expect(cohort.embeds).toBe(cohortBefore.embeds);
    expect(Buffer.compare(cohort.chart!, cohortBefore.chart!)).toBe(0);
    await adopt([str('group', 'autumn-cohort'), str('plan', 'arena-ch1')]);
    expect((await plans()).adoptions).toMatchObject([{ groupId: 'autumn-cohort', planId: 'arena-ch1', startDate: '2026-03-02', adoptedBy: ADMIN.id }]);
  });

  it('shows week 1 and where each member stands', async () => {
    const alice = await status(ALICE);
    expect(alice.flags).toBe(64);
    const embed = alice.embeds[0];
    expect(embed.title).toBe('ARENA Chapter 1: Transformer Interpretability · Autumn cohort');
    expect(embed.description).toContain('**Week 1 of 7: Transformers from scratch**');
    expect(embed.description).toContain(`<@${ALICE.id}>: **On track**`);
    expect(embed.fields[0]).toMatchObject({ name: 'This week' });
    expect(embed.fields[0].value).toContain('[1.1 Transformers from Scratch](');
    expect(embed.fields.find((f: any) => f.name === 'Next to read').value).toContain('[1.1 Transformers from Scratch](');
    expect(alice.components[0].components.map((c: any) => c.custom_id)).toEqual([
      `plan:open:arena-1-1-transformer-from-scratch:${ALICE.id}`,
      `plan:done:arena-1-1-transformer-from-scratch:${ALICE.id}`,
    ]);
  });

  let aliceWeek2 = '';
  it('moves to week 2 with the clock: one member on track, one behind', async () => {
    t.clock.set(at('2026-03-04T10:00:00Z'));
    await mark(ALICE, 'arena-1-1-transformer-from-scratch', 'done');
    await mark(BOB, 'arena-1-1-transformer-from-scratch', 'reading');
    t.clock.set(at('2026-03-08T23:59:00Z'));
    expect((await status(BOB)).embeds[0].description).toContain(`<@${BOB.id}>: **On track**`);
    t.clock.set(at('2026-03-09T00:00:00Z'));
    const alice = await status(ALICE);
    aliceWeek2 = JSON.stringify(alice);
    expect(alice.embeds[0].description).toContain('**Week 2 of 7: Intro to mech interp and TransformerLens**');
    expect(alice.embeds[0].description).toContain(`<@${ALICE.id}>: **On track**`);
    const bob = await status(BOB, [str('group', 'Autumn cohort')]);
    expect(bob.embeds[0].description).toContain(`<@${BOB.id}>: **1 behind**`);
    expect(bob.embeds[0].fields.find((f: any) => f.name === 'Next to read').value).toContain('[1.1 Transformers from Scratch](');
    // Looking at someone else: their standing, and no button to mark their items.
    const other = await status(ALICE, [user('member', BOB.id)]);
    expect(other.embeds[0].description).toContain(`<@${BOB.id}>: **1 behind**`);
    expect(other.components[0].components).toHaveLength(1);
  });

  it('posts the plan section in the weekly digest: the week, the counts, who is on track and next week', async () => {
    t.clock.set(at('2026-03-09T09:00:20Z'));
    await t.bot.scheduler.tick();
    const [message] = t.discord.channelMessages.get(COHORT_CHANNEL) ?? [];
    const planEmbed = message.embeds[1];
    expect(planEmbed.title).toBe('Week 1 of 7: Transformers from scratch');
    expect(planEmbed.description).toContain('✅ **1** of 2 members finished this week’s required items.');
    expect(planEmbed.description).toContain(`**On track (1):** <@${ALICE.id}>`);
    expect(planEmbed.description).toContain(`**Behind (1):** <@${BOB.id}> (1)`);
    expect(planEmbed.description).toContain('**Next, week 2: Intro to mech interp and TransformerLens:** [1.2 Intro to Mech Interp](');
    const request = t.discord.requests.find((r) => r.kind === 'channel-message' && r.path === `/channels/${COHORT_CHANNEL}/messages`)!;
    expect(request.body.allowed_mentions).toEqual({ parse: [] });
    // The other group's digest has no plan section.
    const [club] = t.discord.channelMessages.get(CLUB_CHANNEL) ?? [];
    expect(JSON.stringify(club.embeds)).not.toContain('Week 1 of 7');
  });

  let previewWeek2 = '';
  it('previews next week’s digest, and a restart changes nothing', async () => {
    t.clock.set(at('2026-03-10T12:00:00Z'));
    await mark(ALICE, 'arena-1-2-intro-mech-interp', 'done');
    const before = await preview('autumn-cohort');
    previewWeek2 = before.embeds;
    const planEmbed = before.body.embeds[1];
    expect(planEmbed.title).toBe('Week 2 of 7: Intro to mech interp and TransformerLens');
    expect(planEmbed.description).toContain('✅ **1** of 2 members finished');
    expect(planEmbed.description).toContain('**Next, week 3: Probes and function vectors:**');
    const aliceBefore = JSON.stringify(await status(ALICE));
    await t.restart();
    expect((await preview('autumn-cohort')).embeds).toBe(previewWeek2);
    expect(JSON.stringify(await status(ALICE))).toBe(aliceBefore);
    expect(aliceBefore).not.toBe(aliceWeek2); // she finished 1.2 since
  });

  it('puts the plan week first in /progress next and shows plan progress in /progress show', async () => {
    const next = await t.send(chatInput('progress', [sub('next')], { user: BOB }));
    expect(next.body.data.embeds[0].description).toMatch(/\n\n\*\*1\.\*\* \[1\.1 Transformers from Scratch\][^\n]*\n[^\n]*In your study plan now/);
    const show = await t.send(chatInput('progress', [sub('show')], { user: BOB }));
    const field = show.body.data.embeds[0].fields.find((f: any) => f.name === 'Study plan');
    expect(field.value).toContain('ARENA Chapter 1: Transformer Interpretability (Autumn cohort) · week 2 of 7 · **1 behind**');
  });

  it('marks the next item done from the status card, updating it in place', async () => {
    const card = await status(BOB);
    const press = button(`plan:done:arena-1-1-transformer-from-scratch:${BOB.id}`, messageFrom(card), { user: BOB });
    const stranger = await t.send(button(`plan:done:arena-1-1-transformer-from-scratch:${BOB.id}`, messageFrom(card), { user: ALICE }));
    expect(stranger.body.data.content).toMatch(/^Only the member whose status this is/);
    const updated = await t.send(press);
    expect(updated.body.type).toBe(7);
    expect(updated.body.data.embeds[0].description).toContain('Marked **[1.1] Transformers from Scratch** as Done');
    expect(updated.body.data.embeds[0].description).toContain(`<@${BOB.id}>: **On track**`);
    const open = await t.send(button(`plan:open:arena-1-2-intro-mech-interp:${BOB.id}`, messageFrom(card), { user: BOB }));
    expect(open.body.data.embeds[0].title).toContain('[1.2] Intro to Mech Interp');
  });

  it('measures a late joiner from the first full week after joining', async () => {
    t.clock.set(at('2026-03-11T12:00:00Z')); // Wednesday of week 2
    await t.send(chatInput('studygroup', [sub('join', [str('name', 'autumn-cohort')])], { user: CAROL }));
    t.clock.set(at('2026-03-17T12:00:00Z')); // week 3: nothing owed yet
    const week3 = await status(CAROL);
    expect(week3.embeds[0].description).toContain('**Week 3 of 7: Probes and function vectors**');
    expect(week3.embeds[0].description).toContain(`<@${CAROL.id}>: **On track**`);
    t.clock.set(at('2026-03-24T12:00:00Z')); // week 4: owes week 1
    const week4 = await status(CAROL);
    expect(week4.embeds[0].description).toContain(`<@${CAROL.id}>: **1 behind**`);
    expect(week4.embeds[0].description).toContain('Measured from when you joined: 1 week of the plan due so far.');
    // Bob was in the group when the plan was adopted: he owes weeks 1–3 (1.1 done; 1.2, 1.3.1, 1.3.2 not).
    expect((await status(BOB)).embeds[0].description).toContain(`<@${BOB.id}>: **3 behind**`);
  });

  it('takes a custom plan as a JSON attachment, naming the week and the id of every problem', async () => {
    const good = {
      plans: [
        {
          id: 'circuits-sprint',
          title: 'Circuits sprint',
          description: 'Two weeks on circuit discovery, from activation patching to automated methods.',
          weeks: [
            { title: 'Patching', required: ['how-to-think-about-activation-patching'], extras: ['activation-patching-howto'] },
            { title: 'Automated circuit discovery', required: ['acdc'], problems: [{ set: 'concrete-open-problems', id: '2.19' }] },
          ],
        },
      ],
    };
    const denied = await upload('plan.json', JSON.stringify(good), ALICE);
    expect(denied).toMatch(/Manage Server/);
    const unknown = structuredClone(good);
    unknown.plans[0]!.weeks[1]!.required = ['acdc-2'];
    expect(await upload('plan.json', JSON.stringify(unknown))).toContain('plan "circuits-sprint": week 2 required: unknown resource id "acdc-2"');
    const outOfOrder = structuredClone(good);
    outOfOrder.plans[0]!.weeks = [{ title: 'Discovery', required: ['acdc'] }, { title: 'The IOI paper', required: ['ioi-paper'] }] as never;
    expect(await upload('plan.json', JSON.stringify(outOfOrder))).toContain('week 1 required: "acdc" needs "ioi-paper", which only comes in week 2');
    expect(await upload('plan.json', '{"plans": [ {"id": "x",')).toMatch(/^That file is not JSON/);
    const shape = await upload('plan.json', JSON.stringify({ id: 'arena-ch1', title: 'Mine', description: 'A plan with the id of a built-in one.', weeks: [{ title: 'W', required: [] }] }));
    expect(shape).toContain('week 1 required');
    expect((await plans()).custom).toEqual([]);

    const saved = await upload('plan.json', JSON.stringify(good));
    expect(saved).toMatch(/^Saved 1 custom plan:\n• \*\*Circuits sprint\*\* \(`circuits-sprint`\): 2 weeks/);
    const [stored] = (await plans()).custom;
    expect(stored).toMatchObject({ createdBy: ADMIN.id, plan: { id: 'circuits-sprint' } });
    const list = await t.send(chatInput('plan', [sub('list')]));
    expect(list.body.data.embeds[0].description).toContain(`**Circuits sprint** (\`circuits-sprint\`) · 2 weeks · 2 required items · custom, by <@${ADMIN.id}>`);
    expect(list.body.data.embeds[0].description).toContain('Followed by **Autumn cohort**');
    const exported = t.send(chatInput('plan', [sub('export', [str('plan', 'circuits-sprint')])]));
    const file = (await exported).files[0]!;
    expect(JSON.parse(file.data.toString()).plans[0].id).toBe('circuits-sprint');

    await adopt([str('group', 'paper-club'), str('plan', 'circuits-sprint'), str('start', '2026-03-23')]);
    const inUse = await t.send(chatInput('plan', [sub('delete', [str('plan', 'circuits-sprint')])], { user: ADMIN }));
    expect(inUse.body.data.content).toMatch(/is followed by \*\*paper-club\*\*/);
  });

  it('exports and deletes the plan data a member has', async () => {
    const exported = await t.send(chatInput('privacy', [sub('export')], { user: CAROL }));
    const data = JSON.parse(exported.files[0]!.data.toString());
    expect(data.studyPlans.groupJoinDates).toEqual([{ groupId: 'autumn-cohort', joinedAt: '2026-03-11T12:00:00.000Z' }]);
    const admin = JSON.parse((await t.send(chatInput('privacy', [sub('export')], { user: ADMIN }))).files[0]!.data.toString());
    expect(admin.studyPlans.customPlans).toMatchObject([{ planId: 'circuits-sprint', createdByYou: true }]);
    expect(admin.studyPlans.plansAdoptedForGroups.map((a: any) => a.groupId)).toEqual(['autumn-cohort', 'paper-club']);

    const card = await t.send(chatInput('privacy', [sub('delete')], { user: ADMIN }));
    await t.send(button(`privacy:confirm:${ADMIN.id}`, messageFrom(card.body.data), { user: ADMIN }));
    const after = await plans();
    expect(after.custom[0]!.createdBy).toBe('0');
    expect(after.adoptions.every((a) => a.adoptedBy === '0')).toBe(true);
    expect(after.custom[0]!.plan.id).toBe('circuits-sprint'); // server data stays
  });
});
