import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyCard, fsrs, Rating, type Card } from 'ts-fsrs';
import { ALICE, BOB, autocomplete, bool, button, chatInput, int, messageFrom, str, sub } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const quiz = (options: any[] = [], where = {}) => chatInput('glossary', [sub('quiz', options)], where);
const review = (where = {}) => chatInput('glossary', [sub('review')], where);
const stats = (where = {}) => chatInput('glossary', [sub('stats')], where);

/** The buttons of a card, by custom_id action. */
const buttons = (data: any) => (data.components ?? []).flatMap((r: any) => r.components);
const picks = (data: any) => buttons(data).filter((b: any) => b.custom_id.startsWith('glossary:cardpick:'));
const parsePick = (customId: string) => {
  const [, , termId, reps, choice, owner, mode] = customId.split(':');
  return { termId: termId!, reps: Number(reps), choice: Number(choice), owner: owner!, mode: mode! };
};

describe('/glossary flashcards through the loopback Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ now: new Date('2026-03-02T12:00:00Z') });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  it('shows a private card with four choices, core terms first', async () => {
    const reply = await t.send(quiz());
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    const choices = picks(reply.body.data);
    expect(choices).toHaveLength(4);
    const first = parsePick(choices[0].custom_id);
    expect(first.termId).toBe('mechanistic-interpretability');
    expect(first.reps).toBe(0);
    expect(first.owner).toBe(ALICE.id);
    for (const b of choices) expect(b.custom_id.length).toBeLessThanOrEqual(100);
  });
});
