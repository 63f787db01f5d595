/**
 * Issue 13, findings 7 and 8 through the real bot: /progress next is personal and clickable (Open, Queue, Back),
 * and a resource's detail view has a way back to the list it replaced and clickable glossary terms.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, button, chatInput, messageFrom, select, str, sub, user, type Actor } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const CAROL: Actor = { id: '300000000000000021', username: 'carol' };
const ARENA_1_1 = 'arena-1-1-transformer-from-scratch';

describe('/progress next and the resource detail view', () => {
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

  const next = (who: Actor) => t.send(chatInput('progress', [sub('next')], { user: who }));
  const titlesOf = (data: any) => [...data.embeds[0].description.matchAll(/\*\*\d\.\*\* \[([^\]]+)\]/g)].map((m) => m[1]);
  const buttons = (data: any) => data.components.flatMap((row: any) => row.components);

  it('gives a member who finished a 10-hour ARENA tutorial different suggestions from a brand-new member', async () => {
    await t.send(chatInput('progress', [sub('mark', [str('resource', ARENA_1_1), str('status', 'done')])], { user: ALICE }));
    const fresh = (await next(BOB)).body.data;
    const alice = (await next(ALICE)).body.data;
    expect(fresh.flags).toBe(64);
    expect(titlesOf(fresh)).toHaveLength(3);
    expect(titlesOf(alice)).toHaveLength(3);
    expect(titlesOf(alice).filter((title) => titlesOf(fresh).includes(title))).toEqual([]);
    expect(alice.embeds[0].description).toMatch(/^Picked from the 1 thing you finished \(about 10 h\), aimed at intermediate level\./);
    expect(alice.embeds[0].description).toMatch(/\*\*1\.\*\* \[1\.2 Intro to Mech Interp\][^\n]*\n[^\n]*Unlocked by finishing \[1\.1\] Transformers from Scratch/);
    // Each description is a whole first sentence, never cut mid-sentence.
    for (const block of alice.embeds[0].description.split('\n\n').slice(1, 4)) expect(block.split('\n')[2]).toMatch(/[.!?]$/);
    // Command suggestions are clickable mentions.
    expect(alice.embeds[0].description).toMatch(/<\/progress show:\d+>/);
    // One row per suggestion: Open and Queue.
    expect(alice.components).toHaveLength(3);
    expect(alice.components[0].components.map((b: any) => b.label)).toEqual([expect.stringMatching(/^1\. Open /), 'Queue']);
  });

  it('opens a suggestion as its resource card with Back to the suggestions; marking keeps Back', async () => {
    const list = (await next(ALICE)).body.data;
    const open = await t.send(button(list.components[0].components[0].custom_id, messageFrom(list), { user: ALICE }));
    expect(open.body.type).toBe(7);
    const detail = open.body.data;
    const openedId = list.components[0].components[0].custom_id.split(':')[2];
    expect(detail.embeds[0].title).toBe(t.bot.services.registry.resourceById.get(openedId)!.title);
    const back = buttons(detail).find((b: any) => b.label === 'Back');
    expect(back.custom_id).toBe(`progress:next:${ALICE.id}`);

    const reading = await t.send(button(detail.components[0].components[1].custom_id, messageFrom(detail), { user: ALICE }));
    expect(reading.body.data.content).toBe('Marked as Reading.');
    expect(buttons(reading.body.data).find((b: any) => b.label === 'Back')?.custom_id).toBe(back.custom_id);

    const again = await t.send(button(back.custom_id, messageFrom(reading.body.data), { user: ALICE }));
    expect(again.body.type).toBe(7);
    expect(again.body.data.content).toBe('');
    expect(again.body.data.embeds[0].title).toBe('What to read next');
    // She is reading it now, so it is no longer suggested.
    expect(titlesOf(again.body.data)).not.toContain(titlesOf(list)[0]);
  });

  it('gives someone else pressing Open a private copy without Back, and refuses their Queue with a private note', async () => {
    const list = (await next(ALICE)).body.data;
    const [openBtn, queueBtn] = list.components[0].components;
    const theirs = await t.send(button(openBtn.custom_id, messageFrom(list), { user: CAROL }));
    expect(theirs.body.type).toBe(4);
    expect(theirs.body.data.flags).toBe(64);
    expect(buttons(theirs.body.data).some((b: any) => b.label === 'Back')).toBe(false);
    const queue = await t.send(button(queueBtn.custom_id, messageFrom(list), { user: CAROL }));
    expect(queue.body.data.flags).toBe(64);
    expect(queue.body.data.content).toMatch(/^These suggestions belong to someone else\. Run <\/progress next:\d+>/);
    expect((await t.bot.services.repos.progress.get(GUILD, CAROL.id)).entries).toEqual({});
  });

  it('queues a suggestion and redraws the list without it', async () => {
    const list = (await next(ALICE)).body.data;
    const [, queueBtn] = list.components[1].components;
    const resourceId = queueBtn.custom_id.split(':')[2];
    const queued = await t.send(button(queueBtn.custom_id, messageFrom(list), { user: ALICE }));
    expect(queued.body.type).toBe(7);
    expect(queued.body.data.content).toBe(`🕒 Queued **${titlesOf(list)[1]}**.`);
    expect(titlesOf(queued.body.data)).not.toContain(titlesOf(list)[1]);
    expect((await t.bot.services.repos.progress.get(GUILD, ALICE.id)).entries[resourceId]?.status).toBe('queued');
  });

  it('opens a resource from a list page, and Back returns to that page', async () => {
    const list = await t.send(chatInput('resources', [str('kind', 'paper')], { user: BOB }));
    const next = list.body.data.components[1].components[1];
    const page2 = (await t.send(button(next.custom_id, messageFrom(list.body.data), { user: BOB }))).body.data;
    const menu = page2.components[0].components[0];
    const detail = (await t.send(select(menu.custom_id, [menu.options[0].value], messageFrom(page2), { user: BOB }))).body.data;
    const back = buttons(detail).find((b: any) => b.label === 'Back');
    expect(back).toBeDefined();
    expect(back.custom_id.length).toBeLessThanOrEqual(100);
    const returned = await t.send(button(back.custom_id, messageFrom(detail), { user: BOB }));
    expect(returned.body.type).toBe(7);
    expect(returned.body.data.embeds[0].footer.text).toMatch(/^Page 2 of/);
    expect(returned.body.data.embeds[0].description).toMatch(/^Papers\./);
    expect(returned.body.data.components[0].components[0].options[0].value).toBe(menu.options[0].value);
    // A menu posted before this change (custom_id without the list state) still opens, just without Back.
    const old = await t.send(select(`resources:open:${BOB.id}`, [menu.options[0].value], messageFrom(page2), { user: BOB }));
    expect(old.body.type).toBe(7);
    expect(buttons(old.body.data).some((b: any) => b.label === 'Back')).toBe(false);
  });

  it('makes the detail view’s glossary terms a select that opens the term’s card privately', async () => {
    const detail = (await t.send(chatInput('resources', [str('query', 'arena-1-2-intro-mech-interp')], { user: BOB }))).body.data;
    expect(detail.embeds[0].fields.some((f: any) => f.name === 'Glossary terms')).toBe(false);
    const terms = detail.components.map((row: any) => row.components[0]).find((c: any) => c.type === 3);
    expect(terms.placeholder).toMatch(/^Glossary: \d+ terms? this uses$/);
    const card = await t.send(select(terms.custom_id, [terms.options[0].value], messageFrom(detail), { user: BOB }));
    expect(card.body.type).toBe(4);
    expect(card.body.data.flags).toBe(64);
    expect(card.body.data.embeds[0].title).toContain(terms.options[0].label);
  });

  it('answers /progress show about a member with nothing tracked privately, without advice aimed at the caller', async () => {
    const other = await t.send(chatInput('progress', [sub('show', [user('member', CAROL.id)])], { user: BOB }));
    expect(other.body.data.flags).toBe(64);
    expect(other.body.data.content).toBe(`<@${CAROL.id}> has not tracked any reading yet.`);
    const mine = await t.send(chatInput('progress', [sub('show')], { user: CAROL }));
    expect(mine.body.data.content).toMatch(/^You have not tracked any reading yet\. Get three personal suggestions with <\/progress next:\d+>/);
  });

  it('shows what a member finished in words, not "By kind: 1/11 guide"', async () => {
    const show = (await t.send(chatInput('progress', [sub('show')], { user: ALICE }))).body.data;
    const fields = show.embeds[0].fields;
    expect(fields.some((f: any) => f.name === 'By kind')).toBe(false);
    expect(fields.find((f: any) => f.name === 'Finished').value).toBe('1 tutorial · about 10 h of reading');
    // A public card: whoever asked can delete it, nobody else.
    const del = show.components.at(-1).components[0];
    expect(del).toMatchObject({ label: 'Delete', custom_id: `progress:delete:${ALICE.id}` });
    const refused = await t.send(button(del.custom_id, messageFrom(show), { user: BOB }));
    expect(refused.body.data).toMatchObject({ flags: 64, content: expect.stringMatching(/^Only <@\d+>, who asked for this answer, can delete it\./) });
  });
});
