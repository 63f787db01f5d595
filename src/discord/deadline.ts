/**
 * Discord's 3-second first response, guaranteed: an interaction its handler has not started answering by
 * `deferAfterMs` after it was created is deferred (ephemeral unless the command says its answers are public;
 * a component's message is deferred as an update), and the handler's later `reply`/`update` become an edit of the
 * deferred response. Handlers need no change: the interaction's own methods are wrapped. A reply whose visibility
 * differs from the deferral's is sent as a follow-up after the deferred placeholder is deleted, so a private answer
 * is never made public and a public one still reaches the channel. A command or component declared `opensModal`
 * is not guarded at all (the router skips it): Discord accepts no modal after a deferral.
 */
import { MessageFlags, MessageFlagsBitField, type Interaction, type RepliableInteraction } from 'discord.js';

export interface DeadlineOptions {
  /** Defer an interaction not answered this many ms after its creation (default 2,000: a second to spare for a busy event loop). */
  deferAfterMs?: number;
  /** Wall clock, compared with the interaction's snowflake time. */
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Called when an interaction was deferred by the deadline (logs, bench counters). */
  onDeferred?: (interaction: Interaction, elapsedMs: number) => void;
}

export const DEFAULT_DEFER_AFTER_MS = 2_000;
const DISCORD_DEADLINE_MS = 3_000;

type AnyFn = (...args: any[]) => Promise<any>;

function isEphemeral(options: unknown): boolean {
  if (typeof options !== 'object' || options === null) return false;
  const o = options as { flags?: unknown; ephemeral?: boolean };
  if (o.ephemeral) return true;
  if (o.flags === undefined || o.flags === null) return false;
  try {
    return new MessageFlagsBitField(o.flags as never).has(MessageFlags.Ephemeral);
  } catch {
    return false;
  }
}

function forEdit(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const { flags: _flags, ephemeral: _ephemeral, withResponse: _withResponse, fetchReply: _fetchReply, ...rest } = options as Record<string, unknown>;
  return rest;
}

function forFollowUp(options: unknown): unknown {
  if (typeof options !== 'object' || options === null) return options;
  const { withResponse: _withResponse, fetchReply: _fetchReply, ...rest } = options as Record<string, unknown>;
  return rest;
}

/** What `reply({ withResponse: true })` resolves to, for handlers that read the message it created. */
function asResponse(options: unknown, message: unknown): unknown {
  const wants = typeof options === 'object' && options !== null && (options as { withResponse?: boolean }).withResponse;
  return wants ? { resource: { message } } : undefined;
}

/** Wraps a repliable interaction's response methods; returns a disposer that cancels the pending deferral. */
export function guardDeadline(interaction: RepliableInteraction, options: DeadlineOptions & { ephemeral: boolean }): () => void {
  const deferAfter = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  const target = interaction as unknown as Record<string, AnyFn>;
  const original = (name: string): AnyFn => (target[name] as AnyFn).bind(interaction);
  const reply = original('reply');
  const deferReply = original('deferReply');
  const editReply = original('editReply');
  const followUp = original('followUp');
  const deleteReply = original('deleteReply');
  const isUpdate = interaction.isMessageComponent() || (interaction.isModalSubmit() && interaction.isFromMessage());
  const update = isUpdate ? original('update') : undefined;
  const deferUpdate = isUpdate ? original('deferUpdate') : undefined;
  const showModal = 'showModal' in interaction ? original('showModal') : undefined;

  let started = false;
  let deferral: Promise<unknown> | undefined;
  // Measured from the interaction's creation (its snowflake); a clock that disagrees by seconds falls back to receipt.
  const elapsed = now() - interaction.createdTimestamp;
  const wait = elapsed >= 0 && elapsed < DISCORD_DEADLINE_MS ? Math.max(0, deferAfter - elapsed) : deferAfter;
  let timer: unknown = setTimer(() => {
    timer = undefined;
    if (started || interaction.deferred || interaction.replied) return;
    started = true;
    options.onDeferred?.(interaction, now() - interaction.createdTimestamp);
    deferral = isUpdate ? deferUpdate!() : deferReply(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    // A failed deferral surfaces to the handler's reply, which awaits it.
    deferral.catch(() => undefined);
  }, wait);
  const first = () => {
    started = true;
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
  };

  target.reply = async (opts: unknown) => {
    if (!deferral) {
      first();
      return reply(opts);
    }
    await deferral;
    let message: unknown;
    if (isUpdate) message = await followUp(forFollowUp(opts));
    else if (isEphemeral(opts) === options.ephemeral) message = await editReply(forEdit(opts));
    else {
      await deleteReply();
      message = await followUp(forFollowUp(opts));
    }
    return asResponse(opts, message);
  };
  target.deferReply = async (opts: unknown) => {
    if (!deferral) {
      first();
      return deferReply(opts);
    }
    await deferral;
    return undefined;
  };
  if (isUpdate) {
    target.update = async (opts: unknown) => {
      if (!deferral) {
        first();
        return update!(opts);
      }
      await deferral;
      return asResponse(opts, await editReply(forEdit(opts)));
    };
    target.deferUpdate = async (opts: unknown) => {
      if (!deferral) {
        first();
        return deferUpdate!(opts);
      }
      await deferral;
      return undefined;
    };
  }
  if (showModal) {
    target.showModal = async (...args: unknown[]) => {
      if (!deferral) first();
      return showModal(...args);
    };
  }
  return () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
  };
}
