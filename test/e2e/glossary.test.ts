import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, autocomplete, bool, button, chatInput, messageFrom, select, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import { renderTermCard } from '../../src/render/glossary.ts';

/** Every character of the embed as sent (what Discord counts against its 6000 limit). */
const rawSize = (e: any) => (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.fields ?? []).reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);
/** Characters a reader meets on the card: links count as their label, since the URL is not shown. */
const cardSize = (e: any) => rawSize({ ...e, description: visible(e.description), fields: (e.fields ?? []).map((f: any) => ({ ...f, value: visible(f.value) })) });
const visible = (text = '') => text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<\/([^:>]+):\d+>/g, '/$1');

const lookup = (term: string, extra: any[] = [], where = {}) => chatInput('glossary', [sub('lookup', [str('term', term), ...extra])], where);

describe('/glossary through the loopback Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
    t.clock.advance(60_000); // past the per-channel cooldown
  });

  it('autocompletes a misspelt term to the right entry', async () => {
    const reply = await t.send(autocomplete('glossary', [sub('lookup', [str('term', 'indcution hed', true)])]));
    expect(reply.body.type).toBe(8);
    expect(reply.body.data.choices[0]).toEqual({ name: 'Induction head', value: 'induction-head' });
    expect(reply.body.data.choices.length).toBeLessThanOrEqual(25);
  });

  it('shows which alias matched and offers core terms for an empty query', async () => {
    const dla = await t.send(autocomplete('glossary', [sub('lookup', [str('term', 'DLA', true)])]));
    expect(dla.body.data.choices[0]).toEqual({ name: 'Direct logit attribution (DLA)', value: 'direct-logit-attribution' });
    const empty = await t.send(autocomplete('glossary', [sub('lookup', [str('term', '', true)])]));
    expect(empty.body.data.choices.length).toBeGreaterThanOrEqual(5);
    expect(empty.body.data.choices.map((c: any) => c.value)).toContain('mechanistic-interpretability');
  });

  it('answers a picked term publicly with a compact card: short definition, reading, source link, and the rest one click away', async () => {
    const reply = await t.send(lookup('induction-head'));
    const data = reply.body.data;
    expect(reply.body.type).toBe(4);
    expect(data.flags ?? 0).toBe(0);
    const embed = data.embeds[0];
    expect(embed.title).toBe('Induction head');
    // The title links to the source; the footer names it once, labelled.
    expect(embed.url).toMatch(/^https:\/\//);
    expect(embed.footer.text).toMatch(/^Source: .+ · Section: Induction Circuits$/);
    expect(embed.description.length).toBeGreaterThan(80);
    expect(cardSize(embed)).toBeLessThan(900);
    expect(embed.fields.find((f: any) => f.name === 'Read more').value).toContain(`</resources:${t.discord.commands.idOf('resources')}>`);
    const fieldNames = embed.fields.map((f: any) => f.name);
    expect(fieldNames).toContain('Read more');
    // Related terms live only in the menu (with one-line gists), not repeated as text.
    expect(fieldNames).not.toContain('Related terms');
    const [related, problems, buttons] = data.components.map((r: any) => r.components);
    expect(related[0].custom_id).toBe(`glossary:open:${ALICE.id}`);
    expect(related[0].options.every((o: any) => o.description.length <= 100)).toBe(true);
    // Problems that involve the term are named with their titles and open from a menu, not listed as bare ids.
    expect(problems[0].custom_id).toBe('problem:pick');
    expect(problems[0].options[0].label).toMatch(/^\S+ · \w/);
    const opened = await t.send(select('problem:pick', [problems[0].options[0].value], messageFrom(data), { user: BOB }));
    expect(opened.body.data.flags).toBe(64);
    expect(opened.body.data.embeds[0].title.startsWith(`${problems[0].options[0].value} · `)).toBe(true);
    expect(buttons.map((b: any) => b.custom_id)).toEqual([`glossary:full:induction-head:${ALICE.id}`, `glossary:delete:${ALICE.id}`]);
  });

  it('keeps every term card short, and expands the full definition in place', async () => {
    const registry = t.bot.services.registry;
    for (const term of registry.terms) {
      const card = renderTermCard(registry, term, ALICE.id, { publicOwner: ALICE.id });
      expect(cardSize(card.embeds[0]!), term.id).toBeLessThan(900);
      expect(rawSize(card.embeds[0]!), term.id).toBeLessThan(1400);
    }
    const reply = await t.send(lookup('induction-head'));
    const full = await t.send(button(`glossary:full:induction-head:${ALICE.id}`, messageFrom(reply.body.data)));
    expect(full.body.type).toBe(7);
    expect(full.body.data.embeds[0].description).toContain(registry.termById.get('induction-head')!.definition);
    expect(full.body.data.components.at(-1).components.map((b: any) => b.custom_id)).toEqual([`glossary:delete:${ALICE.id}`]);
  });

  it('lets only the asker delete a public answer; anyone else gets a private note', async () => {
    const reply = await t.send(lookup('superposition'));
    const press = (who = ALICE) => button(`glossary:delete:${ALICE.id}`, messageFrom(reply.body.data), { user: who });
    const bob = await t.send(press(BOB));
    expect(bob.body.data.flags).toBe(64);
    expect(bob.body.data.content).toBe(`Only <@${ALICE.id}>, who asked for this answer, can delete it.`);
    const mine = press();
    const ack = await t.send(mine);
    expect(ack.body.type).toBe(6);
    const deleted = await t.discord.waitFor((r) => r.method === 'DELETE' && r.path.includes(`/${mine.token}/messages/@original`));
    expect(deleted.method).toBe('DELETE');
  });

  it('suggests commands as clickable mentions', async () => {
    const miss = await t.send(lookup('qqqzzzxxx'));
    const id = t.discord.commands.idOf('glossary');
    expect(id).toBeDefined();
    expect(miss.body.data.content).toContain(`</glossary random:${id}>`);
  });

  it('resolves a typed abbreviation without autocomplete', async () => {
    const reply = await t.send(lookup('DLA'));
    expect(reply.body.data.embeds[0].title).toBe('Direct logit attribution');
  });

  it('answers privately when asked', async () => {
    const reply = await t.send(lookup('superposition', [bool('private', true)]));
    expect(reply.body.data.flags).toBe(64);
  });

  it('gives a nonsense query did-you-mean buttons, never an error or a guess', async () => {
    const reply = await t.send(lookup('indction'));
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toMatch(/^No term "indction"\. Did you mean: /);
    const buttons = reply.body.data.components[0].components;
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(3);
    const nonsense = await t.send(lookup('qqqzzzxxx'));
    expect(nonsense.body.data.content).toMatch(/^No term "qqqzzzxxx"/);
    // Nothing spelt close: no far-fetched suggestions.
    const far = await t.send(lookup('quantum blockchain'));
    expect(far.body.data.content).toMatch(/^No term "quantum blockchain" in the glossary, and nothing spelt close to it\./);
    expect(far.body.data.components).toEqual([]);
    // Pressing a suggestion answers with that term.
    const press = await t.send(button(buttons[0].custom_id, messageFrom(reply.body.data)));
    expect(press.body.type).toBe(4);
    expect(press.body.data.embeds[0].title).toBe(buttons[0].label);
  });

  it('opens a related term in place for the asker, and as a private copy for anyone else', async () => {
    const reply = await t.send(lookup('induction-head'));
    const menu = reply.body.data.components[0].components[0];
    const target = menu.options[0].value;
    const mine = await t.send(select(menu.custom_id, [target], messageFrom(reply.body.data)));
    expect(mine.body.type).toBe(7);
    expect(mine.body.data.embeds[0].title).toBe(menu.options[0].label);
    const theirs = await t.send(select(menu.custom_id, [target], messageFrom(reply.body.data), { user: BOB }));
    expect(theirs.body.type).toBe(4);
    expect(theirs.body.data.flags).toBe(64);
    expect(theirs.body.data.components[0].components[0].custom_id).toBe(`glossary:open:${BOB.id}`);
  });

  it('points to the answer just given when the same term is asked again in the same channel', async () => {
    const first = await t.send(lookup('grokking'));
    expect(first.query.get('with_response')).toBe('true');
    const second = await t.send(lookup('grokking'));
    expect(second.body.data.flags).toBe(64);
    expect(second.body.data.content).toMatch(/was explained in this channel just now: https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/);
    // ...with a way to get a private copy anyway.
    expect(second.body.data.components[0].components[0].custom_id).toBe('glossary:show:grokking:1');
    const copy = await t.send(button('glossary:show:grokking:1', messageFrom(second.body.data)));
    expect(copy.body.data.flags).toBe(64);
    expect(copy.body.data.embeds[0].title).toBe('Grokking');
    const elsewhere = await t.send(lookup('grokking', [], { channelId: '200000000000000002' }));
    expect(elsewhere.body.data.embeds[0].title).toBe('Grokking');
    t.clock.advance(31_000);
    const later = await t.send(lookup('grokking'));
    expect(later.body.data.embeds[0].title).toBe('Grokking');
  });

  it('gives /glossary random a real term', async () => {
    const reply = await t.send(chatInput('glossary', [sub('random')]));
    expect(reply.body.data.embeds[0].description.length).toBeGreaterThan(80);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['6,000 characters', 'x'.repeat(6000)],
    ['mentions', '@everyone <@&123456789012345678> <@300000000000000012>'],
    ['markdown and links', '**bold** [click](https://evil.example) `code` > quote'],
  ])('handles hostile input (%s) with a valid, ephemeral, non-pinging answer', async (_name, value) => {
    const reply = await t.send(lookup(value));
    expect(reply.body.data.flags).toBe(64);
    const content: string = reply.body.data.content ?? '';
    expect(content).not.toMatch(/@everyone|<@&?\d+>|\]\(https:\/\/evil/);
    expect(content.length).toBeLessThan(400);
    const ac = await t.send(autocomplete('glossary', [sub('lookup', [str('term', value, true)])]));
    expect(ac.body.type).toBe(8);
  });
});
