import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatInput } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';
import { commands } from '../../commands/index.ts';

describe('/help through the loopback Discord', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs in with only the Guilds intent', () => {
    expect(t.discord.identifies).toHaveLength(1);
    expect(t.discord.identifies[0].intents).toBe(1);
  });

  it('lists every command with its description, ephemerally, without pinging', async () => {
    const reply = await t.send(chatInput('help'));
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const description: string = reply.body.data.embeds[0].description;
    for (const { data } of commands) expect(description).toContain(data.type === 3 ? `Apps → ${data.name}` : `/${data.name}`);
    expect(description).toContain('List what Induction can do');
    expect(reply.violations).toEqual([]);
  });

  it('answers an unknown (stale) command instead of leaving it unanswered', async () => {
    const reply = await t.send(chatInput('no-such-command'));
    expect(reply.body.data.content).toMatch(/not available/);
    expect(reply.body.data.flags).toBe(64);
  });
});
