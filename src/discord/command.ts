/**
 * The shape of a command module, and the types that derive handler arguments from its registration JSON.
 * One definition drives registration, argument parsing, help text and handler types, so they cannot drift.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
  User,
} from 'discord.js';
import type { z } from 'zod';
import type { Services } from '../services.ts';

import type { CommandData, MessageCommandData } from './command-data.ts';

export type { CommandData, CommandInfo, MessageCommandData } from './command-data.ts';

type Opt = { readonly type: number; readonly name: string; readonly required?: boolean; readonly options?: readonly Opt[] };

type ValueOf<O extends Opt> = O extends { readonly type: ApplicationCommandOptionType.String; readonly choices: readonly { readonly value: infer V }[] }
  ? V
  : O['type'] extends ApplicationCommandOptionType.String
    ? string
    : O['type'] extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
      ? number
      : O['type'] extends ApplicationCommandOptionType.Boolean
        ? boolean
        : O['type'] extends ApplicationCommandOptionType.User
          ? User
          : O['type'] extends ApplicationCommandOptionType.Channel | ApplicationCommandOptionType.Role | ApplicationCommandOptionType.Mentionable
            ? { id: string }
            : never;

type OptionsOf<Os extends readonly Opt[] | undefined> = Os extends readonly Opt[]
  ? { [O in Os[number] as O['name']]: O extends { readonly required: true } ? ValueOf<O> : ValueOf<O> | undefined }
  : Record<never, never>;

/** Parsed arguments: a discriminated union over subcommands, or options of a command without subcommands. */
export type ArgsOf<D extends CommandData> = D['options'] extends readonly Opt[]
  ? D['options'][number] extends infer O
    ? O extends { readonly type: ApplicationCommandOptionType.Subcommand; readonly name: infer N; readonly options?: infer SO }
      ? { subcommand: N; options: OptionsOf<SO extends readonly Opt[] ? SO : undefined> }
      : O extends Opt
        ? { subcommand: null; options: OptionsOf<D['options']> }
        : never
    : never
  : { subcommand: null; options: Record<never, never> };

export type ComponentInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

/** A button, select or modal handler matched by `<command>:<action>` and fed parsed custom_id arguments. */
export interface ComponentHandler<P extends z.ZodType<unknown[]> = z.ZodType<unknown[]>> {
  /** Validates the custom_id parts after the prefix, so handlers only ever see typed state. */
  readonly args: P;
  /**
   * It may answer with a modal. The deadline guard (src/discord/deadline.ts) never defers it, since a deferred
   * interaction cannot show a modal: it must answer within 3 s on its own (read little before the modal).
   */
  readonly opensModal?: boolean;
  run(interaction: ComponentInteraction, args: z.output<P>, services: Services): Promise<void>;
}

export interface ChatInputCommand<D extends CommandData = CommandData> {
  readonly data: D;
  execute(interaction: ChatInputCommandInteraction, args: ArgsOf<D>, services: Services): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, services: Services): Promise<void>;
  /** Its answers are public: a deadline deferral (src/discord/deadline.ts) is then public too. Default: private. */
  readonly publicAnswers?: boolean;
  /**
   * It may answer with a modal. The deadline guard (src/discord/deadline.ts) never defers it, since a deferred
   * interaction cannot show a modal: it must answer within 3 s on its own (read little before the modal). A
   * function decides per interaction (the subcommands or actions that open one), so the others stay guarded.
   */
  readonly opensModal?: boolean | ((interaction: ChatInputCommandInteraction) => boolean);
  /** Keyed by action, the second segment of the custom_id. */
  readonly components?: Readonly<Record<string, ComponentHandler<any>>>;
}

/** A message context-menu command: its handler gets the message it was invoked on (`interaction.targetMessage`). */
export interface MessageCommand<D extends MessageCommandData = MessageCommandData> {
  readonly data: D;
  execute(interaction: MessageContextMenuCommandInteraction, args: null, services: Services): Promise<void>;
  autocomplete?: never;
  readonly publicAnswers?: boolean;
  readonly opensModal?: boolean;
  /** Keyed by action; the custom_id starts with the command's name (`Explain jargon:open:…`). */
  readonly components?: Readonly<Record<string, ComponentHandler<any>>>;
}

/** A command module of either kind; `Command<any>` is the union, narrowed by `isMessageCommand`. */
export type Command<D extends CommandData | MessageCommandData = CommandData> = D extends MessageCommandData ? MessageCommand<D> : ChatInputCommand<D & CommandData>;

export function isMessageCommand(command: Command<any>): command is MessageCommand<any> {
  return (command.data as { type?: number }).type === 3;
}

/** Identity helper that keeps `data` literal so ArgsOf can see option names and types. */
export function defineCommand<const D extends MessageCommandData>(command: MessageCommand<D>): MessageCommand<D>;
export function defineCommand<const D extends CommandData>(command: ChatInputCommand<D>): ChatInputCommand<D>;
export function defineCommand(command: Command<any>): Command<any> {
  return command;
}

export function component<P extends z.ZodType<unknown[]>>(handler: ComponentHandler<P>): ComponentHandler<P> {
  return handler;
}
