/** /curate term|resource add|edit|remove: opening the modals, and saving what the curator sent. */
import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { customId } from '../discord/custom-id.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { isServerId } from '../domain/overlay.ts';
import { Level, ResourceKind } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import type { Services } from '../services.ts';
import { putResource, putTerm, removeEntry, type Outcome } from './apply.ts';
import { parseResourceForm, parseTermForm, resolveTopicId, resourceModal, termModal, type ResourceChoices, type ResourceFields, type TermFields } from './forms.ts';

export const TERM_FIELDS: readonly TermFields[] = ['term', 'aliases', 'definition', 'source', 'related'];
export const RESOURCE_FIELDS: readonly ResourceFields[] = ['title', 'url', 'summary', 'authors', 'terms'];

/** Opens a modal (the interaction's first response). */
export async function showModal(interaction: ChatInputCommandInteraction | ButtonInteraction, modal: APIModalInteractionResponseCallbackData): Promise<void> {
  await interaction.showModal(modal);
}

export function fieldsOf<K extends string>(interaction: ModalSubmitInteraction, names: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const name of names) {
    let value = '';
    try {
      value = interaction.fields.getTextInputValue(name) ?? '';
    } catch {
      value = '';
    }
    out[name] = value;
  }
  return out;
}

/** A bulleted list of problems, short enough for one message. */
export function problemList(lead: string, problems: readonly string[]): string {
  const shown = problems.slice(0, 8).map((p) => `• ${quote(p, 180)}`);
  const more = problems.length > 8 ? `\n…and ${problems.length - 8} more.` : '';
  return `${lead}\n${shown.join('\n')}${more}`;
}

/** The kind/level/topic/minutes a resource modal carries in its custom_id. */
export const encodeChoices = (c: ResourceChoices) => [ResourceKind.options.indexOf(c.kind), Level.options.indexOf(c.level), c.topic, c.minutes ?? '-'] as const;
/** Decodes encodeChoices' parts (kind and level as their index in the enum, to leave room in the custom_id). */
export function decodeChoices(kind: string, level: string, topic: string, minutes: string): ResourceChoices | undefined {
  const k = ResourceKind.safeParse(/^\d+$/.test(kind) ? ResourceKind.options[Number(kind)] : kind);
  const l = Level.safeParse(/^\d+$/.test(level) ? Level.options[Number(level)] : level);
  if (!k.success || !l.success) return undefined;
  const m = minutes === '-' ? null : Number(minutes);
  if (m !== null && (!Number.isInteger(m) || m <= 0)) return undefined;
  return { kind: k.data, level: l.data, topic, minutes: m };
}

export interface ResourceOptions {
  kind?: string | undefined;
  level?: string | undefined;
  topic?: string | undefined;
  minutes?: number | undefined;
}

/** Kind, level and topic from the slash options (falling back to `base`), or the message saying what is missing. */
export function resourceChoices(services: Services, options: ResourceOptions, base?: ResourceChoices): { ok: true; choices: ResourceChoices } | { ok: false; message: string } {
  const kind = options.kind ?? base?.kind;
  const level = options.level ?? base?.level;
  const topicValue = options.topic ?? base?.topic;
  if (!kind || !level || !topicValue) return { ok: false, message: 'Pick a `kind`, a `level` and a `topic` for a new resource; the modal then asks for the title, link and summary.' };
  const topic = resolveTopicId(services.registry, topicValue);
  if (!topic) return { ok: false, message: `Unknown topic "${quote(topicValue)}". Pick one from the list.` };
  const choices = decodeChoices(kind, level, topic, options.minutes === undefined ? String(base?.minutes ?? '-') : String(options.minutes));
  if (!choices) return { ok: false, message: 'Pick the kind and level from the lists, and give minutes as a whole number.' };
  return { ok: true, choices };
}

export async function openTermForm(interaction: ChatInputCommandInteraction, services: Services, action: 'add' | 'edit', id: string | undefined) {
  if (action === 'add') return showModal(interaction, termModal(customId('curate', 'tadd'), 'Add a glossary term'));
  const term = id ? services.registry.termById.get(id) : undefined;
  if (!term || !isServerId(term.id)) return replyEphemeral(interaction, `Pick one of this server’s terms from the \`id\` list. Shipped terms cannot be edited here, but you can hide them with ${cmd('curate hide')}.`);
  return showModal(interaction, termModal(customId('curate', 'tedit', term.id), `Edit ${term.term}`, term, services.registry));
}

export async function openResourceForm(interaction: ChatInputCommandInteraction, services: Services, action: 'add' | 'edit', id: string | undefined, options: ResourceOptions) {
  if (action === 'add') {
    const picked = resourceChoices(services, options);
    if (!picked.ok) return replyEphemeral(interaction, picked.message);
    return showModal(interaction, resourceModal(customId('curate', 'radd', ...encodeChoices(picked.choices)), 'Add a resource'));
  }
  const resource = id ? services.registry.resourceById.get(id) : undefined;
  if (!resource || !isServerId(resource.id)) return replyEphemeral(interaction, `Pick one of this server’s resources from the \`id\` list. Shipped resources cannot be edited here, but you can hide them with ${cmd('curate hide')}.`);
  const picked = resourceChoices(services, options, { kind: resource.kind, level: resource.level, topic: resource.topics[0]!, minutes: resource.estMinutes });
  if (!picked.ok) return replyEphemeral(interaction, picked.message);
  return showModal(interaction, resourceModal(customId('curate', 'redit', resource.id, ...encodeChoices(picked.choices)), `Edit ${resource.title}`, resource, services.registry));
}

function outcomeMessage(outcome: Outcome, what: string, id: string, where: string): string {
  if (!outcome.ok) return problemList(`Nothing was saved: ${plainWhat(what)} has ${outcome.problems.length === 1 ? 'a problem' : `${outcome.problems.length} problems`}.`, outcome.problems);
  return `${outcome.replaced ? 'Updated' : 'Added'} **${what}** (\`${id}\`) ${outcome.replaced ? 'in' : 'to'} this server’s ${where}. It shows with a “Server” tag.`;
}
const plainWhat = (what: string) => `“${what}”`;

/** Saves a term from a modal; `editId` when editing one. */
export async function saveTerm(interaction: ModalSubmitInteraction, services: Services, editId?: string) {
  const base = editId ? services.registry.termById.get(editId) : undefined;
  if (editId && (!base || !isServerId(editId))) return replyEphemeral(interaction, 'That term is no longer in this server’s glossary. Nothing was saved.');
  const parsed = parseTermForm(fieldsOf(interaction, TERM_FIELDS), services.registry, base);
  if (!parsed.ok) return replyEphemeral(interaction, problemList('Nothing was saved:', parsed.problems));
  const outcome = await putTerm(services.repos.overlays, services.registryViews.shipped, interaction.guildId!, parsed.entry, editId ? 'edit' : 'add');
  await replyEphemeral(interaction, `${outcomeMessage(outcome, parsed.entry.term, parsed.entry.id, 'glossary')}${outcome.ok ? ` Look it up with ${cmd('glossary lookup')}.` : ''}`);
}

export async function saveResource(interaction: ModalSubmitInteraction, services: Services, choices: ResourceChoices, editId?: string) {
  const base = editId ? services.registry.resourceById.get(editId) : undefined;
  if (editId && (!base || !isServerId(editId))) return replyEphemeral(interaction, 'That resource is no longer in this server’s list. Nothing was saved.');
  const parsed = parseResourceForm(fieldsOf(interaction, RESOURCE_FIELDS), choices, services.registry, base);
  if (!parsed.ok) return replyEphemeral(interaction, problemList('Nothing was saved:', parsed.problems));
  const outcome = await putResource(services.repos.overlays, services.registryViews.shipped, interaction.guildId!, parsed.entry, editId ? 'edit' : 'add');
  await replyEphemeral(interaction, `${outcomeMessage(outcome, parsed.entry.title, parsed.entry.id, 'resources')}${outcome.ok ? ` Browse it with ${cmd('resources')}.` : ''}`);
}

export async function removeServerEntry(interaction: ChatInputCommandInteraction, services: Services, kind: 'term' | 'resource', id: string | undefined) {
  if (!id || !isServerId(id)) return replyEphemeral(interaction, `Pick one of this server’s ${kind}s from the \`id\` list. Shipped entries are hidden with ${cmd('curate hide')}, never removed.`);
  const guildId = interaction.guildId!;
  const result = await removeEntry(services.repos.overlays, services.registryViews.shipped, guildId, kind, id);
  if (!result.ok) return replyEphemeral(interaction, problemList('Nothing was removed:', result.problems));
  let kept: string;
  if (kind === 'resource') {
    const done = await services.repos.progress.doneCount(guildId, id);
    kept = `Members’ progress on it is kept${done > 0 ? ` (${done} finished it)` : ''}: add it again with the same title and it comes back.`;
  } else {
    kept = 'Flashcards members made from it are kept: add it again with the same term and they come back.';
  }
  await replyEphemeral(interaction, `Removed **${quote(result.title, 100)}** (\`${id}\`) from this server. ${kept}`);
}
