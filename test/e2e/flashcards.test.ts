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

  const replay = new Map<string, { at: number; grade: Rating }[]>();
  let lastAnswer: { data: any; customId: string } | null = null;

  it('records 20 answers whose stored due dates equal what ts-fsrs computes for the same grades at the same instants', async () => {
    const set = await t.send(chatInput('glossary', [sub('settings', [int('daily-new', 20)])]));
    expect(set.body.data.content).toMatch(/New terms per day: \*\*20\*\*/);
    let data = (await t.send(quiz())).body.data;
    let rightCount = 0;
    for (let i = 0; i < 20; i++) {
      const choices = picks(data);
      expect(choices.length).toBe(4);
      const chosen = choices[(i * 7) % 4];
      const p = parsePick(chosen.custom_id);
      const at = t.clock.now();
      const answered = await t.send(button(chosen.custom_id, messageFrom(data)));
      expect(answered.body.type).toBe(7);
      const answer = answered.body.data;
      const right = answer.embeds[0].description.startsWith('✅');
      let grade = right ? Rating.Good : Rating.Again;
      // Hard and Easy re-grade some right answers.
      if (right) {
        rightCount++;
        const wanted = rightCount % 3 === 0 ? 'That was easy' : rightCount % 3 === 1 ? 'That was hard' : null;
        if (wanted) {
          const regrade = buttons(answer).find((b: any) => b.label === wanted);
          const regraded = await t.send(button(regrade.custom_id, messageFrom(answer)));
          expect(regraded.body.type).toBe(7);
          expect(regraded.body.data.embeds[0].description).toContain(wanted === 'That was easy' ? 'Graded **Easy**' : 'Graded **Hard**');
          grade = wanted === 'That was easy' ? Rating.Easy : Rating.Hard;
        }
      } else {
        expect(buttons(answer).some((b: any) => b.label === 'That was easy')).toBe(false);
      }
      expect(answer.embeds[0].description.length).toBeGreaterThan(80);
      replay.set(p.termId, [...(replay.get(p.termId) ?? []), { at, grade }]);
      lastAnswer = { data, customId: chosen.custom_id };
      t.clock.advance(4 * 60_000);
      const next = buttons(answer).find((b: any) => b.label === 'Next');
      data = (await t.send(button(next.custom_id, messageFrom(answer)))).body.data;
    }
    expect(rightCount).toBeGreaterThan(0);
    expect(rightCount).toBeLessThan(20);
    const record = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    const f = fsrs({ enable_fuzz: false });
    let compared = 0;
    for (const [termId, reviews] of replay) {
      let card: Card = createEmptyCard(new Date(reviews[0]!.at));
      for (const r of reviews) card = f.next(card, new Date(r.at), r.grade as never).card;
      const stored = record.cards[termId]!;
      expect(stored.due).toBe(card.due.getTime());
      expect(stored.stability).toBeCloseTo(card.stability, 10);
      expect(stored.reps).toBe(card.reps);
      compared += reviews.length;
    }
    expect(compared).toBe(20);
    // Some cards came back within the session (learning steps), so not every answer was a first sighting.
    expect(replay.size).toBeLessThan(20);
  });

  it('counts an old card pressed again only once, and gives another member a private note', async () => {
    const before = JSON.stringify(await t.bot.services.repos.flashcards.get(GUILD, ALICE.id));
    const again = await t.send(button(lastAnswer!.customId, messageFrom(lastAnswer!.data)));
    expect(again.body.type).toBe(4);
    expect(again.body.data.flags).toBe(64);
    expect(again.body.data.content).toMatch(/answered this card already, and it counted once/);
    const theirs = await t.send(button(lastAnswer!.customId, messageFrom(lastAnswer!.data), { user: BOB }));
    expect(theirs.body.data.flags).toBe(64);
    expect(theirs.body.data.content).toMatch(new RegExp(`belongs to <@${ALICE.id}>`));
    expect(JSON.stringify(await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))).toBe(before);
    expect(await t.bot.services.repos.flashcards.get(GUILD, BOB.id)).toBeUndefined();
  });

  it('brings the due cards back a day later, and a restart keeps everything', async () => {
    t.clock.advance(24 * 3_600_000);
    const now = t.clock.now();
    const record = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    const due = Object.entries(record.cards).filter(([, c]) => c.due <= now).sort((a, b) => a[1].due - b[1].due || (a[0] < b[0] ? -1 : 1));
    expect(due.length).toBeGreaterThan(0);
    const shown = await t.send(review());
    expect(parsePick(picks(shown.body.data)[0].custom_id).termId).toBe(due[0]![0]);
    const s = await t.send(stats());
    const fields = s.body.data.embeds[0].fields;
    expect(fields.find((f: any) => f.name === 'Due').value).toMatch(new RegExp(`^${due.length} now`));
    expect(fields.find((f: any) => f.name === 'Streak').value).toMatch(/^1 day/);

    await t.restart();
    expect(JSON.stringify(await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))).toBe(JSON.stringify(record));
    // The card drawn before the restart still answers.
    const answered = await t.send(button(picks(shown.body.data)[0].custom_id, messageFrom(shown.body.data)));
    expect(answered.body.type).toBe(7);
    const after = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    expect(after.cards[due[0]![0]]!.reps).toBe(record.cards[due[0]![0]]!.reps + 1);
    const s2 = await t.send(stats());
    expect(s2.body.data.embeds[0].fields.find((f: any) => f.name === 'Streak').value).toMatch(/^2 days/);
  });

  it('skips a term removed from data/ after it was scheduled', async () => {
    await t.bot.services.repos.flashcards.update(GUILD, ALICE.id, (current) => ({
      state: { ...current, cards: { ...current.cards, 'a-term-removed-since': { ...Object.values(current.cards)[0]!, due: 0, reps: 3 } } },
      result: null,
    }));
    const shown = await t.send(review());
    const first = picks(shown.body.data)[0];
    if (first) expect(parsePick(first.custom_id).termId).not.toBe('a-term-removed-since');
    const s = await t.send(stats());
    const seen = Object.keys((await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!.cards).length - 1;
    expect(s.body.data.embeds[0].fields.find((f: any) => f.name === 'Terms learned').value).toMatch(new RegExp(`of ${seen} seen$`));
    // An old card for the removed term moves on to the next card instead of failing.
    const old = await t.send(button(`glossary:cardpick:a-term-removed-since:3:0:${ALICE.id}:r`, messageFrom(shown.body.data)));
    expect(old.body.type).toBe(7);
    expect(old.body.data.content).toMatch(/no longer in the glossary, so it was skipped/);
  });

  it('survives a clock that goes backwards', async () => {
    t.clock.advance(-3 * 24 * 3_600_000);
    const data = (await t.send(quiz())).body.data;
    const choice = picks(data)[0];
    expect(choice).toBeDefined();
    const p = parsePick(choice.custom_id);
    const before = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!.cards[p.termId];
    const answered = await t.send(button(choice.custom_id, messageFrom(data)));
    expect(answered.body.type).toBe(7);
    const card = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!.cards[p.termId]!;
    expect(card.reps).toBe((before?.reps ?? 0) + 1);
    if (before?.lastReview) expect(card.lastReview).toBe(before.lastReview);
    const s = await t.send(stats());
    expect(s.body.data.embeds[0].title).toBe('Your flashcards');
    t.clock.advance(3 * 24 * 3_600_000);
  });

  it('filters by section and core terms, and refuses an unknown section privately', async () => {
    const core = await t.send(quiz([bool('core-only', true)], { user: BOB }));
    const p = parsePick(picks(core.body.data)[0].custom_id);
    expect(t.bot.services.registry.termById.get(p.termId)!.core).toBe(true);
    expect(p.mode).toBe('q1x');
    const section = await t.send(quiz([str('section', 'Linear Algebra')], { user: BOB }));
    const q = parsePick(picks(section.body.data)[0].custom_id);
    expect(t.bot.services.registry.termById.get(q.termId)!.section).toBe('Linear Algebra');
    const bad = await t.send(quiz([str('section', 'Astrology <@&1>')], { user: BOB }));
    expect(bad.body.data.flags).toBe(64);
    expect(bad.body.data.content).toMatch(/^No glossary section "Astrology 1"/);
    const ac = await t.send(autocomplete('glossary', [sub('quiz', [str('section', 'trans', true)])]));
    expect(ac.body.data.choices.map((c: any) => c.value)).toContain('Transformer Basics');
    // Nothing was stored for showing cards.
    expect(await t.bot.services.repos.flashcards.get(GUILD, BOB.id)).toBeUndefined();
  });
});
