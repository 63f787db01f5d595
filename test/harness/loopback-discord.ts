/**
 * A loopback Discord: Discord's REST API and gateway, emulated on 127.0.0.1, that the real discord.js Client logs
 * into through `rest.api`. It records every request the bot makes, validates each payload against Discord's
 * OpenAPI schemas, and lets tests dispatch real interaction payloads and inject failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import { validatePayload, type PayloadKind } from './discord-spec.ts';
import { LoopbackEvents } from './loopback-events.ts';
import { LoopbackCommands } from './loopback-commands.ts';
import { LoopbackDirectMessages } from './loopback-dms.ts';
import { LoopbackPermissions } from './loopback-permissions.ts';

export interface CapturedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  files: { name: string; filename: string; size: number; data: Buffer }[];
  kind: PayloadKind | null;
  violations: string[];
  at: number;
}

export interface EmulatedGuild {
  id: string;
  name: string;
  channels: { id: string; name: string; type?: number }[];
}

interface Override {
  match: (req: CapturedRequest) => boolean;
  status: number;
  body: unknown;
  times: number;
}

let snowflakeCounter = 0n;
/** Snowflakes that sort by creation time, like Discord's. */
export function snowflake(at = Date.now()): string {
  snowflakeCounter = (snowflakeCounter + 1n) % 4096n;
  return (((BigInt(at) - 1420070400000n) << 22n) | snowflakeCounter).toString();
}

export const BOT_USER = { id: '900000000000000001', username: 'Induction', discriminator: '0', global_name: 'Induction', avatar: null, bot: true };
export const APPLICATION_ID = '900000000000000001';

export class LoopbackDiscord extends EventEmitter {
  readonly requests: CapturedRequest[] = [];
  readonly guilds: EmulatedGuild[];
  /** Identify payloads received, one per shard connection. */
  readonly identifies: any[] = [];
  /** Messages "posted" to channels, by channel id. */
  readonly channelMessages = new Map<string, any[]>();
  readonly deletedChannels = new Set<string>();
  readonly forbiddenChannels = new Set<string>();
  /** Direct messages: DM channels, delivered DMs, and members whose DMs are closed (see loopback-dms.ts). */
  readonly dms = new LoopbackDirectMessages((payload, channelId) => this.#message(payload, channelId));
  /** Roles, overwrites, members, the application and permission-checked posts (loopback-permissions.ts). */
  readonly permissions = new LoopbackPermissions(() => this.guilds, BOT_USER, APPLICATION_ID);
  shardCount: number;
  /** Scheduled events, threads and message edits (reading sessions): see loopback-events.ts. */
  readonly events: LoopbackEvents;

  // ---- hosted attachments (study-plan uploads) ----
  /** Files served at /attachments/<id>/<filename>, like Discord's CDN, for attachment options. */
  readonly attachments = new Map<string, { filename: string; contentType: string; data: Buffer }>();

  /** Hosts a file and returns the attachment object an interaction's `resolved.attachments` carries. */
  hostAttachment(filename: string, content: string | Buffer, contentType = 'application/json'): { id: string; filename: string; size: number; url: string; proxy_url: string; content_type: string } {
    const id = snowflake();
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    this.attachments.set(id, { filename, contentType, data });
    const url = `http://127.0.0.1:${this.#port}/attachments/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: data.length, url, proxy_url: url, content_type: contentType };
  }

  #hosted(path: string): { contentType: string; data: Buffer } | null | undefined {
    const match = /^\/attachments\/(\d+)\/[^/]+$/.exec(path);
    if (!match) return undefined;
    return this.attachments.get(match[1]!) ?? null;
  }
  // ---- end hosted attachments ----
  /** Application commands (bulk overwrite and GET), in loopback-commands.ts. */
  readonly commands = new LoopbackCommands(APPLICATION_ID, () => snowflake());

  #server: Server | undefined;
  #wss: WebSocketServer | undefined;
  #sockets = new Map<number, WebSocket>();
  #allSockets = new Set<WebSocket>();
  #sequence = 0;
  #overrides: Override[] = [];
  #nonces = new Map<string, any>();
  #port = 0;

  constructor(options: { guilds?: EmulatedGuild[]; shardCount?: number } = {}) {
    super();
    this.guilds = options.guilds ?? [
      { id: '100000000000000001', name: 'Study Server', channels: [{ id: '200000000000000001', name: 'general' }] },
    ];
    this.shardCount = options.shardCount ?? 1;
    this.events = new LoopbackEvents({ guilds: this.guilds, channelMessages: this.channelMessages, deletedChannels: this.deletedChannels, snowflake: () => snowflake(), botUserId: BOT_USER.id, overwrites: (id) => this.permissions.overwrites(id) });
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#wss = new WebSocketServer({ server: this.#server, path: '/gateway' });
    this.#wss.on('connection', (socket) => this.#onSocket(socket));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.#allSockets) socket.terminate();
    this.#wss?.close();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Makes the next `times` matching requests fail with the given status and body. */
  failNext(match: (req: CapturedRequest) => boolean, status: number, body: unknown = { message: 'Injected failure', code: 0 }, times = 1): void {
    this.#overrides.push({ match, status, body, times });
  }

  #checked = 0;

  /** Payload violations recorded since the previous call, for an afterEach assertion. */
  violations(): string[] {
    const fresh = this.requests.slice(this.#checked);
    this.#checked = this.requests.length;
    return fresh.flatMap((r) => r.violations.map((v) => `${r.method} ${r.path}: ${v}`));
  }

  shardOf(guildId: string): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(this.shardCount));
  }

  /** Sends a gateway dispatch to the shard that owns the guild (or shard 0). */
  dispatch(t: string, d: any, guildId?: string): void {
    const shard = guildId ? this.shardOf(guildId) : 0;
    const socket = this.#sockets.get(shard);
    if (!socket) throw new Error(`no gateway connection for shard ${shard}`);
    socket.send(JSON.stringify({ op: 0, t, s: ++this.#sequence, d }));
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  waitFor(match: (req: CapturedRequest) => boolean, timeoutMs = 3_000): Promise<CapturedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', listener);
        reject(new Error(`no matching request within ${timeoutMs} ms; saw:\n${this.requests.map((r) => `${r.method} ${r.path}`).join('\n')}`));
      }, timeoutMs);
      const listener = (req: CapturedRequest) => {
        if (!match(req)) return;
        clearTimeout(timer);
        this.off('request', listener);
        resolve(req);
      };
      this.on('request', listener);
    });
  }

  // ---- gateway ----

  #onSocket(socket: WebSocket): void {
    this.#allSockets.add(socket);
    socket.on('close', () => this.#allSockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw) => {
      const packet = JSON.parse(raw.toString());
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) this.#identify(socket, packet.d);
    });
  }

  #identify(socket: WebSocket, identify: any): void {
    this.identifies.push(identify);
    const [shardId, total] = identify.shard ?? [0, 1];
    this.#sockets.set(shardId, socket);
    const owned = this.guilds.filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(total)) === shardId);
    const send = (t: string, d: unknown) => socket.send(JSON.stringify({ op: 0, t, s: ++this.#sequence, d }));
    send('READY', {
      v: 10,
      user: BOT_USER,
      guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
      session_id: `session-${shardId}`,
      resume_gateway_url: `ws://127.0.0.1:${this.#port}/gateway`,
      shard: [shardId, total],
      application: { id: APPLICATION_ID, flags: 0 },
    });
    for (const g of owned) send('GUILD_CREATE', this.guildPayload(g));
  }

  guildPayload(g: EmulatedGuild): any {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: this.permissions.model(g.id).ownerId,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: this.permissions.rolesPayload(g.id),
      emojis: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      member_count: 2,
      large: false,
      unavailable: false,
      joined_at: new Date().toISOString(),
      members: [],
      channels: this.permissions.channelsPayload(g),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      stickers: [],
    };
  }

  /**
   * GET /users/@me/guilds: the bot's guilds as partial guild objects, sorted by id and paged like Discord's
   * (`before`, `after`, `limit` from 1 to 200, default 200). HTTP-interactions mode uses it instead of the gateway.
   */
  currentUserGuilds(query: URLSearchParams): any[] {
    const limit = Math.min(200, Math.max(1, Number(query.get('limit') ?? 200) || 200));
    const after = query.get('after');
    const before = query.get('before');
    let sorted = [...this.guilds].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0));
    if (after) sorted = sorted.filter((g) => BigInt(g.id) > BigInt(after));
    if (before) sorted = sorted.filter((g) => BigInt(g.id) < BigInt(before)).slice(-limit);
    return sorted.slice(0, limit).map((g) => ({
      id: g.id,
      name: g.name,
      icon: null,
      banner: null,
      owner: false,
      permissions: '1071698660929',
      features: [],
    }));
  }

  // ---- REST ----

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname.replace(/^\/api(\/v\d+)?/, ''));
    const { body, files } = await parseBody(req.headers['content-type'] ?? '', raw);
    const captured: CapturedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      files,
      kind: payloadKind(req.method ?? 'GET', path),
      violations: [],
      at: Date.now(),
    };
    if (captured.kind && body !== undefined) captured.violations = validatePayload(captured.kind, body, { allowedRoles: this.events.allowedRolePings });
    else captured.violations = this.events.validate(captured) ?? [];
    this.requests.push(captured);

    const send = (status: number, payload?: unknown) => {
      if (payload === undefined) {
        res.writeHead(status).end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      }
    };
    const hosted = req.method === 'GET' ? this.#hosted(path) : undefined;
    if (hosted !== undefined) {
      this.emit('request', captured);
      if (hosted === null) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'content-type': hosted.contentType, 'content-length': hosted.data.length }).end(hosted.data);
    }
    try {
      const override = this.#overrides.find((o) => o.times > 0 && o.match(captured));
      if (override) {
        override.times--;
        this.emit('request', captured);
        return send(override.status, override.body);
      }
      const result = this.#route(captured);
      this.emit('request', captured);
      send(result.status, result.body);
    } catch (error) {
      this.emit('request', captured);
      send(500, { message: String(error), code: 0 });
    }
  }

  #route(r: CapturedRequest): { status: number; body?: unknown } {
    const dm = this.dms.route(r);
    if (dm) return dm;
    const m = (re: RegExp) => re.exec(r.path);
    const sessions = this.events.route(r);
    if (sessions) return sessions;
    const modelled = this.permissions.route(r);
    if (modelled) return modelled;
    if (r.method === 'GET' && r.path === '/gateway/bot') {
      return {
        status: 200,
        body: {
          url: `ws://127.0.0.1:${this.#port}/gateway`,
          shards: this.shardCount,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 },
        },
      };
    }
    if (r.method === 'GET' && r.path === '/gateway') return { status: 200, body: { url: `ws://127.0.0.1:${this.#port}/gateway` } };
    if (r.method === 'GET' && r.path === '/users/@me') return { status: 200, body: BOT_USER };
    if (r.method === 'GET' && r.path === '/users/@me/guilds') return { status: 200, body: this.currentUserGuilds(r.query) };
    if (r.method === 'POST' && m(/^\/interactions\/\d+\/[^/]+\/callback$/)) {
      if (r.query.get('with_response') === 'true') {
        return { status: 200, body: { interaction: { id: r.path.split('/')[2], type: 2 }, resource: { type: r.body?.type, message: this.#message(r.body?.data ?? {}) } } };
      }
      return { status: 204 };
    }
    let match: RegExpExecArray | null;
    if (r.method === 'GET' && (match = m(/^\/users\/(\d+)$/))) {
      return { status: 200, body: { id: match[1], username: `member${match[1]!.slice(-4)}`, discriminator: '0', global_name: null, avatar: null } };
    }
    if ((match = m(/^\/webhooks\/\d+\/[^/]+\/messages\/(@original|\d+)$/))) {
      if (r.method === 'DELETE') return { status: 204 };
      return { status: 200, body: this.#message(r.body ?? {}) };
    }
    if (r.method === 'POST' && m(/^\/webhooks\/\d+\/[^/]+$/)) return { status: 200, body: this.#message(r.body ?? {}) };
    if ((match = m(/^\/channels\/(\d+)\/messages$/)) && r.method === 'POST') {
      const channelId = match[1]!;
      if (this.deletedChannels.has(channelId) || !this.guilds.some((g) => g.channels.some((c) => c.id === channelId))) {
        return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      }
      if (this.forbiddenChannels.has(channelId)) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      const nonce = r.body?.nonce;
      if (nonce !== undefined && r.body?.enforce_nonce) {
        const existing = this.#nonces.get(`${channelId}:${nonce}`);
        if (existing) return { status: 200, body: existing };
      }
      const message = this.#message(r.body ?? {}, channelId);
      if (nonce !== undefined && r.body?.enforce_nonce) this.#nonces.set(`${channelId}:${nonce}`, message);
      this.channelMessages.set(channelId, [...(this.channelMessages.get(channelId) ?? []), message]);
      return { status: 200, body: message };
    }
    if ((match = m(/^\/channels\/(\d+)\/messages$/)) && r.method === 'GET') {
      const channelId = match[1]!;
      if (this.deletedChannels.has(channelId)) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      const limit = Number(r.query.get('limit') ?? 50);
      return { status: 200, body: [...(this.channelMessages.get(channelId) ?? [])].reverse().slice(0, limit) };
    }
    if ((r.method === 'PUT' || r.method === 'DELETE') && m(/^\/guilds\/\d+\/members\/\d+\/roles\/\d+$/)) return { status: 204 };
    const commands = this.commands.route(r);
    if (commands) return commands;
    return { status: 404, body: { message: '404: Not Found (loopback Discord has no such route)', code: 0 } };
  }

  #message(payload: any, channelId = '200000000000000001'): any {
    return messageObject(payload, channelId, BOT_USER);
  }
}

/** A message object as Discord returns it, built from what was sent. */
export function messageObject(payload: any, channelId: string, author: object, extra: object = {}): any {
  return {
    id: snowflake(),
    channel_id: channelId,
    type: 0,
    content: payload?.content ?? '',
    embeds: payload?.embeds ?? [],
    components: payload?.components ?? [],
    attachments: (payload?.attachments ?? []).map((a: any, i: number) => ({ id: String(a.id ?? i), filename: a.filename ?? `file${i}`, size: 1, url: 'https://cdn.invalid/x', proxy_url: 'https://cdn.invalid/x' })),
    author,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    flags: payload?.flags ?? 0,
    nonce: payload?.nonce,
    ...extra,
  };
}

function payloadKind(method: string, path: string): PayloadKind | null {
  if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return 'callback';
  if (method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\/(@original|\d+)$/.test(path)) return 'webhook-edit';
  if (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return 'webhook-create';
  if (method === 'POST' && /^\/channels\/\d+\/messages$/.test(path)) return 'channel-message';
  if (method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) return 'commands-put';
  return null;
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: any; files: CapturedRequest['files'] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: CapturedRequest['files'] = [];
    let body: any;
    for (const [name, value] of form.entries()) {
      if (name === 'payload_json') body = JSON.parse(String(value));
      else if (typeof value !== 'string') {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ name, filename: value.name, size: data.length, data });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    return { body: raw.toString('utf8'), files: [] };
  }
}
