/**
 * The one empty-state pattern: say what is empty, then offer exactly one next step the member can click (a
 * command mention from cmd(), or a button). Use it for every "nothing here" answer so they all read alike.
 *
 *   emptyState({ what: 'You have no claims in this server.', next: `Find a problem with ${cmd('problem random')}.` })
 */
import { ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIComponentInMessageActionRow, type APIEmbed } from 'discord-api-types/v10';

export interface EmptyState {
  /** What is empty, as a full sentence: "Nobody here is working on a problem right now." */
  what: string;
  /** One next step, as a sentence with a cmd() mention: "Find one with </problem random:…>." */
  next: string;
  /** Optionally, the same next step as a button (then `next` may describe the button). */
  button?: APIButtonComponent;
}

/** The empty state as one line of text, for places that embed it in a larger answer. */
export function emptyStateText({ what, next }: EmptyState): string {
  return `${what} ${next}`;
}

/**
 * The empty state as a whole message payload. `embeds` and `components` are set (possibly empty) so that using it
 * to update an existing message clears what was there.
 */
export function emptyState(state: EmptyState): {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  return {
    content: emptyStateText(state),
    embeds: [],
    components: state.button ? [{ type: ComponentType.ActionRow, components: [state.button] }] : [],
  };
}
