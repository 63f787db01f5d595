/**
 * /problem through the loopback Discord: draws, cards, claims and their lifecycle, the lists and admin actions.
 * Each group of tests uses its own server, so claims made in one never leak into another's expectations.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DAY_MS } from '../../src/domain/claims.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { sweepGuildClaims } from '../../src/store/repos/claims.ts';
import { problemTitle } from '../../src/render/problem-card.ts';
import { firstSentence, truncate } from '../../src/render/text.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import {
  ADMIN,
  ALICE,
  BOB,
  autocomplete,
  bool,
  button,
  chatInput,
  int,
  messageFrom,
  str,
  sub,
  user,
  type Actor,
  type OptionInput,
  type Where,
} from '../harness/interactions.ts';

const registry = loadRegistry(DATA_DIR);
const START = new Date('2026-03-02T12:00:00Z');
const T0 = START.getTime();
const D = (ms: number) => `<t:${Math.floor(ms / 1000)}:D>`;
const R = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;
const NO_PINGS = { parse: [], replied_user: false };
const MANAGERS_ONLY = 'Only members with the Manage Server permission can do that.';
/** A problem card's title: the id and the summary's first sentence. */
const titleOf = (p: { id: string } & Parameters<typeof problemTitle>[0]) => `${p.id} · ${problemTitle(p)}`;
const titleFor = (id: string) => titleOf(registry.problems.find((p) => p.id === id)!);
/** The card's body: the summary minus the sentence the title already shows. */
const bodyOf = (p: Parameters<typeof problemTitle>[0]) => {
  const first = firstSentence(p.summary!, 10_000);
  return problemTitle(p) === first ? p.summary!.slice(first.length).trim() : p.summary!;
};

const GUILDS = Array.from({ length: 8 }, (_, i) => ({
  id: String(100000000000000001n + BigInt(i)),
  name: `Study ${i}`,
  channels: [{ id: String(200000000000000001n + BigInt(i)), name: 'general' }],
}));
const at = (guild: number, actor: Actor = ALICE): Where => ({ guildId: GUILDS[guild]!.id, channelId: GUILDS[guild]!.channels[0]!.id, user: actor });
const problem = (name: string, options: OptionInput[], where: Where) => chatInput('problem', [sub(name, options)], where);
const members = (n: number, from = 100): Actor[] => Array.from({ length: n }, (_, i) => ({ id: String(300000000000000000n + BigInt(from + i)), username: `member${from + i}` }));

/** The exact callback for a private text answer. */
const privately = (content: string, extra: Record<string, unknown> = {}) => ({
  type: 4,
  data: { content, flags: 64, tts: false, enforce_nonce: false, allowed_mentions: NO_PINGS, ...extra },
});
const fieldsOf = (body: any): Record<string, string> => Object.fromEntries(body.data.embeds[0].fields.map((f: any) => [f.name, f.value]));
const idsOf = (body: any): string[] => body.data.components.flatMap((r: any) => r.components.map((c: any) => c.custom_id));

describe('/problem through the loopback Discord', () => {
  let t: TestBot;
  /** A clickable command mention, with the id the loopback Discord gave the command. */
  const M = (path: string) => `</${path}:${t.discord.commands.idOf(path.split(' ')[0]!)}>`;
  const guildClaims = (guild: number) => t.bot.services.repos.claims.guild(GUILDS[guild]!.id);
  const sweep = (guild: number) => sweepGuildClaims(t.bot.services.repos, GUILDS[guild]!.id, t.clock.now());
  /** The ephemeral follow-up a handler sent after updating a message. */
  const followUp = (payload: any) => t.discord.waitFor((r) => r.kind === 'webhook-create' && r.path.includes(`/${payload.token}`));

  beforeAll(async () => {
    t = await startTestBot({ guilds: GUILDS, now: START });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    expect(t.discord.violations()).toEqual([]);
  });

  describe('acceptance', () => {
    const G = 0;
    // Every group starts at the same moment, so its times read as offsets from T0.
    beforeAll(() => t.clock.set(START));
    const firstA = registry.problems.find((p) => p.difficulty === 'A')!;

    it('draws a verified A-rated unclaimed problem, titled by its summary, with Claim, Another one, Show terms, About this list and Delete', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const reply = await t.send(problem('random', [str('difficulty', 'A'), bool('unclaimed', true)], at(G)));
      expect(reply.body.type).toBe(4);
      expect(reply.body.data.flags).toBeUndefined();
      const embed = reply.body.data.embeds[0];
      expect(embed.title).toBe(titleOf(firstA));
      expect(embed.title).not.toMatch(/^Problem /);
      expect(embed.description ?? '').toBe(bodyOf(firstA));
      expect(fieldsOf(reply.body)).toMatchObject({ Difficulty: '**A** (A easiest, D hardest)', 'Working on it here': `Nobody yet. Press Claim, or use ${M('problem claim')}.` });
      // The list's caveat is a short footer tag, with the full text behind About this list, not a field on every card.
      expect(fieldsOf(reply.body).Caveat).toBeUndefined();
      expect(embed.footer.text).toMatch(/^200 COP · marked dated by its author: see About this list/);
      expect(idsOf(reply.body)).toEqual([
        `problem:claim:${firstA.id}`,
        `problem:another:${ALICE.id}:${firstA.id}:-:-:A:1`,
        `problem:terms:${firstA.id}`,
        'problem:about:concrete-open-problems',
        `problem:delete:${ALICE.id}`,
      ]);
      expect(reply.body.data.components[0].components.map((c: any) => c.label)).toEqual(['Claim', 'Another one', 'Show terms', 'About this list', 'Delete']);
      const about = await t.send(button('problem:about:concrete-open-problems', messageFrom(reply.body.data), at(G, BOB)));
      expect(about.body.data.flags).toBe(64);
      expect(about.body.data.embeds[0].description).toContain(registry.setById.get('concrete-open-problems')!.caveat!);
      vi.restoreAllMocks();
      for (let i = 0; i < 10; i++) {
        const draw = await t.send(problem('random', [str('difficulty', 'A'), bool('unclaimed', true)], at(G)));
        const drawn = registry.problems.find((p) => titleOf(p) === draw.body.data.embeds[0].title)!;
        expect([drawn.difficulty, drawn.idConfidence]).toEqual(['A', 'verified']);
      }
    });

    it('shows my name on the next draw of a problem I claimed, and leaves it out of unclaimed draws', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const card = await t.send(problem('random', [str('difficulty', 'A'), bool('unclaimed', true)], at(G)));
      const press = button(`problem:claim:${firstA.id}`, messageFrom(card.body.data), at(G));
      const update = await t.send(press);
      // Only the embed is replaced, so the card keeps its buttons and its draw's filters.
      expect(update.body.type).toBe(7);
      expect(update.body.data.components).toBeUndefined();
      expect(fieldsOf(update.body)['Working on it here']).toBe(`<@${ALICE.id}> · exploring · since ${D(T0)}`);
      expect((await followUp(press)).body).toEqual({
        content: `You claimed **${firstA.id}** as exploring. If you are working on it or mentoring instead, say so with ${M('problem claim')} (intent), and check in with ${M('problem checkin')} at least every 21 days.`,
        flags: 64,
        tts: false,
        enforce_nonce: false,
        allowed_mentions: NO_PINGS,
      });

      const again = await t.send(problem('random', [str('difficulty', 'A')], at(G, BOB)));
      expect(again.body.data.embeds[0].title).toBe(titleOf(firstA));
      expect(fieldsOf(again.body)['Working on it here']).toBe(`<@${ALICE.id}> · exploring · since ${D(T0)}`);
      const unclaimed = await t.send(problem('random', [str('difficulty', 'A'), bool('unclaimed', true)], at(G, BOB)));
      expect(unclaimed.body.data.embeds[0].title).not.toBe(titleOf(firstA));

      const list = await t.send(problem('claims', [], at(G, BOB)));
      expect(list.body.data.embeds[0].description).toBe(
        `**${firstA.id}** ${problemTitle(firstA, 70)}\n<@${ALICE.id}> · exploring · since ${D(T0)} · last check-in ${R(T0)}`,
      );
      expect(list.body.data.embeds[0].footer).toEqual({ text: 'Page 1 of 1 · 1 claim' });
    });

    it('still has the claim after a restart', async () => {
      await t.restart();
      const show = await t.send(problem('show', [str('id', firstA.id)], at(G)));
      expect(fieldsOf(show.body)['Working on it here']).toBe(`<@${ALICE.id}> · exploring · since ${D(T0)}`);
      const list = await t.send(problem('claims', [user('member', ALICE.id)], at(G)));
      expect(list.body.data.embeds[0].footer).toEqual({ text: 'Page 1 of 1 · 1 claim' });
    });
  });

  describe('a storm of 50 simultaneous claims on one problem', () => {
    beforeAll(() => {
      t.clock.set(START);
      // 50 callers wait on the loopback's request event at once.
      t.discord.setMaxListeners(60);
    });
    it('records all 50 in shared mode', async () => {
      const G = 1;
      const crowd = members(50);
      const replies = await Promise.all(crowd.map((m) => t.send(problem('claim', [str('id', '1.10'), str('intent', 'working')], at(G, m)))));
      expect(replies.every((r) => r.body.data.flags === 64 && r.body.data.content.startsWith('You claimed **1.10** (working on it).'))).toBe(true);
      const state = await guildClaims(G);
      expect(state.claims.filter((c) => c.status === 'active').map((c) => c.userId).sort()).toEqual(crowd.map((m) => m.id).sort());
      expect(state.history.filter((e) => e.action === 'claimed')).toHaveLength(50);
      const show = await t.send(problem('show', [str('id', '1.10')], at(G)));
      expect(fieldsOf(show.body)['Working on it here']).toMatch(/…and \d+ more$/);
    });

    it('gives exactly one winner in exclusive mode', async () => {
      const G = 2;
      const set = await t.send(problem('settings', [bool('exclusive', true)], at(G, ADMIN)));
      expect(set.body.data.content).toBe('Saved.');
      const crowd = members(50, 200);
      const replies = await Promise.all(crowd.map((m) => t.send(problem('claim', [str('id', '1.10'), str('intent', 'working')], at(G, m)))));
      const won = replies.filter((r) => r.body.data.content.startsWith('You claimed'));
      expect(won).toHaveLength(1);
      const state = await guildClaims(G);
      expect(state.claims).toHaveLength(1);
      const winner = state.claims[0]!.userId;
      const lost = replies.filter((r) => r.body.data.content.startsWith(`**1.10** is already claimed by <@${winner}> (working on it, since ${D(T0)}), and claims in this server are exclusive.`));
      expect(lost).toHaveLength(49);
    });
  });

  describe('the lifecycle ladder: claim, stale, check-in, stale, release', () => {
    beforeAll(() => t.clock.set(START));
    const G = 3;
    it('walks every step on the injectable clock and keeps the history', async () => {
      const claimedAt = t.clock.now();
      const claim = await t.send(
        problem('claim', [str('id', '2.1'), str('intent', 'working'), str('note', 'reading the IOI paper first'), str('link', 'https://github.com/alice/ioi')], at(G)),
      );
      expect(claim.body.data.content).toBe(`You claimed **2.1** (working on it). Check in with ${M('problem checkin')} at least every 21 days to keep it active.`);
      const line = `<@${ALICE.id}> · working on it · since ${D(claimedAt)}`;
      const extra = ` · [link](https://github.com/alice/ioi)\n> reading the IOI paper first`;
      expect(fieldsOf(claim.body)['Working on it here']).toBe(`${line}${extra}`);

      t.clock.advance(21 * DAY_MS - 1);
      expect(await sweep(G)).toEqual({ turnedStale: [], released: [] });
      t.clock.advance(1);
      const staleAt = t.clock.now();
      expect((await sweep(G)).turnedStale.map((c) => c.problemId)).toEqual(['2.1']);
      const stale = await t.send(problem('show', [str('id', '2.1')], at(G, BOB)));
      expect(fieldsOf(stale.body)['Working on it here']).toBe(`${line} · **stale**, released ${R(staleAt + 14 * DAY_MS)} without a check-in${extra}`);

      t.clock.advance(DAY_MS);
      const checkinAt = t.clock.now();
      const checkin = await t.send(problem('checkin', [str('id', '2.1'), str('note', 'found the name movers')], at(G)));
      expect(checkin.body).toEqual(
        privately(`Checked in on **2.1**. It was stale and is active again. It stays active until ${D(checkinAt + 21 * DAY_MS)} (21 days without a check-in).`),
      );

      t.clock.advance(21 * DAY_MS);
      const secondStaleAt = t.clock.now();
      expect((await sweep(G)).turnedStale).toHaveLength(1);
      t.clock.advance(14 * DAY_MS - 1);
      expect(await sweep(G)).toEqual({ turnedStale: [], released: [] });
      t.clock.advance(1);
      expect((await sweep(G)).released.map((c) => [c.userId, c.status])).toEqual([[ALICE.id, 'released']]);

      const after = await t.send(problem('show', [str('id', '2.1')], at(G, BOB)));
      const fields = fieldsOf(after.body);
      expect(fields['Working on it here']).toBe(`Nobody yet. Press Claim, or use ${M('problem claim')}.`);
      expect(fields['Recent activity']).toBe(
        [
          `${D(secondStaleAt + 14 * DAY_MS)} <@${ALICE.id}>'s claim was released (no check-in)`,
          `${D(secondStaleAt)} <@${ALICE.id}>'s claim turned stale (no check-in)`,
          `${D(checkinAt)} <@${ALICE.id}> checked in`,
        ].join('\n'),
      );
      const mine = await t.send(problem('mine', [], at(G)));
      expect(mine.body).toEqual(privately(`You have no claims in this server. Find a problem nobody here has taken with ${M('problem random')} (unclaimed: True), then press Claim.`, { embeds: [], components: [] }));
    });
  });

  describe('claiming, checking in, finishing and releasing', () => {
    beforeAll(() => t.clock.set(START));
    const G = 4;

    it('answers an unknown id privately with suggestions that open the problem', async () => {
      const reply = await t.send(problem('claim', [str('id', '1.100'), str('intent', 'working')], at(G)));
      expect(reply.body.data.flags).toBe(64);
      expect(reply.body.data.content).toMatch(/^No problem "1\.100"\. Did you mean: \*\*1\.10\*\* [A-Z]/);
      const buttons = reply.body.data.components[0].components;
      expect(buttons[0]).toEqual({ type: 2, style: 2, label: 'Show 1.10', custom_id: 'problem:show:1.10' });
      const open = await t.send(button(buttons[0].custom_id, messageFrom(reply.body.data), at(G)));
      expect(open.body.data.flags).toBe(64);
      expect(open.body.data.embeds[0].title).toBe(titleFor('1.10'));
      const hostile = await t.send(problem('show', [str('id', '@everyone <@300000000000000012> **x**')], at(G)));
      expect(hostile.body.data.flags).toBe(64);
      expect(hostile.body.data.content).not.toMatch(/@everyone|<@\d+>|\*\*x\*\*/);
    });

    it.each([
      ['javascript:alert(1)', 'only http:// and https:// links are allowed.'],
      ['ftp://example.org/file', 'only http:// and https:// links are allowed.'],
      ['my repo', 'it is not a URL. Paste the full address, starting with https://'],
    ])('refuses the link %s', async (link, why) => {
      const reply = await t.send(problem('claim', [str('id', '1.1'), str('intent', 'working'), str('link', link)], at(G)));
      expect(reply.body).toEqual(privately(`That link was not accepted: ${why}`));
      const done = await t.send(problem('done', [str('id', '1.1'), str('link', link)], at(G)));
      expect(done.body).toEqual(privately(`That link was not accepted: ${why}`));
      expect((await guildClaims(G)).claims).toEqual([]);
    });

    it('refuses a note over 200 characters', async () => {
      const reply = await t.send(problem('claim', [str('id', '1.1'), str('intent', 'working'), str('note', 'x'.repeat(201))], at(G)));
      expect(reply.body).toEqual(privately('Notes can be at most 200 characters (yours has 201).'));
    });

    it('enforces the cap and handles claiming the same problem twice', async () => {
      for (const id of ['1.1', '1.2', '1.3']) {
        const r = await t.send(problem('claim', [str('id', id), str('intent', 'exploring')], at(G)));
        expect(r.body.data.content).toBe(`You claimed **${id}** (exploring). Check in with ${M('problem checkin')} at least every 21 days to keep it active.`);
      }
      const over = await t.send(problem('claim', [str('id', '1.4'), str('intent', 'working')], at(G)));
      expect(over.body).toEqual(
        privately(`You already have 3 active claims (**1.1**, **1.2**, **1.3**), and the cap in this server is 3. Finish one with ${M('problem done')} or release one with ${M('problem unclaim')} first.`),
      );
      const twice = await t.send(problem('claim', [str('id', '1.1'), str('intent', 'writing-up')], at(G)));
      expect(twice.body.data.content).toBe(
        `You already had a claim on **1.1**, since ${D(T0)}. Intent changed from exploring to writing up. This counts as a check-in.`,
      );
      expect(fieldsOf(twice.body)['Working on it here']).toBe(`<@${ALICE.id}> · writing up · since ${D(T0)}`);
      const card = await t.send(problem('show', [str('id', '1.1')], at(G)));
      const press = await t.send(button('problem:claim:1.1', messageFrom(card.body.data), at(G)));
      expect(press.body).toEqual(
        privately(`You already claim **1.1** (writing up, since ${D(T0)}). Check in with ${M('problem checkin')}, or change your intent with ${M('problem claim')}.`),
      );
      expect((await guildClaims(G)).claims.filter((c) => c.userId === ALICE.id)).toHaveLength(3);
    });

    it('lets BOB join a shared problem and see ALICE, but not act on her claim', async () => {
      const join = await t.send(problem('claim', [str('id', '1.1'), str('intent', 'working')], at(G, BOB)));
      expect(join.body.data.content).toBe(
        `You claimed **1.1** (working on it). Also working on it here: <@${ALICE.id}> (writing up). Check in with ${M('problem checkin')} at least every 21 days to keep it active.`,
      );
      const unclaim = await t.send(problem('unclaim', [str('id', '1.2')], at(G, BOB)));
      expect(unclaim.body).toEqual(privately(`You have no active claim on **1.2**. See yours with ${M('problem mine')}, or claim it with ${M('problem claim')}.`));
      const release = await t.send(problem('release', [str('id', '1.2'), user('member', ALICE.id)], at(G, BOB)));
      expect(release.body).toEqual(privately(MANAGERS_ONLY));
    });

    it('checks in, records a write-up that shows as existing work, and unclaims', async () => {
      t.clock.advance(DAY_MS);
      const now = t.clock.now();
      const checkin = await t.send(problem('checkin', [str('id', '1.2'), str('note', 'tried 3 neurons')], at(G)));
      expect(checkin.body).toEqual(privately(`Checked in on **1.2**. It stays active until ${D(now + 21 * DAY_MS)} (21 days without a check-in).`));

      const done = await t.send(problem('done', [str('id', '1.3'), str('link', 'https://example.org/posts/1.3 (draft)')], at(G)));
      expect(done.body.data.content).toBe('Recorded your write-up for **1.3** and closed your claim. It now shows on the problem as existing work in this server.');
      const link = 'https://example.org/posts/1.3%20%28draft%29';
      expect(fieldsOf(done.body)['Existing work here']).toBe(`<@${ALICE.id}> · [write-up](${link}) · ${D(now)}`);
      const show = await t.send(problem('show', [str('id', '1.3')], at(G, BOB)));
      expect(fieldsOf(show.body)).toMatchObject({
        'Working on it here': `Nobody yet. Press Claim, or use ${M('problem claim')}.`,
        'Existing work here': `<@${ALICE.id}> · [write-up](${link}) · ${D(now)}`,
        'Recent activity': `${D(now)} <@${ALICE.id}> finished it: [write-up](${link})\n${D(T0)} <@${ALICE.id}> claimed it`,
      });

      const unclaim = await t.send(problem('unclaim', [str('id', '1.2')], at(G)));
      expect(unclaim.body).toEqual(privately("Released your claim on **1.2**. It stays in the problem's history."));
      const again = await t.send(problem('unclaim', [str('id', '1.2')], at(G)));
      expect(again.body).toEqual(privately(`You have no active claim on **1.2**. See yours with ${M('problem mine')}, or claim it with ${M('problem claim')}.`));
    });

    it('lists my claims and finished work', async () => {
      const mine = await t.send(problem('mine', [], at(G)));
      const p11 = registry.problemByKey.get('concrete-open-problems:1.1')!;
      const p13 = registry.problemByKey.get('concrete-open-problems:1.3')!;
      
      expect(mine.body).toEqual({
        type: 4,
        data: {
          embeds: [
            {
              title: 'Your claims',
              description: `1 of 3 claims in use. Check in with ${M('problem checkin')} to keep a claim from going stale.`,
              color: 0x1abc9c,
              fields: [
                { name: 'Working on', value: `**1.1** ${problemTitle(p11, 60)}\nwriting up · since ${D(T0)} · check in by ${D(T0 + 21 * DAY_MS)}` },
                { name: 'Finished', value: `**1.3** ${problemTitle(p13, 60)}\n<@${ALICE.id}> · [write-up](https://example.org/posts/1.3%20%28draft%29) · ${D(T0 + DAY_MS)}` },
              ],
            },
          ],
          components: [
            {
              type: 1,
              components: [
                {
                  type: 3,
                  custom_id: 'problem:pick',
                  placeholder: 'Open a problem',
                  options: [p11, p13].map((p) => ({ label: truncate(`${p.id} · ${problemTitle(p)}`, 100), value: p.id })),
                },
              ],
            },
          ],
          flags: 64,
          tts: false,
          enforce_nonce: false,
          allowed_mentions: NO_PINGS,
        },
      });
    });
  });

  describe('admin actions and settings, checked on the server', () => {
    beforeAll(() => t.clock.set(START));
    const G = 5;

    it('lets anyone read the settings but only Manage Server change them', async () => {
      const view = await t.send(problem('settings', [], at(G)));
      expect(view.body.data.embeds[0].fields).toEqual([
        { name: 'Claims', value: 'Shared: several members may work on one problem.' },
        { name: 'Cap', value: '3 active claims per member', inline: true },
        { name: 'Stale after', value: '21 days without a check-in', inline: true },
        { name: 'Released after', value: '14 more days stale', inline: true },
      ]);
      const refused = await t.send(problem('settings', [int('cap', 10)], at(G)));
      expect(refused.body).toEqual(privately(MANAGERS_ONLY));
      expect(await t.bot.services.repos.guildSettings.get(GUILDS[G]!.id)).toMatchObject({ claimCap: 3 });
    });

    it('releases and pins any claim for a member with Manage Server, and records who did it', async () => {
      await t.send(problem('claim', [str('id', '3.1'), str('intent', 'working')], at(G, BOB)));
      await t.send(problem('claim', [str('id', '3.2'), str('intent', 'working')], at(G, BOB)));
      const pinRefused = await t.send(problem('pin', [str('id', '3.2'), user('member', BOB.id), bool('pinned', true)], at(G)));
      expect(pinRefused.body).toEqual(privately(MANAGERS_ONLY));

      const release = await t.send(problem('release', [str('id', '3.1'), user('member', BOB.id)], at(G, ADMIN)));
      expect(release.body).toEqual(privately(`Released <@${BOB.id}>'s claim on **3.1**. The history records that you did.`));
      expect((await guildClaims(G)).history.at(-1)).toMatchObject({ action: 'released', by: ADMIN.id, userId: BOB.id, problemId: '3.1' });
      const nothing = await t.send(problem('release', [str('id', '3.1'), user('member', BOB.id)], at(G, ADMIN)));
      expect(nothing.body).toEqual(privately(`<@${BOB.id}> has no active claim on **3.1**.`));

      const pin = await t.send(problem('pin', [str('id', '3.2'), user('member', BOB.id), bool('pinned', true)], at(G, ADMIN)));
      expect(pin.body).toEqual(privately(`Pinned <@${BOB.id}>'s claim on **3.2**: it no longer goes stale or gets released.`));
      t.clock.advance(100 * DAY_MS);
      expect(await sweep(G)).toEqual({ turnedStale: [], released: [] });
      const show = await t.send(problem('show', [str('id', '3.2')], at(G)));
      expect(fieldsOf(show.body)['Working on it here']).toBe(`<@${BOB.id}> · working on it · since ${D(T0)} · pinned`);
      const unpin = await t.send(problem('pin', [str('id', '3.2'), user('member', BOB.id), bool('pinned', false)], at(G, ADMIN)));
      expect(unpin.body).toEqual(
        privately(`Unpinned <@${BOB.id}>'s claim on **3.2**. Without a check-in it turns stale at the next sweep, counted from their last check-in ${R(T0)}.`),
      );
      expect((await sweep(G)).turnedStale.map((c) => c.problemId)).toEqual(['3.2']);
    });

    it('applies a new cap and exclusive mode, keeping claims that already exist', async () => {
      await t.send(problem('claim', [str('id', '3.2'), str('intent', 'exploring')], at(G)));
      const saved = await t.send(problem('settings', [bool('exclusive', true), int('cap', 1), int('stale_days', 7), int('release_days', 3)], at(G, ADMIN)));
      expect(saved.body.data.content).toBe('Saved. 1 problem already has several active claims; those stay, and nobody new can join them.');
      expect(saved.body.data.embeds[0].fields.map((f: any) => f.value)).toEqual([
        'Exclusive: one member per problem at a time.',
        '1 active claim per member',
        '7 days without a check-in',
        '3 more days stale',
      ]);
      const capped = await t.send(problem('claim', [str('id', '3.3'), str('intent', 'working')], at(G, BOB)));
      expect(capped.body.data.content).toBe(
        `You already have 1 active claim (**3.2**), and the cap in this server is 1. Finish one with ${M('problem done')} or release one with ${M('problem unclaim')} first.`,
      );
      expect((await guildClaims(G)).claims.filter((c) => c.problemId === '3.2' && c.status !== 'released')).toHaveLength(2);
    });
  });

  describe('/problem claims paging', () => {
    beforeAll(() => t.clock.set(START));
    const G = 6;
    it('pages through 23 claims ten at a time, filters by member and status', async () => {
      const crowd = members(23, 400);
      for (const [i, m] of crowd.entries()) {
        await t.send(problem('claim', [str('id', registry.problems[i]!.id), str('intent', 'working')], at(G, m)));
        t.clock.advance(1000);
      }
      const first = await t.send(problem('claims', [], at(G)));
      expect(first.body.data.flags).toBe(64);
      expect(first.body.data.embeds[0].title).toBe('Current claims in this server');
      expect(first.body.data.embeds[0].footer).toEqual({ text: 'Page 1 of 3 · 23 claims' });
      // Most recent activity first.
      expect(first.body.data.embeds[0].description.split('\n\n')).toHaveLength(10);
      expect(first.body.data.embeds[0].description).toMatch(new RegExp(`^\\*\\*${registry.problems[22]!.id.replace('.', '\\.')}\\*\\* `));
      // An "Open a problem" menu for the page, then Prev/Next.
      expect(first.body.data.components[0].components[0]).toMatchObject({ type: 3, custom_id: 'problem:pick' });
      expect(first.body.data.components[0].components[0].options).toHaveLength(10);
      expect(first.body.data.components[1].components).toEqual([
        { type: 2, style: 2, label: 'Prev', custom_id: 'problem:claims:0:-:current:p', disabled: true },
        { type: 2, style: 2, label: 'Next', custom_id: 'problem:claims:1:-:current:n', disabled: false },
      ]);
      const second = await t.send(button('problem:claims:1:-:current:n', messageFrom(first.body.data, at(G)), at(G)));
      expect(second.body.type).toBe(7);
      expect(second.body.data.embeds[0].footer).toEqual({ text: 'Page 2 of 3 · 23 claims' });
      const third = await t.send(button('problem:claims:2:-:current:n', messageFrom(second.body.data, at(G)), at(G)));
      expect(third.body.data.embeds[0].description.split('\n\n')).toHaveLength(3);
      expect(third.body.data.components[1].components.map((c: any) => [c.custom_id, c.disabled])).toEqual([
        ['problem:claims:1:-:current:p', false],
        ['problem:claims:2:-:current:n', true],
      ]);
      // A page past the end (the list shrank since the message was sent) shows the last page.
      const stale = await t.send(button('problem:claims:9:-:current:n', messageFrom(third.body.data, at(G)), at(G)));
      expect(stale.body.data.embeds[0].footer).toEqual({ text: 'Page 3 of 3 · 23 claims' });

      const one = await t.send(problem('claims', [user('member', crowd[0]!.id)], at(G)));
      expect(one.body.data.embeds[0].description).toMatch(new RegExp(`^Claims of <@${crowd[0]!.id}>\\.\\n\\n\\*\\*1\\.1\\*\\* `));
      const done = await t.send(problem('claims', [str('status', 'done')], at(G)));
      expect(done.body).toEqual(privately(`Finished work: none. See every claim with ${M('problem claims')} and status all.`, { embeds: [], components: [] }));
    });
  });

  describe('draw filters, Another one, Show terms and autocomplete', () => {
    beforeAll(() => t.clock.set(START));
    const G = 7;

    it('says which filter to relax when nothing matches', async () => {
      const reply = await t.send(problem('random', [str('set', 'open-problems-2025'), str('difficulty', 'A')], at(G)));
      const rated = registry.problems.filter((p) => p.difficulty === 'A').length;
      expect(reply.body).toEqual(
        privately(`No problem matches all of: difficulty A, in Open Problems 2025. Relax one filter: without \`set\`, ${rated} problems match; without \`difficulty\`, 32 problems match.`),
      );
      const category = await t.send(problem('random', [str('set', 'open-problems-2025'), str('category', '1')], at(G)));
      expect(category.body).toEqual(privately('No category "1" in Open Problems 2025. The categories are: M. Methods and foundations · A. Applications · S. Socio-technical challenges. Pick one from the list as you type.'));
    });

    it('draws from a set and category, marks unrated problems and says the set’s ids are ours behind About this list', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const reply = await t.send(problem('random', [str('set', 'open-problems-2025'), str('category', 'M')], at(G)));
      const op1 = registry.problems.find((p) => p.id === 'OP-1')!;
      const fields = fieldsOf(reply.body);
      expect(fields.Difficulty).toBe('Not rated by the source');
      expect(idsOf(reply.body)).toContain('problem:about:open-problems-2025');
      expect(fields.Category).toMatch(/^M\. \[Methods and foundations\]\(https:\/\//);
      expect(reply.body.data.embeds[0]).toMatchObject({ title: titleOf(op1), footer: { text: 'Open Problems 2025 · before citing an id, see About this list' } });
      const about = await t.send(button('problem:about:open-problems-2025', messageFrom(reply.body.data), at(G)));
      expect(about.body.data.embeds[0].description).toMatch(/does not number its problems\. The ids OP-1 to OP-32 are this bot's own/);
      expect(idsOf(reply.body)[1]).toBe(`problem:another:${ALICE.id}:OP-1:open-problems-2025:M:-:0`);
    });

    it('draws another one in place for the drawer, and as a private card for anyone else', async () => {
      vi.spyOn(Math, 'random').mockReturnValue(0);
      const card = await t.send(problem('random', [str('set', 'open-problems-2025'), str('category', 'M')], at(G)));
      const anotherId = idsOf(card.body)[1]!;
      const mine = await t.send(button(anotherId, messageFrom(card.body.data), at(G)));
      expect(mine.body.type).toBe(7);
      expect(mine.body.data.embeds[0].title).toBe(titleFor('OP-2'));
      expect(idsOf(mine.body)[1]).toBe(`problem:another:${ALICE.id}:OP-2:open-problems-2025:M:-:0`);
      const theirs = await t.send(button(anotherId, messageFrom(card.body.data), at(G, BOB)));
      expect(theirs.body.type).toBe(4);
      expect(theirs.body.data.flags).toBe(64);
      expect(idsOf(theirs.body)[1]).toBe(`problem:another:${BOB.id}:OP-2:open-problems-2025:M:-:0`);
    });

    it('shows a problem as an exact, public card', async () => {
      const p = registry.problemByKey.get('concrete-open-problems:1.10')!;
      const reply = await t.send(problem('show', [str('id', '1.10')], at(G)));
      expect(reply.body).toEqual({
        type: 4,
        data: {
          embeds: [
            {
              title: titleOf(p),
              url: p.url,
              description: bodyOf(p),
              color: 0x5865f2,
              fields: [
                { name: 'Category', value: `1. [Toy Language Models](${p.url})`, inline: true },
                { name: 'Topic', value: 'How do larger models differ?', inline: true },
                { name: 'Difficulty', value: '**B** (A easiest, D hardest)', inline: true },
                { name: 'Glossary terms', value: 'Composition score · Composition · Attention head · Attention-only transformer' },
                { name: 'Working on it here', value: `Nobody yet. Press Claim, or use ${M('problem claim')}.` },
              ],
              footer: { text: '200 COP · marked dated by its author: see About this list' },
            },
          ],
          components: [
            {
              type: 1,
              components: [
                { type: 2, style: 1, label: 'Claim', custom_id: 'problem:claim:1.10' },
                { type: 2, style: 2, label: 'Show terms', custom_id: 'problem:terms:1.10' },
                { type: 2, style: 2, label: 'About this list', custom_id: 'problem:about:concrete-open-problems' },
                { type: 2, style: 2, label: 'Delete', emoji: { name: '🗑️' }, custom_id: `problem:delete:${ALICE.id}` },
              ],
            },
          ],
          tts: false,
          enforce_nonce: false,
          allowed_mentions: NO_PINGS,
        },
      });
    });

    it('shows the glossary terms of a problem privately', async () => {
      const card = await t.send(problem('show', [str('id', '1.10')], at(G)));
      const terms = await t.send(button('problem:terms:1.10', messageFrom(card.body.data), at(G, BOB)));
      expect(terms.body.data.flags).toBe(64);
      const embed = terms.body.data.embeds[0];
      expect(embed.title).toMatch(/^Terms in 1\.10 · /);
      // One line per term (its gist), not the full definitions; each opens in full from the menu.
      const lines = embed.description.split('\n\n')[0].split('\n');
      expect(lines.map((l: string) => l.split('**')[1])).toEqual(['Composition score', 'Composition', 'Attention head', 'Attention-only transformer']);
      expect(lines.every((l: string) => l.length <= 160)).toBe(true);
      expect(embed.description).toContain(M('glossary lookup'));
      const menu = terms.body.data.components[0].components[0];
      expect(menu.custom_id).toBe(`glossary:open:${BOB.id}`);
      const opened = await t.send({ ...button(menu.custom_id, messageFrom({ ...terms.body.data, flags: 64 }), at(G, BOB)), data: { custom_id: menu.custom_id, component_type: 3, values: [menu.options[0].value] } });
      expect(opened.body.data.embeds[0].title).toBe('Composition score');
      const noTerms = await t.send(problem('show', [str('id', '5.24')], at(G)));
      expect(idsOf(noTerms.body)).toEqual(['problem:claim:5.24', 'problem:about:concrete-open-problems', `problem:delete:${ALICE.id}`]);
      expect(noTerms.body.data.embeds[0].description).toBe('The text of this problem was not recovered. Read it at the source.');
      expect(noTerms.body.data.embeds[0].footer).toEqual({ text: '200 COP · marked dated by its author: see About this list · numbering approximate' });
    });

    it('autocompletes ids, summary words and categories', async () => {
      const byId = await t.send(autocomplete('problem', [sub('show', [str('id', '1.1', true)])], at(G)));
      expect(byId.body.type).toBe(8);
      expect(byId.body.data.choices.slice(0, 3).map((c: any) => c.value)).toEqual(['1.1', '1.10', '1.11']);
      expect(byId.body.data.choices[0].name).toBe(truncate(`1.1 · ${registry.problems[0]!.summary!}`, 100));
      const words = await t.send(autocomplete('problem', [sub('show', [str('id', 'composition scores', true)])], at(G)));
      expect(words.body.data.choices.map((c: any) => c.value)).toContain('1.10');
      const op = await t.send(autocomplete('problem', [sub('claim', [str('id', 'op-3', true)])], at(G)));
      expect(op.body.data.choices[0].value).toBe('OP-3');
      const categories = await t.send(autocomplete('problem', [sub('random', [str('set', 'concrete-open-problems'), str('category', 'toy', true)])], at(G)));
      expect(categories.body.data.choices[0]).toEqual({ name: '1. Toy Language Models (200 COP)', value: '1' });
      const all = await t.send(autocomplete('problem', [sub('random', [str('set', 'open-problems-2025'), str('category', '', true)])], at(G)));
      expect(all.body.data.choices.map((c: any) => c.value)).toEqual(['M', 'A', 'S']);
    });

    it('autocompletes check-in ids from my own claims first', async () => {
      await t.send(problem('claim', [str('id', '9.1'), str('intent', 'working')], at(G)));
      const mine = await t.send(autocomplete('problem', [sub('checkin', [str('id', '', true)])], at(G)));
      expect(mine.body.data.choices.map((c: any) => c.value)).toEqual(['9.1']);
      const forBob = await t.send(autocomplete('problem', [sub('checkin', [str('id', '9.1', true)])], at(G, BOB)));
      expect(forBob.body.data.choices[0].value).toBe('9.1'); // no claims: falls back to every problem
      const admin = await t.send(autocomplete('problem', [sub('release', [str('id', '', true), user('member', ALICE.id)])], at(G, ADMIN)));
      expect(admin.body.data.choices.map((c: any) => c.value)).toEqual(['9.1']);
    });
  });
});
