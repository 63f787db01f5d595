/**
 * Drives the real bot on the loopback Discord one interaction (or scheduler tick) at a time and turns every
 * request it makes into "shots": the messages a member would see (replies, component updates, edits, follow-ups,
 * channel posts, DMs, modals), each with its files and who asked.
 */
import type { CapturedRequest } from '../../test/harness/loopback-discord.ts';
import type { TestBot } from '../../test/harness/bot.ts';
import type { Actor } from '../../test/harness/interactions.ts';
import { seedRandom } from './seed.ts';

export interface ShotFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface Shot {
  /** File-name slug, unique in the session: "07-glossary-lookup". */
  name: string;
  /** One line for the index: what the member did. */
  caption: string;
  kind: 'reply' | 'update' | 'edit' | 'followup' | 'post' | 'dm' | 'modal' | 'choices';
  /** The clock when it was sent (the bot's ManualClock). */
  at: number;
  /** "#general", "Direct message with alice". */
  channel: string;
  /** "alice used /glossary lookup" above the message. */
  header?: { user: Actor; command: string; type: 'slash_command' | 'message_command'; target?: { author: string; content: string } };
  message: any;
  files: ShotFile[];
  ephemeral: boolean;
  edited: boolean;
  violations: string[];
}

interface Origin {
  header?: Shot['header'];
  ephemeral: boolean;
  channel: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function contentTypeOf(filename: string): string {
  if (/\.png$/i.test(filename)) return 'image/png';
  if (/\.jpe?g$/i.test(filename)) return 'image/jpeg';
  if (/\.json$/i.test(filename)) return 'application/json';
  if (/\.csv$/i.test(filename)) return 'text/csv';
  return 'application/octet-stream';
}

function filesOf(r: CapturedRequest): ShotFile[] {
  return r.files.map((f) => ({ filename: f.filename, contentType: contentTypeOf(f.filename), data: f.data }));
}

/** The command as Discord's header names it: "/glossary lookup", "Explain jargon". */
function commandName(payload: any): Omit<NonNullable<Shot['header']>, 'user'> | undefined {
  if (payload.type !== 2) return undefined;
  if (payload.data.type === 3) {
    const target = payload.data.resolved?.messages?.[payload.data.target_id];
    return { command: payload.data.name, type: 'message_command', ...(target ? { target: { author: target.author?.username ?? 'member', content: target.content ?? '' } } : {}) };
  }
  const parts = [payload.data.name];
  let options = payload.data.options ?? [];
  while (options[0] && (options[0].type === 1 || options[0].type === 2)) {
    parts.push(options[0].name);
    options = options[0].options ?? [];
  }
  return { command: `/${parts.join(' ')}`, type: 'slash_command' };
}

/** What the member is typing in an autocomplete: "/glossary lookup", option "term", value "indcution hed". */
function typedOf(payload: any): { command: string; option: string; value: string } {
  const parts = [payload.data.name];
  let options = payload.data.options ?? [];
  while (options[0] && (options[0].type === 1 || options[0].type === 2)) {
    parts.push(options[0].name);
    options = options[0].options ?? [];
  }
  const focused = options.find((o: any) => o.focused) ?? { name: '', value: '' };
  return { command: `/${parts.join(' ')}`, option: focused.name, value: String(focused.value ?? '') };
}

export class Recorder {
  readonly shots: Shot[] = [];
  #step = 0;
  /** Where a message came from, keyed by the data object a step returned (for later component presses). */
  #origins = new WeakMap<object, Origin>();

  constructor(
    private readonly t: TestBot,
    private readonly people: ReadonlyMap<string, Actor>,
    private readonly channelNames: ReadonlyMap<string, string>,
  ) {}

  #channelLabel(channelId: string): string {
    for (const [userId, dm] of this.t.discord.dms.channels) if (dm === channelId) return `Direct message with ${this.people.get(userId)?.username ?? 'member'}`;
    return `#${this.channelNames.get(channelId) ?? 'thread'}`;
  }

  /** Waits until the bot has made no request for `quietMs` (it finished answering, including background work). */
  async settle(quietMs = 120, maxMs = 5_000): Promise<void> {
    const start = Date.now();
    let seen = this.t.discord.requests.length;
    let quietSince = Date.now();
    while (Date.now() - start < maxMs) {
      await sleep(20);
      if (this.t.discord.requests.length !== seen) {
        seen = this.t.discord.requests.length;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return;
    }
  }

  /**
   * Dispatches an interaction as `who`, waits for the answer (and the edit, when deferred) and records what the
   * member sees. `from` is the data a previous step returned, when the interaction presses one of its components.
   * Returns the final data of the message this interaction produced or updated.
   */
  async interact(slug: string, caption: string, payload: any, options: { from?: any } = {}): Promise<any> {
    seedRandom(`${this.#step + 1}:${slug}`);
    const start = this.t.discord.requests.length;
    this.t.discord.dispatch('INTERACTION_CREATE', payload, payload.guild_id);
    const callback = await this.t.discord.waitFor((r) => r.kind === 'callback' && r.path.includes(`/${payload.id}/`), 5_000);
    if (callback.body?.type === 5 || callback.body?.type === 6) {
      await this.t.discord.waitFor((r) => r.kind === 'webhook-edit' && r.path.includes(`/${payload.token}/`) && this.t.discord.requests.indexOf(r) >= start, 15_000);
    }
    await this.settle();
    return this.#collect(slug, caption, this.t.discord.requests.slice(start), payload, options.from);
  }

  /** Moves the clock and runs one scheduler pass (digests, reminders), recording what it posts. */
  async tick(slug: string, caption: string, at: number): Promise<any> {
    seedRandom(`${this.#step + 1}:${slug}`);
    const start = this.t.discord.requests.length;
    this.t.clock.set(at);
    await this.t.bot.scheduler.tick();
    await this.settle();
    return this.#collect(slug, caption, this.t.discord.requests.slice(start));
  }

  #collect(slug: string, caption: string, requests: CapturedRequest[], payload?: any, from?: any): any {
    const step = String(++this.#step).padStart(2, '0');
    const user = payload ? this.people.get(payload.member?.user?.id ?? payload.user?.id) : undefined;
    const named = payload ? commandName(payload) : undefined;
    const header = named && user ? { user, ...named } : undefined;
    const origin = from ? this.#origins.get(from) : undefined;
    const channel = payload ? this.#channelLabel(payload.channel_id) : '';
    let deferral: { type: number; ephemeral: boolean } | undefined;
    let primary: any;
    const made: Omit<Shot, 'name'>[] = [];
    const push = (shot: Omit<Shot, 'name'>) => made.push(shot);
    const base = { caption, at: this.t.clock.now(), edited: false };
    for (const r of requests) {
      const token = payload?.token as string | undefined;
      if (r.kind === 'callback' && payload && r.path.includes(`/${payload.id}/`)) {
        const type = r.body?.type;
        const data = r.body?.data ?? {};
        if (type === 4) {
          primary = data;
          push({ ...base, kind: 'reply', channel, header, message: data, files: filesOf(r), ephemeral: (data.flags & 64) === 64, violations: r.violations });
        } else if (type === 7) {
          primary = { ...(from ?? {}), ...data };
          push({ ...base, kind: 'update', channel: origin?.channel ?? channel, header: origin?.header, message: primary, files: filesOf(r), ephemeral: origin?.ephemeral ?? (payload.message?.flags & 64) === 64, violations: r.violations });
        } else if (type === 9) {
          push({ ...base, kind: 'modal', channel, header, message: data, files: [], ephemeral: true, violations: r.violations });
        } else if (type === 8) {
          push({ ...base, kind: 'choices', channel, header, message: { ...data, typed: typedOf(payload) }, files: [], ephemeral: true, violations: r.violations });
        } else if (type === 5 || type === 6) {
          deferral = { type, ephemeral: type === 5 ? (data.flags & 64) === 64 : origin?.ephemeral ?? (payload.message?.flags & 64) === 64 };
        }
      } else if (r.kind === 'webhook-edit' && token && r.path.includes(`/${token}/`)) {
        const original = r.path.endsWith('/@original');
        const isUpdate = deferral?.type === 6 || (!deferral && payload?.type === 3);
        const previous = original ? primary ?? (isUpdate ? from : undefined) : undefined;
        const data = { ...(previous ?? {}), ...r.body };
        if (original) primary = data;
        push({
          ...base,
          kind: isUpdate ? 'update' : 'edit',
          channel: isUpdate ? origin?.channel ?? channel : channel,
          header: isUpdate ? origin?.header : header,
          message: data,
          files: filesOf(r),
          ephemeral: deferral?.ephemeral ?? (data.flags & 64) === 64,
          edited: !deferral && previous !== undefined,
          violations: r.violations,
        });
      } else if (r.kind === 'webhook-create' && token && r.path.includes(`/${token}`)) {
        push({ ...base, kind: 'followup', channel, header, message: r.body, files: filesOf(r), ephemeral: (r.body?.flags & 64) === 64, violations: r.violations });
      } else if (r.kind === 'channel-message') {
        const channelId = /^\/channels\/(\d+)\//.exec(r.path)![1]!;
        const label = this.#channelLabel(channelId);
        push({ ...base, kind: label.startsWith('Direct') ? 'dm' : 'post', channel: label, message: r.body, files: filesOf(r), ephemeral: false, violations: r.violations });
      } else if (r.method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(r.path)) {
        const [, channelId, messageId] = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(r.path)!;
        const stored = (this.t.discord.channelMessages.get(channelId!) ?? []).find((m) => m.id === messageId);
        push({ ...base, kind: 'post', channel: this.#channelLabel(channelId!), message: { ...(stored ?? {}), ...r.body }, files: filesOf(r), ephemeral: false, edited: true, violations: r.violations });
      }
    }
    made.forEach((shot, i) => this.shots.push({ ...shot, name: `${step}-${slug}${made.length > 1 ? `-${i + 1}` : ''}` }));
    const result = primary ?? made.at(-1)?.message;
    if (result && typeof result === 'object') {
      const last = made.find((s) => s.message === result) ?? made.at(-1);
      this.#origins.set(result, { header: last?.header ?? header, ephemeral: last?.ephemeral ?? false, channel: last?.channel ?? channel });
    }
    return result;
  }
}
