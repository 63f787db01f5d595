import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { parseConfig } from '../../src/config.ts';
import { deployCommands } from '../../src/discord/deploy.ts';
import { ALICE, BOB, bool, channelMessage, chatInput, messageCommand, messageFrom, select, str, sub } from '../harness/interactions.ts';
import { validateMessageCommandInteraction } from '../harness/discord-spec.ts';
import { startTestBot, TEST_TOKEN, type TestBot } from '../harness/bot.ts';

const NAME = 'Explain jargon';

describe('"Explain jargon" and /glossary explain through the loopback Discord', () => {
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

  /** Invokes the context-menu command on a message, checking the interaction itself against the spec first. */
  const explain = (message: any, where = {}) => {
    const payload = messageCommand(NAME, message, where);
    expect(validateMessageCommandInteraction(payload)).toEqual([]);
    return t.send(payload);
  };
  const listed = (reply: any): string[] => reply.body.data.components[0].components[0].options.map((o: any) => o.value);

  it('is registered as a message command (type 3) by deploy-commands, in one valid bulk overwrite', async () => {
    const config = parseConfig({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_URL: t.discord.apiBase, DISCORD_GUILD_ID: '100000000000000001' });
    const { names } = await deployCommands(config, commands);
    expect(names).toContain(NAME);
    const put = t.discord.requests.filter((r) => r.kind === 'commands-put').at(-1)!;
    expect(put.violations).toEqual([]);
    const registered = put.body.find((c: any) => c.name === NAME);
    expect(registered).toEqual({ type: 3, name: NAME });
    const glossary = put.body.find((c: any) => c.name === 'glossary');
    expect(glossary.options.map((o: any) => o.name)).toContain('explain');
  });

  it('lists the terms of a realistic message privately, in message order, each with its gist', async () => {
    const message = channelMessage({ content: 'Can someone explain why the S-inhibition heads K-compose with the duplicate token heads? Is it like an induction head?' });
    const reply = await explain(message);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    const embed = reply.body.data.embeds[0];
    expect(embed.title).toBe('Jargon in this message: 4 terms');
    expect(listed(reply)).toEqual(['s-inhibition-head', 'k-composition', 'duplicate-token-head', 'induction-head']);
    const lines: string[] = embed.description.split('\n');
    expect(lines[0]).toMatch(/^\*\*S-inhibition head\*\* \(S-inhibition heads\): .{10,}/);
    expect(lines[1]).toMatch(/^\*\*K-composition\*\* \(K-compose\): /);
    expect(lines[3]).toMatch(/^\*\*Induction head\*\*: /);
    expect(reply.body.data.components[0].components[0].custom_id).toBe(`${NAME}:open`);
  });

  it('reads embed titles and descriptions too (a bot posting a paper summary)', async () => {
    const message = channelMessage(
      { content: '', embeds: [{ type: 'rich', title: 'New paper: sparse autoencoders at scale', description: 'We train SAEs on the residual stream of GPT-2 small.' }] },
      { id: '300000000000000099', username: 'arxiv-feed', bot: true },
    );
    const reply = await explain(message);
    expect(reply.body.data.flags).toBe(64);
    expect(listed(reply)).toEqual(['sparse-autoencoder', 'residual-stream', 'gpt-2']);
  });

  it('opens a listed term as its full card, privately, for whoever picks it', async () => {
    const reply = await explain(channelMessage({ content: 'DLA on the OV circuit of head 9.9' }));
    expect(listed(reply)).toEqual(['direct-logit-attribution', 'ov-circuit', 'attention-head']);
    const menu = reply.body.data.components[0].components[0];
    const list = messageFrom(reply.body.data);
    for (const who of [ALICE, BOB]) {
      const card = await t.send(select(menu.custom_id, ['ov-circuit'], list, { user: who }));
      expect(card.body.type).toBe(4);
      expect(card.body.data.flags).toBe(64);
      expect(card.body.data.embeds[0].title).toBe('OV circuit');
      expect(card.body.data.embeds[0].url).toMatch(/^https:\/\//); // the title links to the source
    }
    const gone = await t.send(select(menu.custom_id, ['no-such-term'], list));
    expect(gone.body.data.content).toMatch(/no longer in the glossary/);
  });

  it.each([
    ['greetings and logistics', { content: 'Hi all! Reading group moves to Thursday 6pm, see you there :wave:' }, /^No glossary terms in this message\. Look a term up yourself with/],
    ['ordinary English', { content: 'Pay attention: a cool feature, a bug in my loop. The model answered.' }, /^No glossary terms in this message\./],
    ['an empty message', { content: '' }, /^No glossary terms in this message\. It has no text to read\./],
    ['attachments only', { content: '', attachments: [{ filename: 'notes.pdf' }] }, /^No glossary terms in this message\. It only has attachments/],
    ['mentions and @everyone', { content: '@everyone @here <@300000000000000012> <@&123456789012345678> meeting at 5' }, /^No glossary terms in this message\./],
    ['links and code only', { content: 'https://example.com/sae `induction_head()`' }, /^No glossary terms in this message\./],
  ])('answers %s with the private empty state, never echoing a ping', async (_name, content, expected) => {
    const reply = await explain(channelMessage(content));
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.content).toMatch(expected);
    expect(reply.body.data.content).not.toMatch(/@everyone|@here|<@/);
    expect(reply.body.data.embeds ?? []).toEqual([]);
  });

  it('handles a 4,000-character message full of jargon with mentions, listing 25 terms and "+N more"', async () => {
    const terms = [...t.bot.services.registry.terms].filter((term) => !term.ambiguous?.length && term.term.length > 3).slice(0, 60);
    let content = '@everyone ' + terms.map((term) => term.term).join('. ') + '.';
    content = content.slice(0, 4000);
    const reply = await explain(channelMessage({ content }));
    expect(reply.body.data.flags).toBe(64);
    const embed = reply.body.data.embeds[0];
    expect(listed(reply).length).toBeLessThanOrEqual(25);
    expect(embed.description).toMatch(/\+\d+ more \(look them up with/);
    expect(embed.description).not.toMatch(/@everyone/);
    const total = Number(/: (\d+) terms$/.exec(embed.title)![1]);
    expect(total).toBeGreaterThan(25);
    expect(embed.description.split('\n').length).toBe(listed(reply).length + 1);
  });

  it('/glossary explain answers pasted text publicly, or privately when asked; bad input privately', async () => {
    const text = 'Trained an SAE on resid_pre; the dead latents worry me. See https://example.com and `W_OV`.';
    const pub = await t.send(chatInput('glossary', [sub('explain', [str('text', text)])]));
    expect(pub.body.data.flags ?? 0).toBe(0);
    expect(pub.body.data.embeds[0].title).toBe('Jargon in your text: 3 terms');
    expect(listed(pub)).toEqual(['sparse-autoencoder', 'residual-stream', 'dead-latents']);
    const priv = await t.send(chatInput('glossary', [sub('explain', [str('text', text), bool('private', true)])]));
    expect(priv.body.data.flags).toBe(64);
    const none = await t.send(chatInput('glossary', [sub('explain', [str('text', 'see you all on Thursday @everyone')])]));
    expect(none.body.data.flags).toBe(64);
    expect(none.body.data.content).toMatch(/^No glossary terms in your text\./);
    const empty = await t.send(chatInput('glossary', [sub('explain', [str('text', '   ')])]));
    expect(empty.body.data.flags).toBe(64);
    expect(empty.body.data.content).toMatch(/^Paste some text/);
    // A public list's menu opens a private card for anyone.
    const card = await t.send(select(`${NAME}:open`, ['dead-latents'], messageFrom(pub.body.data), { user: BOB }));
    expect(card.body.data.flags).toBe(64);
    expect(card.body.data.embeds[0].title).toBe('Dead latents');
  });

  it('is listed in /help as an Apps command', async () => {
    const reply = await t.send(chatInput('help'));
    expect(JSON.stringify(reply.body.data.embeds[0])).toContain(`**Apps → ${NAME}**`);
  });
});
