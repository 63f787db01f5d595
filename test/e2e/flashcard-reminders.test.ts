import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, button, chatInput, int, messageFrom, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const at = (iso: string) => new Date(iso).getTime();
const buttons = (data: any) => (data.components ?? []).flatMap((r: any) => r.components);

describe('flashcard reminders through the loopback Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ now: new Date('2026-03-27T12:00:00Z') });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  const delivered = () => t.discord.dms.delivered.get(ALICE.id) ?? [];

  it('sends one DM a day at the local hour across the spring clock change, once per day across a restart', async () => {
    await t.send(chatInput('glossary', [sub('settings', [str('timezone', 'Europe/London')])]));
    // Three cards answered wrong stay due until they are reviewed.
    let data = (await t.send(chatInput('glossary', [sub('quiz')]))).body.data;
    for (let i = 0; i < 3; i++) {
      const pick = buttons(data).find((b: any) => b.custom_id.startsWith('glossary:cardpick:'));
      const answered = (await t.send(button(pick.custom_id, messageFrom(data)))).body.data;
      data = (await t.send(button(buttons(answered).find((b: any) => b.label === 'Next').custom_id, messageFrom(answered)))).body.data;
    }
    const on = await t.send(chatInput('glossary', [sub('remind', [str('state', 'on'), int('hour', 9)])]));
    expect(on.body.data.flags).toBe(64);
    expect(on.body.data.content).toMatch(/one DM at 09:00 Europe\/London .*starting tomorrow/);

    const sentAt: number[] = [];
    let restarted = false;
    for (let now = at('2026-03-27T12:00:00Z'); now <= at('2026-03-31T00:00:00Z'); now += 15 * 60_000) {
      const before = delivered().length;
      if (!restarted && now >= at('2026-03-29T08:30:00Z')) {
        // The restarted bot runs a pass at start-up too, before the clock moves on.
        await t.restart();
        restarted = true;
      }
      t.clock.set(now);
      await t.bot.scheduler.tick();
      for (let i = before; i < delivered().length; i++) sentAt.push(now);
    }
    // 09:00 GMT on Saturday; clocks go forward on Sunday 29 March, so 09:00 BST is 08:00 UTC.
    expect(sentAt).toEqual([at('2026-03-28T09:00:00Z'), at('2026-03-29T08:00:00Z'), at('2026-03-30T08:00:00Z')]);
    expect(restarted).toBe(true);
    expect(delivered()).toHaveLength(3);
    const dm = delivered()[0];
    expect(dm.embeds[0].title).toBe('Flashcards due');
    expect(dm.embeds[0].description).toMatch(/^You have \d+ glossary flashcards? due in \*\*Study Server\*\*/);
    expect(buttons(dm)[0].custom_id).toBe(`glossary:cardremindoff:${GUILD}:${ALICE.id}`);
    // DMs went through a DM channel opened once per process.
    expect(t.discord.requests.filter((r) => r.path === '/users/@me/channels').length).toBeLessThanOrEqual(2);
    const record = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    expect(record.reminder.lastDay).toBe('2026-03-30');
  });

  it('turns reminders off with a note in /glossary stats when the member does not accept DMs (50007)', async () => {
    t.discord.dms.closed.add(ALICE.id);
    const before = delivered().length;
    for (let now = at('2026-03-31T00:00:00Z'); now <= at('2026-04-01T12:00:00Z'); now += 30 * 60_000) {
      t.clock.set(now);
      await t.bot.scheduler.tick();
    }
    expect(delivered().length).toBe(before);
    const refused = t.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${t.discord.dms.channels.get(ALICE.id)}/messages` && r.at > 0);
    expect(refused.length).toBe(before + 1); // one attempt, then off
    const record = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    expect(record.reminder).toMatchObject({ on: false, offReason: 'dms-closed' });
    expect(await t.bot.services.repos.flashcards.reminderEntries(GUILD)).toEqual({});
    const stats = await t.send(chatInput('glossary', [sub('stats')]));
    const reminders = stats.body.data.embeds[0].fields.find((f: any) => f.name === 'Reminders').value;
    expect(reminders).toMatch(/Turned off on <t:\d+:d>: Discord would not deliver a DM to you/);
    // Turning them on again clears the note.
    t.discord.dms.closed.delete(ALICE.id);
    await t.send(chatInput('glossary', [sub('remind', [str('state', 'on')])]));
    expect((await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!.reminder).toMatchObject({ on: true, offReason: null, hour: 9 });
    const off = await t.send(chatInput('glossary', [sub('remind', [str('state', 'off')])]));
    expect(off.body.data.content).toMatch(/^Flashcard reminders are off/);
  });
});
