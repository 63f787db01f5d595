/**
 * Direct messages in the loopback Discord: DM channel creation (POST /users/@me/channels) and messages posted to
 * those channels, with a switch that closes a member's DMs so posting answers Discord's 50007 "Cannot send
 * messages to this user" (the channel can still be opened, as on Discord). LoopbackDiscord routes through this
 * first; everything else falls through to its own routes.
 */
import type { CapturedRequest } from './loopback-discord.ts';

export class LoopbackDirectMessages {
  /** DM channel id by user id. */
  readonly channels = new Map<string, string>();
  /** Users whose DMs are closed to the bot. */
  readonly closed = new Set<string>();
  /** Messages delivered, by user id. */
  readonly delivered = new Map<string, any[]>();
  #next = 700000000000000001n;

  constructor(private readonly makeMessage: (payload: any, channelId: string) => any) {}

  #userOf(channelId: string): string | undefined {
    for (const [userId, id] of this.channels) if (id === channelId) return userId;
    return undefined;
  }

  /** Handles the request if it is about DMs; null lets the emulator's other routes handle it. */
  route(r: CapturedRequest): { status: number; body?: unknown } | null {
    if (r.method === 'POST' && r.path === '/users/@me/channels') {
      const recipient = String(r.body?.recipient_id ?? '');
      if (!/^\d{1,20}$/.test(recipient)) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      let id = this.channels.get(recipient);
      if (!id) this.channels.set(recipient, (id = String(this.#next++)));
      const user = { id: recipient, username: `member${recipient.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };
      return { status: 200, body: { id, type: 1, last_message_id: null, flags: 0, recipients: [user] } };
    }
    const match = /^\/channels\/(\d+)\/messages$/.exec(r.path);
    const userId = match && r.method === 'POST' ? this.#userOf(match[1]!) : undefined;
    if (!match || !userId) return null;
    if (this.closed.has(userId)) return { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } };
    const message = this.makeMessage(r.body ?? {}, match[1]!);
    this.delivered.set(userId, [...(this.delivered.get(userId) ?? []), message]);
    return { status: 200, body: message };
  }
}
