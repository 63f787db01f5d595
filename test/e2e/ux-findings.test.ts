/**
 * Issue 13, findings 9 and 10 through the real bot: the first digest ever, misses that deserve (or do not deserve)
 * a suggestion, labels instead of slugs, export wording and file names, and no hand-written commands.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE, channel, chatInput, str, sub, int } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import { GROUP_COLOUR } from '../../src/render/style.ts';

const GUILD = '100000000000000001';
const DIGEST_CHANNEL = '200000000000000002';

describe('issue 13 findings 9 and 10', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-02T12:00:00Z'),
      guilds: [{ id: GUILD, name: 'Mech Interp Club ✨', channels: [{ id: '200000000000000001', name: 'general' }, { id: DIGEST_CHANNEL, name: 'cohort' }] }],
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  const everyText = (data: any) => JSON.stringify(data);

  it('gives nonsense like "quantum blockchain" no did-you-mean, but still corrects a typo', async () => {
    const nonsense = (await t.send(chatInput('glossary', [sub('lookup', [str('term', 'quantum blockchain')])]))).body.data;
    expect(nonsense.flags).toBe(64);
    expect(nonsense.content).toMatch(/^No term "quantum blockchain" in the glossary, and nothing spelt close to it\./);
    expect(nonsense.content).not.toContain('Did you mean');
    expect(nonsense.components ?? []).toEqual([]);
    const typo = (await t.send(chatInput('glossary', [sub('lookup', [str('term', 'induction haed')])]))).body.data;
    expect(typo.content).toMatch(/Did you mean: \*\*Induction head/);
  });

  it('gives nonsense no did-you-mean anywhere else either: topics, resources, problem ids', async () => {
    const topic = (await t.send(chatInput('resources', [str('topic', 'quantum blockchain')]))).body.data;
    expect(topic.flags).toBe(64);
    expect(topic.content).toMatch(/^Unknown topic "quantum blockchain", and no topic is spelt close to it\./);
    const typoTopic = (await t.send(chatInput('resources', [str('topic', 'superpositon')]))).body.data;
    expect(typoTopic.content).toMatch(/Did you mean: \*\*Superposition\*\*/);
    const mark = (await t.send(chatInput('progress', [sub('mark', [str('resource', 'quantum blockchain'), str('status', 'done')])]))).body.data;
    expect(mark.content).toMatch(/^No resource "quantum blockchain"\. Pick one from the suggestions while typing\. Nothing is spelt close to it; browse with <\/resources:\d+>\.$/);
    const problem = (await t.send(chatInput('problem', [sub('show', [str('id', 'quantum blockchain')])]))).body.data;
    expect(problem.content).not.toContain('Did you mean');
  });

  it('answers a bad problem category with a suggestion: the close one, or the list to pick from', async () => {
    const typo = (await t.send(chatInput('problem', [sub('random', [str('category', 'Circuits in the wlid')])]))).body.data;
    expect(typo.flags).toBe(64);
    expect(typo.content).toMatch(/^No category "Circuits in the wlid"\. Did you mean: \*\*2\. Circuits In The Wild\*\*/);
    const nonsense = (await t.send(chatInput('problem', [sub('random', [str('category', 'quantum blockchain')])]))).body.data;
    expect(nonsense.content).toMatch(/^No category "quantum blockchain"\. The categories are: 1\. Toy Language Models · /);
  });

  it('shows labels, not slugs, in /resources', async () => {
    const list = (await t.send(chatInput('resources', [str('kind', 'reading-list')]))).body.data;
    expect(list.embeds[0].description).toMatch(/^Reading lists\./);
    expect(everyText(list.embeds)).not.toMatch(/reading-list|kind: /);
    for (const o of list.components[0].components[0].options) expect(o.description).toMatch(/^Reading list · /);
    const registration: any = [...t.discord.commands.scopes.values()].flat().find((c) => c.name === 'resources');
    const kinds = registration.options.find((o: any) => o.name === 'kind').choices;
    expect(kinds).toContainEqual({ name: 'Reading list', value: 'reading-list' });
  });

  it('exports with correct plurals, in a file named after the server and the date', async () => {
    await t.send(chatInput('progress', [sub('mark', [str('resource', 'arena-1-1-transformer-from-scratch'), str('status', 'done')])]));
    await t.send(chatInput('problem', [sub('claim', [str('id', '1.6'), str('intent', 'working')])]));
    const reply = await t.send(chatInput('privacy', [sub('export')]));
    expect(reply.body.data.content).toBe('Everything Induction stores about you in this server: 1 progress entry, 1 claim, 1 history entry and 0 study groups.');
    expect(reply.files[0]!.filename).toBe('induction-export-mech-interp-club-2026-03-02.json');
    const csv = chatInput('admin', [sub('export', [str('kind', 'claims')])], { user: ADMIN });
    await t.send(csv);
    const edit = await t.waitForEdit(csv);
    expect(edit.files[0]!.filename).toBe('induction-claims-mech-interp-club-2026-03-02.csv');
    expect(edit.body.content).toMatch(/^1 row of claims\./);
  });

  it('previews a first digest without "▲" or a comparison, one colour, every embed titled, ids with titles and links', async () => {
    await t.send(chatInput('studygroup', [sub('create', [str('name', 'Cohort'), channel('channel', DIGEST_CHANNEL)])], { user: ADMIN }));
    await t.send(chatInput('studygroup', [sub('join', [str('name', 'cohort')])], { user: ALICE }));
    await t.send(chatInput('digest', [sub('schedule', [int('weekday', 1), int('hour', 9), str('timezone', 'Europe/London'), str('group', 'cohort')])], { user: ADMIN }));
    t.clock.set(new Date('2026-03-04T10:00:00Z').getTime());
    const preview = chatInput('digest', [sub('preview', [str('group', 'cohort')])], { user: ADMIN });
    const reply = await t.send(preview);
    const payload = reply.body.type === 5 ? (await t.waitForEdit(preview)).body : reply.body.data;
    const embeds: any[] = payload.embeds;
    expect(embeds.length).toBeGreaterThan(1);
    expect(embeds[0].description).not.toMatch(/[▲▼]|compared with the week before/i);
    expect(embeds[0].description).toContain('🧩 **1 claim** on 1 problem');
    for (const e of embeds) {
      expect(e.title).toBeTruthy();
      expect(e.color).toBe(GROUP_COLOUR);
    }
    const text = everyText(embeds);
    expect(text).toMatch(/\[\*\*1\.6\*\* [^\]]+\]\(https:/);
    expect(text).not.toMatch(/🧩 1\.6/);
    expect(text).toMatch(/<\/problem claim:\d+>/);
  });
});
