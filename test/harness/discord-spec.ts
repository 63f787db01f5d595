/**
 * Validates every payload the bot sends against Discord's official OpenAPI schemas (discord-api-spec/zod), plus
 * the limits the spec cannot express: the 6000-character embed total, 5 action rows for classic messages, 25
 * autocomplete choices, and our own rule that no message may ping.
 */
import * as spec from 'discord-api-spec/zod';
import type { ZodMiniType } from 'zod/mini';

type Schema = ZodMiniType<unknown>;

/** Fields discord.js always sends that a schema does not list; Discord accepts them. */
const tolerated = (key: string, value: unknown) => key === 'enforce_nonce' || (key === 'tts' && value === false);

/**
 * Unknown keys are errors: Discord silently ignores a misspelt field, so a typo would otherwise pass unnoticed.
 * The generated schemas are not strict (setStrictObject only affects schemas built after it is called), so this
 * walks the schema alongside the value.
 */
export function unknownKeys(schema: any, value: unknown, path: string, out: string[]): void {
  const def = schema?._zod?.def;
  if (!def || value === null || value === undefined) return;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'readonly':
    case 'default':
    case 'prefault':
      return unknownKeys(def.innerType, value, path, out);
    case 'lazy':
      return unknownKeys(def.getter(), value, path, out);
    case 'pipe':
      return unknownKeys(def.in, value, path, out);
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => unknownKeys(def.element, v, `${path}[${i}]`, out));
      return;
    case 'union': {
      const match = def.options.find((o: any) => o.safeParse(value).success);
      if (match) unknownKeys(match, value, path, out);
      return;
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(key in def.shape)) {
          if (!tolerated(key, v)) out.push(`${path}${path ? '.' : ''}${key}: unknown field`);
        } else unknownKeys(def.shape[key], v, `${path}${path ? '.' : ''}${key}`, out);
      }
    }
  }
}

function callbackSchema(type: number): Schema | undefined {
  switch (type) {
    case 1:
      return spec.PongInteractionCallbackRequestSchema as Schema;
    case 4:
    case 5:
      return spec.CreateMessageInteractionCallbackRequestSchema as Schema;
    case 6:
    case 7:
      return spec.UpdateMessageInteractionCallbackRequestSchema as Schema;
    case 8:
      return spec.ApplicationCommandAutocompleteCallbackRequestSchema as Schema;
    case 9:
      return spec.ModalInteractionCallbackRequestSchema as Schema;
    default:
      return undefined;
  }
}

export type PayloadKind = 'callback' | 'webhook-edit' | 'webhook-create' | 'channel-message' | 'commands-put';

function schemaFor(kind: PayloadKind, body: any): Schema | undefined {
  switch (kind) {
    case 'callback':
      return callbackSchema(body?.type);
    case 'webhook-edit':
      return spec.IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema as Schema;
    case 'webhook-create':
      return spec.IncomingWebhookInteractionRequestSchema as Schema;
    case 'channel-message':
      return spec.MessageCreateRequestSchema as Schema;
    case 'commands-put':
      return undefined;
  }
}

function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string[] {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** The message-shaped part of a payload, wherever it sits. */
function messageOf(kind: PayloadKind, body: any): any {
  if (kind === 'callback') return body?.type === 8 || body?.type === 9 || body?.type === 1 ? undefined : body?.data;
  if (kind === 'commands-put') return undefined;
  return body;
}

export function embedLength(embed: any): number {
  let n = (embed.title ?? '').length + (embed.description ?? '').length;
  n += (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  for (const f of embed.fields ?? []) n += (f.name ?? '').length + (f.value ?? '').length;
  return n;
}

/** Returns human-readable violations; an empty list means the payload is valid. */
export function validatePayload(kind: PayloadKind, body: unknown, options: { allowedRoles?: ReadonlySet<string> } = {}): string[] {
  const violations: string[] = [];
  if (kind === 'commands-put') {
    if (!Array.isArray(body)) return ['bulk overwrite body must be an array'];
    const chatInput = body.filter((c) => (c?.type ?? 1) === 1);
    if (chatInput.length > 100) violations.push('more than 100 chat-input commands');
    if (body.filter((c) => c?.type === 3).length > 5) violations.push('more than 5 message commands');
    body.forEach((command, i) => {
      // Discord takes permission bitfields as strings (they outgrow 2^53); the spec types them as integers.
      const normalised =
        typeof command?.default_member_permissions === 'string' && /^\d+$/.test(command.default_member_permissions)
          ? { ...command, default_member_permissions: Number(command.default_member_permissions) }
          : command;
      const r = (spec.ApplicationCommandUpdateRequestSchema as Schema).safeParse(normalised);
      if (!r.success) violations.push(...formatIssues(r.error.issues).map((m) => `commands[${i}] ${m}`));
      const isChatInput = (command?.type ?? 1) === 1;
      if (isChatInput && typeof command?.name === 'string' && command.name !== command.name.toLowerCase()) violations.push(`commands[${i}] name must be lowercase`);
      if (!isChatInput && (command?.description || command?.options)) violations.push(`commands[${i}] a context-menu command takes no description or options`);
    });
    return violations;
  }
  const schema = schemaFor(kind, body);
  if (!schema) return [`no schema for ${kind} payload of type ${(body as any)?.type}`];
  const result = schema.safeParse(body);
  if (!result.success) violations.push(...formatIssues(result.error.issues));
  else unknownKeys(schema, body, '', violations);

  if (kind === 'callback' && (body as any)?.type === 8) {
    const choices = (body as any).data?.choices ?? [];
    if (choices.length > 25) violations.push(`autocomplete has ${choices.length} choices (max 25)`);
  }
  const message = messageOf(kind, body);
  if (message) {
    const embeds: any[] = message.embeds ?? [];
    const total = embeds.reduce((sum, e) => sum + embedLength(e), 0);
    if (total > 6000) violations.push(`embeds total ${total} characters (max 6000)`);
    const isV2 = ((message.flags ?? 0) & (1 << 15)) !== 0;
    const rows = (message.components ?? []).length;
    if (!isV2 && rows > 5) violations.push(`${rows} action rows (max 5)`);
    const carriesText = typeof message.content === 'string' || embeds.length > 0;
    const am = message.allowed_mentions;
    // The one exception: an explicit opt-in role ping a test allowed (reading-session reminders).
    const roles = (am?.roles ?? []).filter((r: string) => !options.allowedRoles?.has(r));
    if (carriesText && kind !== 'webhook-edit') {
      if (!am) violations.push('allowed_mentions is missing: the message could ping');
      else if ((am.parse ?? []).length > 0 || (am.users ?? []).length > 0 || roles.length > 0) {
        violations.push(`allowed_mentions permits pings: ${JSON.stringify(am)}`);
      }
    }
    if (carriesText && kind === 'webhook-edit' && am && ((am.parse ?? []).length > 0 || (am.users ?? []).length > 0 || (am.roles ?? []).length > 0)) {
      violations.push(`allowed_mentions permits pings: ${JSON.stringify(am)}`);
    }
  }
  return violations;
}

/**
 * Checks an incoming message context-menu interaction built by the harness: its target is in `resolved.messages`
 * and that message (with its author) is a valid message object by the spec.
 */
export function validateMessageCommandInteraction(payload: any): string[] {
  const violations: string[] = [];
  if (payload?.type !== 2 || payload?.data?.type !== 3) violations.push('not an application command of type 3');
  const target = payload?.data?.resolved?.messages?.[payload?.data?.target_id];
  if (!target) return [...violations, 'data.target_id is not in data.resolved.messages'];
  if (target.id !== payload.data.target_id) violations.push('resolved message id differs from target_id');
  const message = (spec.MessageResponseSchema as Schema).safeParse(target);
  if (!message.success) violations.push(...formatIssues(message.error.issues).map((m) => `message ${m}`));
  const author = (spec.UserResponseSchema as Schema).safeParse(target.author);
  if (!author.success) violations.push(...formatIssues(author.error.issues).map((m) => `author ${m}`));
  return violations;
}
