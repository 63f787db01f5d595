/** Registration JSON types of commands, apart from the handler types (./command.ts) that need Services. */
import type {
  ApplicationCommandType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** Registration JSON as written in a command module (`as const satisfies CommandData`). */
export type CommandData = DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>;

/** Registration JSON of a message context-menu command (type 3, shown under a message's Apps menu). */
export type MessageCommandData = DeepReadonly<RESTPostAPIContextMenuApplicationCommandsJSONBody> & { readonly type: ApplicationCommandType.Message };

/** What the services keep of each loaded command module (for /help and the permission checks). */
export interface CommandInfo {
  readonly data: CommandData | MessageCommandData;
}
