import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, autocomplete, button, chatInput, messageFrom, select, str, sub, user } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const INTRO = 'arena-1-2-intro-mech-interp';
const FROM_SCRATCH = 'arena-1-1-transformer-from-scratch';

describe('/resources and /progress through the loopback Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  const buttonsOf = (data: any) => data.components.flatMap((row: any) => row.components);

  it('browses everything in pages of 10 with Prev/Next and a select menu', async () => {
    const reply = await t.send(chatInput('resources'));
    const data = reply.body.data;
    expect(data.flags).toBe(64);
    expect(data.embeds[0].footer.text).toMatch(/^Page 1 of \d+ · \d+ resources/);
    const menu = data.components[0].components[0];
    expect(menu.options).toHaveLength(10);
    const [prev, next] = data.components[1].components;
    expect(prev.disabled).toBe(true);
    expect(next.disabled).toBe(false);
    const page2 = await t.send(button(next.custom_id, messageFrom(data)));
    expect(page2.body.type).toBe(7);
    expect(page2.body.data.embeds[0].footer.text).toMatch(/^Page 2 of/);
    expect(page2.body.data.components[0].components[0].options[0].value).not.toBe(menu.options[0].value);
  });

  it('filters by kind, level and topic, and finds ARENA intro to mech interp', async () => {
    const reply = await t.send(chatInput('resources', [str('kind', 'tutorial'), str('level', 'intro'), str('topic', 'induction')]));
    const options = reply.body.data.components[0].components[0].options.map((o: any) => o.value);
    expect(options).toContain(INTRO);
    // Labels, not slugs: no "kind: tutorial" filter syntax.
    expect(reply.body.data.embeds[0].description).toMatch(/^Intro-level tutorials on Induction heads\./);
  });

  it('autocompletes topics and titles', async () => {
    const topics = await t.send(autocomplete('resources', [str('topic', 'superpos', true)]));
    expect(topics.body.data.choices[0].value).toBe('superposition');
    const titles = await t.send(autocomplete('resources', [str('query', 'intro to mech interp', true)]));
    expect(titles.body.data.choices.map((c: any) => c.value)).toContain(INTRO);
  });

  it('answers an unknown topic with did-you-mean, not the whole list', async () => {
    const reply = await t.send(chatInput('resources', [str('topic', 'superpositon')]));
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toMatch(/^Unknown topic "superpositon"\. Did you mean: \*\*Superposition\*\*/);
    expect(reply.body.data.content.length).toBeLessThan(300);
  });

  it('opens the detail view, marks it reading then done, and counts it for the server', async () => {
    const list = await t.send(chatInput('resources', [str('query', 'Intro to Mech Interp')]));
    const menu = list.body.data.components[0].components[0];
    expect(menu.options[0].value).toBe(INTRO);
    const detail = await t.send(select(menu.custom_id, [INTRO], messageFrom(list.body.data)));
    expect(detail.body.type).toBe(7);
    const embed = detail.body.data.embeds[0];
    expect(embed.url).toMatch(/^https:\/\/learn\.arena\.education\//);
    expect(embed.fields.find((f: any) => f.name === 'Read first').value).toContain('Transformers from Scratch');
    expect(embed.fields.find((f: any) => f.name === 'In this server').value).toBe('Nobody has finished it yet.');
    const statusButtons = detail.body.data.components[0].components;
    expect(statusButtons.map((b: any) => b.label)).toEqual(['Want to read', 'Reading', 'Done', 'Skipped']);

    const reading = await t.send(button(statusButtons[1].custom_id, messageFrom(detail.body.data)));
    expect(reading.body.data.content).toBe('Marked as Reading.');
    expect(reading.body.data.embeds[0].fields.find((f: any) => f.name === 'You').value).toMatch(/Reading/);
    t.clock.advance(3 * 86_400_000);
    const done = await t.send(button(statusButtons[2].custom_id, messageFrom(reading.body.data)));
    expect(done.body.data.embeds[0].fields.find((f: any) => f.name === 'In this server').value).toBe('1 member has finished it.');

    const stored = await t.bot.services.repos.progress.get('100000000000000001', ALICE.id);
    expect(stored.entries[INTRO]).toMatchObject({ status: 'done', startedAt: expect.any(Number), completedAt: t.clock.now() });
    expect(stored.entries[INTRO]!.startedAt).toBeLessThan(stored.entries[INTRO]!.completedAt!);
  });

  it('refuses another member pressing my status buttons, and gives them their own copy of a page', async () => {
    const detail = await t.send(chatInput('resources', [str('query', INTRO)]));
    const mark = buttonsOf(detail.body.data)[0];
    const theirs = await t.send(button(mark.custom_id, messageFrom(detail.body.data), { user: BOB }));
    expect(theirs.body.type).toBe(4);
    expect(theirs.body.data.flags).toBe(64);
    expect(theirs.body.data.content).toMatch(/belong to someone else/);
    expect((await t.bot.services.repos.progress.get('100000000000000001', BOB.id)).entries).toEqual({});

    const list = await t.send(chatInput('resources'));
    const next = list.body.data.components[1].components[1];
    const copy = await t.send(button(next.custom_id, messageFrom(list.body.data), { user: BOB }));
    expect(copy.body.type).toBe(4);
    expect(copy.body.data.flags).toBe(64);
    expect(copy.body.data.components[1].components[0].custom_id).toContain(BOB.id);
  });

  it('marks with a note and shows progress bars per track and recent completions', async () => {
    const mark = await t.send(
      chatInput('progress', [sub('mark', [str('resource', FROM_SCRATCH), str('status', 'done'), str('note', 'Built GPT-2!\nloved it')])]),
    );
    expect(mark.body.data.content).toMatch(/Marked \*\*.*Transformers from Scratch.*\*\* as Done\. Note saved\./);
    const show = await t.send(chatInput('progress', [sub('show')]));
    const embed = show.body.data.embeds[0];
    expect(show.body.data.flags ?? 0).toBe(0);
    const tracks = embed.fields.find((f: any) => f.name === 'Tracks').value;
    expect(tracks).toMatch(/█+░* 2\/\d+ ARENA Chapter 1/);
    const recent = embed.fields.find((f: any) => f.name === 'Recently finished').value;
    expect(recent).toContain('> Built GPT-2! loved it');
    const other = await t.send(chatInput('progress', [sub('show', [user('member', BOB.id)])]));
    expect(other.body.data.content).toMatch(/<@300000000000000012> has not tracked any reading yet/);
    expect(other.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('suggests next reads whose prerequisites are done', async () => {
    const next = await t.send(chatInput('progress', [sub('next')], { user: BOB }));
    const text = next.body.data.embeds[0].description;
    expect(text).not.toContain('Indirect Object Identification');
    expect(next.body.data.embeds[0].description).toMatch(/^You have not finished anything yet/);
    // Alice finished 1.1 and 1.2, so 1.2's dependants (such as IOI) are unlocked for her, and 1.2 itself is not offered.
    const mine = await t.send(chatInput('progress', [sub('next')]));
    const resources = t.bot.services.registry.resources;
    const titles = [...mine.body.data.embeds[0].description.matchAll(/\*\*\d\.\*\* \[([^\]]+)\]/g)].map((m) => m[1]);
    expect(titles).toHaveLength(3);
    for (const title of titles) {
      const r = resources.find((x) => x.title.replace(/[[\]]/g, '') === title)!;
      for (const p of r.prerequisites) expect([INTRO, FROM_SCRATCH]).toContain(p);
      expect([INTRO, FROM_SCRATCH]).not.toContain(r.id);
    }
  });

  it('refuses an unknown resource and a forged status with clear errors', async () => {
    const reply = await t.send(chatInput('progress', [sub('mark', [str('resource', 'no such thing at all'), str('status', 'done')])]));
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toMatch(/^No resource "no such thing at all"/);
    const forged = await t.send(chatInput('progress', [sub('mark', [str('resource', INTRO), str('status', 'finished')])]));
    expect(forged.body.data.content).toMatch(/Unknown status/);
  });

  it('keeps progress and old buttons working across a restart', async () => {
    const detail = await t.send(chatInput('resources', [str('query', INTRO)]));
    await t.restart();
    const skip = buttonsOf(detail.body.data)[3];
    const after = await t.send(button(skip.custom_id, messageFrom(detail.body.data)));
    expect(after.body.data.content).toBe('Marked as Skipped.');
    expect((await t.bot.services.repos.progress.get('100000000000000001', ALICE.id)).entries[FROM_SCRATCH]?.status).toBe('done');
  });
});
