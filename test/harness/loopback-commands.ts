/**
 * The application-commands routes of the loopback Discord: the bulk overwrite (PUT) stores the commands with
 * fresh ids, and GET lists them, globally or per guild, as Discord does. Tests can seed the list as if
 * `npm run deploy-commands` had run, so the bot learns real ids for its command mentions at startup.
 */
import type { CapturedRequest } from './loopback-discord.ts';

export interface RegisteredCommand {
  id: string;
  application_id: string;
  version: string;
  name: string;
  [key: string]: unknown;
}

const ROUTE = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/;

export class LoopbackCommands {
  constructor(
    private readonly applicationId: string,
    private readonly newId: () => string,
  ) {}

  /** Registered commands by scope: 'global' or a guild id. */
  readonly scopes = new Map<string, RegisteredCommand[]>();
  /** Set to make GET fail (status), for testing that the bot still starts. */
  failGet: number | null = null;

  /** Registers commands as a bulk overwrite would; returns them with their ids. */
  seed(commands: readonly { name: string }[], guildId?: string): RegisteredCommand[] {
    const list = commands.map((c) => ({ ...c, id: this.newId(), application_id: this.applicationId, version: this.newId() }) as RegisteredCommand);
    this.scopes.set(guildId ?? 'global', list);
    return list;
  }

  /** The id of a registered command (global scope unless a guild is named). */
  idOf(name: string, guildId?: string): string | undefined {
    return this.scopes.get(guildId ?? 'global')?.find((c) => c.name === name)?.id;
  }

  route(r: CapturedRequest): { status: number; body?: unknown } | null {
    const match = ROUTE.exec(r.path);
    if (!match) return null;
    const scope = match[2] ?? 'global';
    if (r.method === 'PUT') return { status: 200, body: this.seed(Array.isArray(r.body) ? r.body : [], match[2]) };
    if (r.method === 'GET') {
      if (this.failGet !== null) return { status: this.failGet, body: { message: 'Injected failure', code: 0 } };
      return { status: 200, body: this.scopes.get(scope) ?? [] };
    }
    return null;
  }
}
