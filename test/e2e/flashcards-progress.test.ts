/**
 * Flashcards outside the glossary command: /progress show counts terms learned (stability at least 21 days), the
 * weekly digest gives the group's reviews and terms learned with names that never ping and a cap on names, and
 * /privacy export includes the review state that /privacy delete then removes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEARNED_STABILITY_DAYS, scheduleCard, type StoredCard } from '../../src/domain/flashcards.ts';
import { FLASHCARD_MEMBERS_LISTED } from '../../src/render/flashcard-digest.ts';
import { ADMIN, ALICE, BOB, button, channel, chatInput, messageFrom, str, sub, type Actor } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

const GUILD = '100000000000000001';
const COHORT = '200000000000000002';
const at = (iso: string) => new Date(iso).getTime();
const picks = (data: any) => (data.components ?? []).flatMap((r: any) => r.components).filter((b: any) => b.custom_id.startsWith('glossary:cardpick:'));
/** Twelve more members, so the digest has more names than it lists. */
const CROWD: Actor[] = Array.from({ length: 12 }, (_, i) => ({ id: String(300000000000000100n + BigInt(i)), username: `member${i}` }));

describe('flashcards in progress, the digest and privacy', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({
      now: new Date('2026-03-02T12:00:00Z'),
      guilds: [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }, { id: COHORT, name: 'cohort' }] }],
    });
    const created = await t.send(chatInput('studygroup', [sub('create', [str('name', 'Cohort'), channel('channel', COHORT)])], { user: ADMIN }));
    expect(created.body.data.content).toMatch(/^Created/);
    for (const user of [ALICE, BOB, ...CROWD]) await t.send(chatInput('studygroup', [sub('join', [str('name', 'cohort')])], { user }));
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
  });

  /** Answers `n` quiz cards through the real buttons, always the first choice; returns the terms answered. */
  const answer = async (user: Actor, n: number) => {
    const terms: string[] = [];
    let data = (await t.send(chatInput('glossary', [sub('quiz')], { user }))).body.data;
    for (let i = 0; i < n; i++) {
      const choice = picks(data)[0];
      terms.push(choice.custom_id.split(':')[2]);
      const answered = await t.send(button(choice.custom_id, messageFrom(data), { user }));
      expect(answered.body.type).toBe(7);
      const next = (answered.body.data.components ?? []).flatMap((r: any) => r.components).find((b: any) => b.custom_id.startsWith('glossary:cardnext:'));
      data = (await t.send(button(next.custom_id, messageFrom(answered.body.data), { user }))).body.data;
      t.clock.advance(60_000);
    }
    return terms;
  };

  /** Gives a member `n` learned cards, reviewed now: FSRS cards whose stability is past the threshold. */
  const learn = async (user: Actor, n: number) => {
    const now = t.clock.now();
    const terms = t.bot.services.registry.terms.slice(40, 40 + n).map((term) => term.id);
    await t.bot.services.repos.flashcards.update(GUILD, user.id, (current) => {
      const cards: Record<string, StoredCard> = { ...current.cards };
      for (const id of terms) {
        // Good, then Easy a month on, then Easy two months on: stability well past the threshold.
        let card = scheduleCard(null, 'good', now - 100 * 86_400_000);
        card = scheduleCard(card, 'easy', now - 70 * 86_400_000);
        card = scheduleCard(card, 'easy', now);
        expect(card.stability).toBeGreaterThanOrEqual(LEARNED_STABILITY_DAYS);
        cards[id] = { ...card, learnedAt: now };
      }
      const hour = Math.floor(now / 3_600_000);
      return { state: { ...current, cards, hours: [...current.hours, { hour, fresh: 0, repeat: n, repeatRight: n }] }, result: null };
    });
  };

  it('/progress show counts terms learned, and only learned ones', async () => {
    await answer(ALICE, 3);
    const fresh = await t.send(chatInput('progress', [sub('show')]));
    // Three first answers: nothing is learned yet (stability is days, not three weeks).
    expect(JSON.stringify(fresh.body.data)).toContain('0 glossary terms learned with flashcards');
    await learn(ALICE, 2);
    const shown = await t.send(chatInput('progress', [sub('show')]));
    expect(JSON.stringify(shown.body.data)).toContain('2 glossary terms learned with flashcards');
    // A member who never studied flashcards gets no flashcard line at all.
    const bob = await t.send(chatInput('progress', [sub('show')], { user: BOB }));
    expect(JSON.stringify(bob.body.data)).not.toContain('glossary term');
  });

  it('the digest gives the group’s reviews and terms learned; names never ping and are capped', async () => {
    await answer(BOB, 2);
    for (const [i, user] of CROWD.entries()) await learn(user, 1 + (i % 3));
    const payload = chatInput('digest', [sub('preview', [str('group', 'cohort')])], { user: ADMIN });
    await t.send(payload);
    const edit = await t.waitForEdit(payload);
    const section = edit.body.embeds.find((e: any) => e.title === 'Glossary flashcards');
    expect(section).toBeDefined();
    const crowdReviews = CROWD.reduce((n, _, i) => n + 1 + (i % 3), 0);
    const totalReviews = 3 + 2 /* Alice's learned cards */ + 2 /* Bob */ + crowdReviews;
    const totalLearned = 2 + crowdReviews;
    expect(section.description).toContain(`🃏 **${totalReviews}** reviews · 🎓 **${totalLearned}** terms learned`);
    const named = [...section.description.matchAll(/<@(\d+)>/g)].map((m: RegExpMatchArray) => m[1]);
    expect(named).toHaveLength(FLASHCARD_MEMBERS_LISTED);
    // Most learned first: the crowd members with three terms come before Bob, who learned none.
    expect(named).not.toContain(BOB.id);
    expect(section.description).toContain(`…and ${2 + CROWD.length - FLASHCARD_MEMBERS_LISTED} more members.`);
    // Mentions render as names but never ping: the message allows no mentions at all.
    expect(edit.body.allowed_mentions).toMatchObject({ parse: [] });
    expect(edit.body.allowed_mentions.users ?? []).toEqual([]);
  });

  it('/privacy export includes review state, and /privacy delete removes it', async () => {
    const exported = JSON.parse((await t.send(chatInput('privacy', [sub('export')]))).files[0]!.data.toString('utf8'));
    const stored = (await t.bot.services.repos.flashcards.get(GUILD, ALICE.id))!;
    const count = Object.keys(stored.cards).length;
    // Her quiz answers (a wrong one can come straight back) and the two learned cards.
    expect(count).toBeGreaterThanOrEqual(3);
    expect(exported.flashcards.cards).toHaveLength(count);
    const [termId, card] = Object.entries(stored.cards)[0]!;
    expect(exported.flashcards.cards).toContainEqual(
      expect.objectContaining({ termId, due: new Date(card.due).toISOString(), stability: card.stability, difficulty: card.difficulty, reviews: card.reps }),
    );
    expect(exported.flashcards.settings).toMatchObject({ newTermsPerDay: 10 });
    expect(exported.flashcards.answersPerHour.length).toBeGreaterThan(0);

    const ask = await t.send(chatInput('privacy', [sub('delete')]));
    const done = await t.send(button(ask.body.data.components[0].components[0].custom_id, messageFrom(ask.body.data)));
    expect(done.body.data.content).toContain(`Deleted ${count} glossary flashcards with their review history`);
    expect(await t.bot.services.repos.flashcards.get(GUILD, ALICE.id)).toBeUndefined();
    expect(await t.bot.services.repos.flashcards.guildMembers(GUILD)).not.toContain(ALICE.id);
    const after = JSON.parse((await t.send(chatInput('privacy', [sub('export')]))).files[0]!.data.toString('utf8'));
    expect(after.flashcards).toBeNull();
    // Bob's cards are untouched.
    expect(Object.keys((await t.bot.services.repos.flashcards.get(GUILD, BOB.id))!.cards)).toHaveLength(2);
  });
});
