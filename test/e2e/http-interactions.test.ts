/**
 * HTTP interactions mode end to end: the real endpoint (startHttpBot, the production wiring for
 * INTERACTIONS_MODE=http) driven with fetch and requests signed by a key pair of our own, answering through the
 * loopback Discord's REST API, which records and schema-checks every callback, edit and digest post.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands as realCommands } from '../../commands/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseConfig } from '../../src/config.ts';
import { defineCommand, type Command } from '../../src/discord/command.ts';
import { startHttpBot, type HttpBot } from '../../src/http/start-http-bot.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { TEST_TOKEN } from '../harness/bot.ts';
import { spawnBot } from '../harness/child-bot.ts';
import { validatePayload } from '../harness/discord-spec.ts';
import { ADMIN, autocomplete, button, chatInput, messageFrom, str, sub } from '../harness/interactions.ts';
import { LoopbackDiscord, type CapturedRequest, type EmulatedGuild } from '../harness/loopback-discord.ts';

const GUILD = '100000000000000001';
const GENERAL = '200000000000000001';
const DIGEST_CHANNEL = '200000000000000002';
const at = (iso: string) => new Date(iso).getTime();

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, hex: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex') };
}

/** A command that waits until the test releases it, to observe what happens while a handler is running. */
function gatedCommand() {
  let release!: () => void;
  let started!: () => void;
  const gate = { released: new Promise<void>((r) => (release = r)), started: new Promise<void>((r) => (started = r)), release: () => release() };
  const command = defineCommand({
    data: { name: 'slow', description: 'Answers when the test says so' },
    async execute(interaction) {
      started();
      await gate.released;
      await interaction.reply({ content: 'finally', flags: MessageFlags.Ephemeral });
    },
  });
  return { gate, command };
}

interface HttpTestBot {
  discord: LoopbackDiscord;
  bot: HttpBot;
  clock: ManualClock;
  url: string;
  privateKey: KeyObject;
  /** Added to Date.now() for the endpoint's timestamp check, to replay requests "later". */
  skewMs: number;
  logs: string[];
  /** POSTs a body signed with our key (or another), with optional tampering. */
  post(body: string | Buffer, options?: { key?: KeyObject; timestamp?: string; signature?: string; headers?: Record<string, string>; tamper?: (body: Buffer) => Buffer }): Promise<Response>;
  /** Sends an interaction, expects 202, and resolves with the callback the bot sent through REST. */
  send(payload: any): Promise<CapturedRequest>;
  close(): Promise<void>;
}

async function startHttpTestBot(options: { guilds?: EmulatedGuild[]; commands?: readonly Command<any>[]; log?: Logger } = {}): Promise<HttpTestBot> {
  const discord = new LoopbackDiscord({ guilds: options.guilds });
  await discord.start();
  const dir = mkdtempSync(join(tmpdir(), 'induction-http-'));
  const clock = new ManualClock(at('2026-03-02T12:00:00Z'));
  const { privateKey, hex } = keyPair();
  const logs: string[] = [];
  // No token given to the logger, so its masking cannot hide a leak from this test.
  const log = options.log ?? createLogger({ level: 'trace', destination: { write: (line: string) => void logs.push(line) } as never });
  const config = parseConfig({
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_APPLICATION_ID: '900000000000000001',
    DISCORD_API_URL: discord.apiBase,
    STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    LOG_LEVEL: 'silent',
    INTERACTIONS_MODE: 'http',
    DISCORD_PUBLIC_KEY: hex,
    PORT: '0',
  });
  const harness: HttpTestBot = {
    discord,
    clock,
    privateKey,
    skewMs: 0,
    logs,
    bot: undefined as never,
    url: '',
    async post(body, o = {}) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      const timestamp = o.timestamp ?? String(Math.floor(Date.now() / 1000));
      const signature = o.signature ?? sign(null, Buffer.concat([Buffer.from(timestamp), bytes]), o.key ?? privateKey).toString('hex');
      return fetch(harness.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp, ...o.headers },
        body: o.tamper ? o.tamper(bytes) : bytes,
      });
    },
    async send(payload) {
      const response = await harness.post(JSON.stringify(payload));
      expect(response.status).toBe(202);
      expect(await response.text()).toBe('');
      return discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    },
    async close() {
      await harness.bot.stop();
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  harness.bot = await startHttpBot({
    config,
    log,
    clock,
    commands: options.commands,
    clientOverrides: { rest: { retries: 0, timeout: 3_000 } } as never,
    schedulerTimers: false,
    listen: { port: 0, host: '127.0.0.1' },
    now: () => Date.now() + harness.skewMs,
  });
  harness.url = `http://127.0.0.1:${harness.bot.port}${harness.bot.path}`;
  await harness.bot.scheduler.settled();
  return harness;
}

const lookup = (term: string) => chatInput('glossary', [sub('lookup', [str('term', term)])]);
const PING = JSON.stringify({ id: '123456789012345678', application_id: '900000000000000001', type: 1, token: 'ping-token', version: 1 });

describe('HTTP interactions endpoint', () => {
  let t: HttpTestBot;
  const gated = gatedCommand();
  beforeAll(async () => {
    t = await startHttpTestBot({
      commands: [...realCommands, gated.command],
      guilds: [
        {
          id: GUILD,
          name: 'Study Server',
          channels: [
            { id: GENERAL, name: 'general' },
            { id: DIGEST_CHANNEL, name: 'cohort' },
          ],
        },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    expect(t.discord.violations()).toEqual([]);
    t.skewMs = 0;
    t.clock.advance(60_000); // past the /glossary per-channel cooldown
  });

  it('fetches the bot user and the guild list through REST at startup, without a gateway', () => {
    expect(t.discord.identifies).toEqual([]);
    expect(t.discord.requests.some((r) => r.method === 'GET' && r.path === '/users/@me')).toBe(true);
    expect(t.discord.requests.some((r) => r.method === 'GET' && r.path === '/users/@me/guilds')).toBe(true);
    expect(t.bot.client.user?.id).toBe('900000000000000001');
    expect([...t.bot.guildIds]).toEqual([GUILD]);
    // The token reaches REST as the Authorization header and nowhere else.
    expect(t.discord.requests[0]!.headers.authorization).toBe(`Bot ${TEST_TOKEN}`);
  });

  it('answers PING with 200 {"type":1} as application/json, a valid callback body', async () => {
    const before = t.discord.requests.length;
    const response = await t.post(PING);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = await response.json();
    expect(body).toEqual({ type: 1 });
    expect(validatePayload('callback', body)).toEqual([]);
    expect(t.discord.requests.length).toBe(before); // PING never touches REST
  });

  it('serves /glossary lookup term:induction-head: 202, then the glossary card through the REST callback', async () => {
    const payload = lookup('induction-head');
    const callback = await t.send(payload);
    expect(callback.path).toBe(`/interactions/${payload.id}/${payload.token}/callback`);
    expect(callback.violations).toEqual([]);
    expect(callback.body.type).toBe(4);
    const embed = callback.body.data.embeds[0];
    expect(embed.title).toBe('Induction head');
    expect(embed.description.length).toBeGreaterThan(80);
    expect(embed.url).toMatch(/^https:\/\//); // the title links to the source
    expect(callback.body.data.flags ?? 0).toBe(0);
    expect(callback.body.data.allowed_mentions).toMatchObject({ parse: [] });
    // The reply asked for the created message, which feeds the same-channel cooldown, exactly as over the gateway.
    expect(callback.query.get('with_response')).toBe('true');
    const again = await t.send(lookup('induction-head'));
    expect(again.body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(again.body.data.content).toMatch(/was explained in this channel just now: https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/);
  });

  it('serves autocomplete and component interactions (did-you-mean button) the same way', async () => {
    const ac = await t.send(autocomplete('glossary', [sub('lookup', [str('term', 'indcution hed', true)])]));
    expect(ac.body.type).toBe(8);
    expect(ac.body.data.choices[0]).toEqual({ name: 'Induction head', value: 'induction-head' });
    const miss = await t.send(lookup('indction'));
    const suggestion = miss.body.data.components[0].components[0];
    const press = await t.send(button(suggestion.custom_id, messageFrom(miss.body.data)));
    expect(press.body.type).toBe(4);
    expect(press.body.data.embeds[0].title).toBe(suggestion.label);
  });

  it('answers 202 at once while the handler is still running, and the handler still answers afterwards', async () => {
    const payload = chatInput('slow');
    const response = await t.post(JSON.stringify(payload));
    expect(response.status).toBe(202);
    await gated.gate.started;
    expect(t.discord.requests.some((r) => r.path.includes(`/${payload.id}/`))).toBe(false);
    gated.gate.release();
    const callback = await t.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'finally', flags: 64 } });
  });

  describe('signature suite: every bad request is refused before anything runs', () => {
    let before: number;
    const payload = lookup('superposition');
    const body = JSON.stringify(payload);
    const nothingReachedDiscord = () => {
      expect(t.discord.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    };
    beforeAll(() => {
      before = t.discord.requests.length;
    });

    it('401 for a tampered body (one byte changed, or bytes appended)', async () => {
      const flipped = await t.post(body, { tamper: (b) => Buffer.from(b.toString().replace('superposition', 'superpositiom')) });
      expect(flipped.status).toBe(401);
      expect(await flipped.json()).toEqual({ error: 'invalid request signature' });
      expect((await t.post(body, { tamper: (b) => Buffer.concat([b, Buffer.from(' ')]) })).status).toBe(401);
      expect((await t.post(body, { tamper: (b) => Buffer.from(JSON.stringify({ ...JSON.parse(b.toString()), type: 1 })) })).status).toBe(401);
      nothingReachedDiscord();
    });

    it('401 for a replayed request: old timestamp, or a captured request sent again 6 minutes later', async () => {
      const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
      expect((await t.post(body, { timestamp: old })).status).toBe(401);
      const future = String(Math.floor(Date.now() / 1000) + 6 * 60);
      expect((await t.post(body, { timestamp: future })).status).toBe(401);
      t.skewMs = 6 * 60_000;
      expect((await t.post(PING)).status).toBe(401);
      nothingReachedDiscord();
    });

    it('401 for a signature made with another key', async () => {
      const other = keyPair();
      const response = await t.post(body, { key: other.privateKey });
      expect(response.status).toBe(401);
      expect((await t.post(PING, { key: other.privateKey })).status).toBe(401);
      nothingReachedDiscord();
    });

    it('401 for missing, short, non-hex or repeated signature headers, and missing or garbage timestamps', async () => {
      const bare = await fetch(t.url, { method: 'POST', body });
      expect(bare.status).toBe(401);
      expect((await t.post(body, { signature: '' })).status).toBe(401);
      expect((await t.post(body, { signature: 'abcd' })).status).toBe(401);
      expect((await t.post(body, { signature: 'zz'.repeat(64) })).status).toBe(401);
      expect((await t.post(body, { signature: 'ab'.repeat(1000) })).status).toBe(401);
      expect((await t.post(body, { timestamp: 'yesterday' })).status).toBe(401);
      const noTimestamp = await fetch(t.url, { method: 'POST', headers: { 'x-signature-ed25519': 'ab'.repeat(64) }, body });
      expect(noTimestamp.status).toBe(401);
      nothingReachedDiscord();
    });

    it('413 for a body over 1 MiB (declared or streamed), 405 for other methods, 404 for other paths', async () => {
      const huge = Buffer.alloc(1024 * 1024 + 1, 0x20);
      const declared = await t.post(huge);
      expect(declared.status).toBe(413);
      const streamed = await fetch(t.url, {
        method: 'POST',
        body: new ReadableStream({
          start(controller) {
            for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status).toBe(413);
      const get = await fetch(t.url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      expect((await fetch(t.url, { method: 'PUT', body })).status).toBe(405);
      expect((await fetch(t.url.replace('/interactions', '/'), { method: 'POST', body })).status).toBe(404);
      expect((await fetch(`${t.url}/extra`, { method: 'POST', body })).status).toBe(404);
      nothingReachedDiscord();
    });

    it('400 for correctly signed bodies that are not interactions, without crashing', async () => {
      expect((await t.post('{"type":')).status).toBe(400);
      expect((await t.post('')).status).toBe(400);
      expect((await t.post('[1,2,3]')).status).toBe(400);
      expect((await t.post('null')).status).toBe(400);
      expect((await t.post(Buffer.from([0xff, 0xfe, 0xfd]))).status).toBe(400);
      expect((await t.post('{"type":"2"}')).status).toBe(400);
      expect((await t.post('{"type":2}')).status).toBe(400); // no data, no user: discord.js cannot build it
      expect((await t.post('{"type":99,"id":"1","token":"x","application_id":"1","version":1}')).status).toBe(400);
      nothingReachedDiscord();
      // Still serving.
      expect((await t.post(PING)).status).toBe(200);
      expect((await t.send(lookup('superposition'))).body.data.embeds[0].title).toBe('Superposition');
    });

    it('survives raw protocol garbage and aborted uploads', async () => {
      const { connect } = await import('node:net');
      const port = t.bot.port;
      const garbageAnswer = await new Promise<string>((resolve) => {
        let answer = '';
        const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        socket.on('data', (d) => (answer += d));
        socket.on('close', () => resolve(answer));
        socket.on('error', () => resolve(answer));
      });
      expect(garbageAnswer).toMatch(/^HTTP\/1\.1 400 /);
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('POST /interactions HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"type":');
          setTimeout(() => socket.destroy(), 20);
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      expect((await t.post(PING)).status).toBe(200);
    });
  });

  it('sends deferred replies and their edits through REST (/digest preview)', async () => {
    await t.bot.services.repos.studyGroups.mutate(GUILD, (groups) => {
      groups.push({
        id: 'autumn-cohort',
        name: 'Autumn cohort',
        channelId: DIGEST_CHANNEL,
        roleId: null,
        everyone: false,
        members: [ADMIN.id],
        createdAt: t.clock.now(),
        createdBy: ADMIN.id,
        schedule: { weekday: 1, hour: 9, timezone: 'Europe/London', since: t.clock.now() },
        runs: [],
      });
    });
    const payload = chatInput('digest', [sub('preview', [str('group', 'autumn-cohort')])], { user: ADMIN });
    const deferred = await t.send(payload);
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await t.discord.waitFor((r) => r.kind === 'webhook-edit' && r.path.includes(`/${payload.token}/`));
    expect(edit.body.content).toMatch(/^Preview of the next digest/);
    expect(edit.body.embeds[0].title).toBe('Weekly digest: Autumn cohort');
  });

  it('posts a same-day digest through REST in HTTP mode, once, for a guild known from GET /users/@me/guilds', async () => {
    const posts = () => t.discord.channelMessages.get(DIGEST_CHANNEL) ?? [];
    t.clock.set(at('2026-03-09T08:59:00Z'));
    await t.bot.scheduler.tick();
    expect(posts()).toHaveLength(0);
    t.clock.set(at('2026-03-09T09:00:20Z'));
    await t.bot.scheduler.tick();
    expect(posts()).toHaveLength(1);
    const request = t.discord.requests.find((r) => r.kind === 'channel-message' && r.path === `/channels/${DIGEST_CHANNEL}/messages`)!;
    expect(request.violations).toEqual([]);
    expect(request.body.enforce_nonce).toBe(true);
    expect(request.body.allowed_mentions).toEqual({ parse: [] });
    expect(request.body.embeds[0].title).toBe('Weekly digest: Autumn cohort');
    await t.bot.scheduler.tick();
    expect(posts()).toHaveLength(1);
    const [group] = await t.bot.services.repos.studyGroups.list(GUILD);
    expect(group!.runs[0]).toMatchObject({ period: '2026-03-09', state: 'posted' });
  });

  it('schedules a reading session in HTTP mode: deferral, event, announcement, thread and edit through REST; one reminder', async () => {
    const payload = chatInput('session', [sub('schedule', [str('resource', 'zoom-in'), str('when', '2026-03-31 18:00'), str('group', 'autumn-cohort')])], { user: ADMIN });
    const deferred = await t.send(payload);
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await t.discord.waitFor((r) => r.kind === 'webhook-edit' && r.path.includes(`/${payload.token}/`));
    // 18:00 in London on 31 March is BST, 17:00 UTC.
    expect(edit.body.content).toMatch(/^Scheduled \*\*Zoom In: An Introduction to Circuits\*\* for <t:1774976400:F> \(Tue 31 Mar 2026, 18:00 Europe\/London/);
    expect(edit.body.content).toContain('Discord event');
    const event = t.discord.requests.find((r) => r.method === 'POST' && r.path === `/guilds/${GUILD}/scheduled-events`)!;
    expect(event.body.scheduled_start_time).toBe('2026-03-31T17:00:00.000Z');
    const [session] = (await t.bot.services.repos.sessions.all(GUILD)).sessions;
    expect(session).toMatchObject({ resourceId: 'zoom-in', channelId: DIGEST_CHANNEL, startsAt: at('2026-03-31T17:00:00Z'), eventId: expect.stringMatching(/^\d+$/) });
    expect(session!.threadId).not.toBeNull();
    const announcement = t.discord.requests.find((r) => r.method === 'POST' && r.path === `/channels/${DIGEST_CHANNEL}/messages` && r.body.components)!;
    expect(announcement.body.allowed_mentions).toMatchObject({ parse: [] });
    expect(t.discord.requests.some((r) => r.method === 'POST' && r.path === `/channels/${DIGEST_CHANNEL}/messages/${session!.messageId}/threads`)).toBe(true);

    // The 24-hour reminder goes out from the HTTP-mode scheduler, once, with an enforced nonce.
    const reminders = () => t.discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${session!.threadId}/messages` && r.body.enforce_nonce);
    t.clock.set(at('2026-03-30T16:59:00Z'));
    await t.bot.scheduler.tick();
    expect(reminders()).toHaveLength(0);
    t.clock.set(at('2026-03-30T17:00:30Z'));
    await t.bot.scheduler.tick();
    await t.bot.scheduler.tick();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('picks up guilds the bot joins when the guild list is refreshed', async () => {
    t.discord.guilds.push({ id: '100000000000000077', name: 'Joined Later', channels: [{ id: '200000000000000077', name: 'general' }] });
    await t.bot.refreshGuilds();
    expect([...t.bot.guildIds].sort()).toEqual([GUILD, '100000000000000077']);
    t.discord.guilds.pop();
    await t.bot.refreshGuilds();
    expect([...t.bot.guildIds]).toEqual([GUILD]);
    // Without GUILD_DELETE, leaving shows up as a missing guild: its data purge is scheduled, and undone on return.
    expect(await t.bot.services.repos.departedGuilds.leftAt('100000000000000077')).toBe(t.clock.now());
    t.discord.guilds.push({ id: '100000000000000077', name: 'Joined Later', channels: [{ id: '200000000000000077', name: 'general' }] });
    await t.bot.refreshGuilds();
    expect(await t.bot.services.repos.departedGuilds.leftAt('100000000000000077')).toBeUndefined();
    t.discord.guilds.pop();
    await t.bot.refreshGuilds();
  });

  it('reports health for HTTP mode', async () => {
    const health = await t.bot.health();
    expect(health).toMatchObject({ ok: true, mode: 'http', endpoint: 'listening', store: 'ok', guilds: 1 });
  });

  it('never logged the token, headers or signatures', () => {
    const all = t.logs.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain(TEST_TOKEN.split('.')[2]);
    expect(all.toLowerCase()).not.toContain('x-signature');
  });
});

describe('HTTP mode: guild paging and shutdown', () => {
  it('pages GET /users/@me/guilds with after= until a short page', async () => {
    const guilds: EmulatedGuild[] = Array.from({ length: 450 }, (_, i) => ({
      id: String(100000000000000000n + BigInt(i) * 4194304n),
      name: `Server ${i}`,
      channels: [],
    }));
    const t = await startHttpTestBot({ guilds });
    try {
      const pages = t.discord.requests.filter((r) => r.path === '/users/@me/guilds');
      expect(pages.map((r) => r.query.get('after'))).toEqual([null, guilds[199]!.id, guilds[399]!.id]);
      expect(pages.every((r) => r.query.get('limit') === '200')).toBe(true);
      expect(t.bot.guildIds.size).toBe(450);
    } finally {
      await t.close();
    }
  });

  it('stops accepting, finishes the interaction in flight (its callback goes out), then closes', async () => {
    const gated = gatedCommand();
    const t = await startHttpTestBot({ commands: [...realCommands, gated.command] });
    const payload = chatInput('slow');
    const response = await t.post(JSON.stringify(payload));
    expect(response.status).toBe(202);
    await gated.gate.started;
    let stopped = false;
    const stopping = t.bot.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    expect((await t.bot.health()).ok).toBe(false);
    await expect(fetch(t.url, { method: 'POST', body: PING })).rejects.toThrow();
    gated.gate.release();
    await stopping;
    const callback = t.discord.requests.find((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    expect(callback?.body.data.content).toBe('finally');
    await t.discord.stop();
  });

  it('refuses to start when Discord rejects the token, with a clear message', async () => {
    const discord = new LoopbackDiscord();
    await discord.start();
    discord.failNext((r) => r.path === '/users/@me', 401, { message: '401: Unauthorized', code: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'induction-http-'));
    try {
      const config = parseConfig({
        DISCORD_TOKEN: TEST_TOKEN,
        DISCORD_APPLICATION_ID: '900000000000000001',
        DISCORD_API_URL: discord.apiBase,
        STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
        INTERACTIONS_MODE: 'http',
        DISCORD_PUBLIC_KEY: keyPair().hex,
      });
      const start = startHttpBot({ config, log: createLogger({ level: 'silent' }), clientOverrides: { rest: { retries: 0 } } as never, listen: { port: 0, host: '127.0.0.1' } });
      await expect(start).rejects.toThrow(/^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/);
    } finally {
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTP mode as a process (src/index.ts)', () => {
  it('INTERACTIONS_MODE=http serves signed interactions and exits 0 on SIGTERM within 5 s', async () => {
    const discord = new LoopbackDiscord();
    await discord.start();
    const dir = mkdtempSync(join(tmpdir(), 'induction-http-proc-'));
    const { privateKey, hex } = keyPair();
    const child = spawnBot({
      DISCORD_API_URL: discord.apiBase,
      STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
      INTERACTIONS_MODE: 'http',
      DISCORD_PUBLIC_KEY: hex,
      PORT: '0',
    });
    try {
      await child.ready;
      const port = await new Promise<number>((resolve, reject) => {
        const deadline = Date.now() + 20_000;
        const poll = () => {
          const line = child
            .output()
            .split('\n')
            .find((l) => l.includes('"interactions endpoint listening"'));
          if (line) return resolve(JSON.parse(line).port);
          if (Date.now() > deadline) return reject(new Error(`endpoint never listened:\n${child.output()}`));
          setTimeout(poll, 50);
        };
        poll();
      });
      const post = (body: string) => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
        return fetch(`http://127.0.0.1:${port}/interactions`, { method: 'POST', headers: { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
      };
      expect(await (await post(PING)).json()).toEqual({ type: 1 });
      expect((await post('garbage')).status).toBe(400);
      const payload = lookup('induction-head');
      expect((await post(JSON.stringify(payload))).status).toBe(202);
      const callback = await discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
      expect(callback.body.data.embeds[0].title).toBe('Induction head');
      expect(discord.violations()).toEqual([]);
      expect(discord.identifies).toEqual([]);
      const started = Date.now();
      child.child.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(child.output()).not.toContain(TEST_TOKEN);
      expect(child.output()).toContain('"stopped"');
    } finally {
      if (child.child.exitCode === null) child.child.kill('SIGKILL');
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
