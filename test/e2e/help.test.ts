import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, chatInput } from '../harness/interactions.ts';
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

  const text = (reply: any) => reply.body.data.embeds[0].fields.map((f: any) => `${f.name}\n${f.value}`).join('\n');
  const mention = (path: string) => `</${path}:${t.discord.commands.idOf(path.split(' ')[0]!)}>`;

  it('lists every command for an admin as clickable mentions, grouped and sorted, ephemerally, without pinging', async () => {
    const reply = await t.send(chatInput('help', [], { user: ADMIN }));
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(64);
    expect(reply.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const all = text(reply);
    for (const { data } of commands) expect(all).toContain(data.type === 3 ? `Apps → ${data.name}` : `</${data.name}`);
    expect(all).toContain(`${mention('help')} List what Induction can do`);
    expect(all).toContain(mention('digest schedule'));
    expect(all).toContain(mention('admin export'));
    const groups = reply.body.data.embeds[0].fields.map((f: any) => f.name);
    expect(groups.slice(0, 3)).toEqual(['Read and track', 'Look up', 'Open problems']);
    for (const field of reply.body.data.embeds[0].fields) {
      const paths = [...field.value.matchAll(/<\/([^:]+):\d+>/g)].map((m: any) => m[1]);
      expect(paths).toEqual([...paths].sort((a, b) => a.localeCompare(b)));
    }
    expect(reply.violations).toEqual([]);
  });

  it('shows a member only what they can use: no /digest, /admin or admin-only subcommands', async () => {
    const reply = await t.send(chatInput('help'));
    const member = text(reply);
    expect(member).not.toContain('</digest');
    expect(member).not.toContain('</admin');
    expect(member).not.toContain(mention('problem release'));
    expect(member).not.toContain(mention('studygroup create'));
    expect(member).toContain(mention('problem show'));
    expect(member).toContain(mention('privacy export'));
    expect(reply.body.data.embeds[0].fields.map((f: any) => f.name)).not.toContain('Server admin');
  });

  it('answers an unknown (stale) command instead of leaving it unanswered', async () => {
    const reply = await t.send(chatInput('no-such-command'));
    expect(reply.body.data.content).toMatch(/not available/);
    expect(reply.body.data.flags).toBe(64);
  });
});

describe('command mentions when Discord has no command ids', () => {
  it('starts anyway and falls back to code formatting', async () => {
    // Commands never deployed: GET on the commands route answers an empty list.
    const t = await startTestBot({ deployed: false });
    try {
      expect(t.discord.requests.some((r) => r.method === 'GET' && /\/applications\/\d+\/commands$/.test(r.path))).toBe(true);
      const reply = await t.send(chatInput('help'));
      expect(reply.body.data.embeds[0].fields[1].value).toContain('`/glossary lookup`');
      expect(JSON.stringify(reply.body)).not.toMatch(/<\/\w/);
    } finally {
      await t.close();
    }
  });

  it('starts when fetching the ids fails', async () => {
    const { LoopbackDiscord } = await import('../harness/loopback-discord.ts');
    const original = LoopbackDiscord.prototype.start;
    // Make every commands GET fail with a 500 from the moment the loopback starts.
    LoopbackDiscord.prototype.start = async function (this: InstanceType<typeof LoopbackDiscord>) {
      this.commands.failGet = 500;
      return original.call(this);
    };
    try {
      const t = await startTestBot();
      try {
        const reply = await t.send(chatInput('help'));
        expect(reply.body.data.embeds[0].fields[1].value).toContain('`/glossary lookup`');
      } finally {
        await t.close();
      }
    } finally {
      LoopbackDiscord.prototype.start = original;
    }
  });
});
