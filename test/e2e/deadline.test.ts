/**
 * The router's 3-second guarantee, in gateway and HTTP mode: a handler that has not answered by the margin is
 * deferred (privately by default, as an update for a component) and its later reply becomes an edit of the deferred
 * response; a reply whose visibility differs goes out as a follow-up. A fast handler is never deferred.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { commands as realCommands } from '../../commands/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseConfig } from '../../src/config.ts';
import { defineCommand } from '../../src/discord/command.ts';
import { startHttpBot, type HttpBot } from '../../src/http/start-http-bot.ts';
import { silentLogger } from '../../src/log.ts';
import { startTestBot, TEST_TOKEN, type TestBot } from '../harness/bot.ts';
import { chatInput, str } from '../harness/interactions.ts';
import { LoopbackDiscord, type CapturedRequest } from '../harness/loopback-discord.ts';

const GUILD = '100000000000000001';
const guilds = [{ id: GUILD, name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }] }];
const MARGIN = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** /slow waits `ms` then replies (privately unless public:yes). */
const slow = defineCommand({
  data: {
    name: 'slow',
    description: 'Answers late',
    options: [
      { type: 3, name: 'ms', description: 'delay', required: true },
      { type: 3, name: 'public', description: 'yes for a public answer' },
    ],
  },
  async execute(interaction, args) {
    await sleep(Number(args.options.ms));
    const isPublic = args.options.public === 'yes';
    await interaction.reply({ content: `answer after ${args.options.ms} ms`, ...(isPublic ? {} : { flags: MessageFlags.Ephemeral }) });
  },
});
/**
 * /slowmodal waits `ms` then answers with a modal, or with a message when form:no; it declares which per
 * interaction, as /curate does (add and edit open a form, the rest answer with a message).
 */
const slowModal = defineCommand({
  data: {
    name: 'slowmodal',
    description: 'Opens a form late',
    options: [
      { type: 3, name: 'ms', description: 'delay', required: true },
      { type: 3, name: 'form', description: 'no for a message instead' },
    ],
  },
  opensModal: (interaction) => interaction.options.getString('form') !== 'no',
  async execute(interaction, args) {
    await sleep(Number(args.options.ms));
    if (args.options.form === 'no') return void (await interaction.reply({ content: 'no form', flags: MessageFlags.Ephemeral }));
    await interaction.showModal({
      custom_id: 'slowmodal:save',
      title: 'A late form',
      components: [{ type: 1, components: [{ type: 4, custom_id: 'text', label: 'Text', style: 1 }] }],
    });
  },
});
const commands = [...realCommands, slow, slowModal];
const slowCall = (ms: number, isPublic = false) => chatInput('slow', [str('ms', String(ms)), ...(isPublic ? [str('public', 'yes')] : [])]);

interface Mode {
  discord: LoopbackDiscord;
  /** Delivers an interaction (gateway dispatch or signed HTTP POST). */
  deliver(payload: any): Promise<void>;
  close(): Promise<void>;
}

async function gatewayMode(): Promise<Mode> {
  const t: TestBot = await startTestBot({ guilds, bot: { commands, interactionDeadline: { deferAfterMs: MARGIN } } });
  return {
    discord: t.discord,
    async deliver(payload) {
      t.discord.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
    },
    close: () => t.close(),
  };
}

async function httpMode(): Promise<Mode> {
  const discord = new LoopbackDiscord({ guilds });
  await discord.start();
  const dir = mkdtempSync(join(tmpdir(), 'induction-deadline-'));
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const config = parseConfig({
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_APPLICATION_ID: '900000000000000001',
    DISCORD_API_URL: discord.apiBase,
    STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    LOG_LEVEL: 'silent',
    INTERACTIONS_MODE: 'http',
    DISCORD_PUBLIC_KEY: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
    PORT: '0',
  });
  const bot: HttpBot = await startHttpBot({
    config,
    log: silentLogger,
    clock: new ManualClock(Date.UTC(2026, 2, 2, 12)),
    commands,
    clientOverrides: { rest: { retries: 0, timeout: 3_000 } } as never,
    schedulerTimers: false,
    listen: { port: 0, host: '127.0.0.1' },
    interactionDeadline: { deferAfterMs: MARGIN },
  });
  const url = `http://127.0.0.1:${bot.port}${bot.path}`;
  return {
    discord,
    async deliver(payload) {
      const body = Buffer.from(JSON.stringify(payload));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
      expect(response.status).toBe(202);
    },
    async close() {
      await bot.stop();
      await discord.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const created = (payload: any) => Number((BigInt(payload.id) >> 22n) + 1420070400000n);

describe.each([
  { name: 'gateway', start: gatewayMode },
  { name: 'HTTP', start: httpMode },
])('the 3-second deadline in $name mode', ({ start }) => {
  let mode: Mode;
  afterAll(async () => {
    await mode?.close();
  });
  const requestsFor = (payload: any): CapturedRequest[] => mode.discord.requests.filter((r) => r.path.includes(`/${payload.token}`) || r.path.includes(`/${payload.id}/`));
  const last = (payload: any, kind: string) => mode.discord.waitFor((r) => r.kind === kind && r.path.includes(`/${payload.token}`), 5_000);

  it('defers a slow handler privately in time and turns its reply into an edit', async () => {
    mode = await start();
    const payload = slowCall(MARGIN * 4);
    await mode.deliver(payload);
    const callback = await mode.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(callback.at - created(payload)).toBeLessThan(MARGIN * 3);
    const edit = await last(payload, 'webhook-edit');
    expect(edit.body.content).toBe(`answer after ${MARGIN * 4} ms`);
    expect(edit.path).toMatch(/messages\/@original$/);
    expect(requestsFor(payload).filter((r) => r.kind === 'callback')).toHaveLength(1);
    expect(mode.discord.violations()).toEqual([]);
  });

  it('sends a public answer to a private deferral as a public follow-up, after deleting the placeholder', async () => {
    const payload = slowCall(MARGIN * 3, true);
    await mode.deliver(payload);
    const followUp = await mode.discord.waitFor((r) => r.method === 'POST' && r.path.endsWith(`/${payload.token}`), 5_000);
    expect(followUp.body.content).toBe(`answer after ${MARGIN * 3} ms`);
    expect(followUp.body.flags ?? 0).toBe(0);
    const methods = requestsFor(payload).map((r) => `${r.method} ${r.kind ?? r.path.split('/').slice(-1)[0]}`);
    expect(methods[0]).toMatch(/callback/);
    expect(methods).toContainEqual(expect.stringMatching(/^DELETE/));
  });

  it('never defers a command that answers with a modal, so the modal still opens after the margin', async () => {
    const payload = chatInput('slowmodal', [str('ms', String(MARGIN * 3))]);
    await mode.deliver(payload);
    const callback = await mode.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`), 5_000);
    expect(callback.body.type).toBe(9);
    expect(callback.body.data.title).toBe('A late form');
    expect(requestsFor(payload).filter((r) => r.kind === 'callback')).toHaveLength(1);
    expect(mode.discord.violations()).toEqual([]);
  });

  it('still guards the same command where its declaration says this interaction opens no modal', async () => {
    const payload = chatInput('slowmodal', [str('ms', String(MARGIN * 3)), str('form', 'no')]);
    await mode.deliver(payload);
    const callback = await mode.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`), 5_000);
    expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await last(payload, 'webhook-edit');
    expect(edit.body.content).toBe('no form');
  });

  it('never defers a handler that answers in time', async () => {
    const payload = slowCall(0);
    await mode.deliver(payload);
    const callback = await mode.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`));
    expect(callback.body.type).toBe(4);
    await sleep(MARGIN * 2);
    expect(requestsFor(payload)).toHaveLength(1);
  });
});
