/**
 * Dispatches every interaction to its command module. Chat input and autocomplete go by command name; buttons,
 * selects and modals by the custom_id prefix. Every failure is logged with its context and answered with an
 * ephemeral reference, so no interaction is ever left unanswered.
 */
import { randomBytes } from 'node:crypto';
import type { Interaction } from 'discord.js';
import { isMessageCommand, type Command } from './command.ts';
import { parseArgs } from './parse-args.ts';
import { parseCustomId } from './custom-id.ts';
import { replyEphemeral } from './replies.ts';
import type { Services } from '../services.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { guardDeadline, type DeadlineOptions } from './deadline.ts';

const COMMAND_GONE = 'That command is not available any more. An admin may need to run `npm run deploy-commands`.';

export const STORE_UNAVAILABLE_MESSAGE = 'Storage is temporarily unavailable, so nothing was changed. Please try again in a minute.';

export class Router {
  readonly #byName: Map<string, Command<any>>;
  #inFlight = new Set<Promise<void>>();

  constructor(
    readonly commands: readonly Command<any>[],
    private readonly services: Services,
    /** The 3-second first-response guarantee (src/discord/deadline.ts); tests inject timers and a short margin. */
    private readonly deadline: DeadlineOptions = {},
  ) {
    this.#byName = new Map(commands.map((c) => [c.data.name, c]));
  }

  /** Handles one interaction; never rejects. */
  handle(interaction: Interaction): Promise<void> {
    const dispose = this.#guard(interaction);
    const work = this.#dispatch(interaction)
      .catch((error) => this.#fail(interaction, error))
      .finally(dispose);
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
    return work;
  }

  /** Resolves when all interactions being handled have finished (for graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** The services as this interaction's server sees them: its own registry view (shipped + its overlay). */
  async #scoped(interaction: Interaction): Promise<Services> {
    // Reference lookups keep working on the shipped entries while storage is down.
    const registry = await this.services.registryViews.forGuild(interaction.guildId).catch((error: unknown) => {
      this.services.log.warn({ err: error, guildId: interaction.guildId }, 'could not read the server overlay; using the shipped registry');
      return this.services.registry;
    });
    return registry === this.services.registry ? this.services : { ...this.services, registry };
  }

  #guard(interaction: Interaction): () => void {
    if (!interaction.isRepliable()) return () => undefined;
    const parsed = interaction.isMessageComponent() || interaction.isModalSubmit() ? parseCustomId(interaction.customId) : undefined;
    const name = interaction.isCommand() ? interaction.commandName : parsed?.command;
    const command = name === undefined ? undefined : this.#byName.get(name);
    // An answer that may be a modal cannot follow a deferral (Discord refuses it): such handlers are not guarded.
    const declared = interaction.isCommand() ? command?.opensModal : parsed && command?.components?.[parsed.action]?.opensModal;
    const opensModal = typeof declared === 'function' ? interaction.isChatInputCommand() && declared(interaction) : declared;
    if (opensModal) return () => undefined;
    return guardDeadline(interaction, {
      ...this.deadline,
      ephemeral: !(command?.publicAnswers ?? false),
      onDeferred: (i, elapsedMs) => {
        this.services.log.warn({ command: name, guildId: i.guildId, elapsedMs }, 'deferred an interaction to meet the 3-second deadline');
        this.deadline.onDeferred?.(i, elapsedMs);
      },
    });
  }

  async #dispatch(interaction: Interaction): Promise<void> {
    const services = await this.#scoped(interaction);
    if (interaction.isChatInputCommand()) {
      const command = this.#byName.get(interaction.commandName);
      if (!command || isMessageCommand(command)) return replyEphemeral(interaction, COMMAND_GONE);
      const args = parseArgs(interaction.options.data);
      return command.execute(interaction, args as never, services);
    }
    if (interaction.isMessageContextMenuCommand()) {
      const command = this.#byName.get(interaction.commandName);
      if (!command || !isMessageCommand(command)) return replyEphemeral(interaction, COMMAND_GONE);
      return command.execute(interaction, null, services);
    }
    if (interaction.isAutocomplete()) {
      const command = this.#byName.get(interaction.commandName);
      if (!command?.autocomplete) return interaction.respond([]);
      return command.autocomplete(interaction, services);
    }
    if (interaction.isButton() || interaction.isStringSelectMenu() || interaction.isModalSubmit()) {
      const parsed = parseCustomId(interaction.customId);
      const handler = parsed && this.#byName.get(parsed.command)?.components?.[parsed.action];
      if (!parsed || !handler) return replyEphemeral(interaction, 'This button is no longer supported. Run the command again.');
      const args = handler.args.safeParse(parsed.args);
      if (!args.success) return replyEphemeral(interaction, 'This button is out of date. Run the command again.');
      return handler.run(interaction, args.data, services);
    }
  }

  async #fail(interaction: Interaction, error: unknown): Promise<void> {
    const ref = randomBytes(4).toString('hex');
    const context = {
      ref,
      interactionType: interaction.type,
      command: 'commandName' in interaction ? interaction.commandName : undefined,
      customId: 'customId' in interaction ? interaction.customId : undefined,
      guildId: interaction.guildId,
      userId: interaction.user.id,
    };
    const unavailable = error instanceof StoreUnavailableError;
    this.services.log.error({ ...context, err: error }, unavailable ? 'store unavailable' : 'interaction handler failed');
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    if (!interaction.isRepliable()) return;
    const message = unavailable ? STORE_UNAVAILABLE_MESSAGE : `Something went wrong on our side (ref \`${ref}\`). Please try again; if it keeps happening, give a server admin this ref.`;
    await replyEphemeral(interaction, message).catch((replyError) =>
      this.services.log.warn({ ...context, err: replyError }, 'could not send the error reply'),
    );
  }
}
