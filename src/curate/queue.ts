/**
 * Members' suggestions: /suggest term|resource opens the same modal curators use; the entry waits in the queue;
 * /curate queue shows the oldest with Approve, Edit and Reject (the suggestion id rides in each custom_id). The
 * member learns the outcome by DM; when their DMs are closed it is kept and shown the next time they use /suggest.
 */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord-api-types/v10';
import type { ButtonInteraction, ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { customId } from '../discord/custom-id.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { restMessenger } from '../flashcards/direct-messages.ts';
import type { GlossaryTerm, Resource } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import type { MessagePayload } from '../render/glossary.ts';
import { REFERENCE_COLOUR } from '../render/style.ts';
import { truncate } from '../render/text.ts';
import type { Services } from '../services.ts';
import type { Suggestion } from '../store/repos/suggestions.ts';
import { putResource, putTerm } from './apply.ts';
import { decodeChoices, encodeChoices, fieldsOf, showModal, problemList, resourceChoices, RESOURCE_FIELDS, TERM_FIELDS, type ResourceOptions } from './entries.ts';
import { parseResourceForm, parseTermForm, resourceModal, termModal } from './forms.ts';

export async function openSuggestion(interaction: ChatInputCommandInteraction, services: Services, kind: 'term' | 'resource', options: ResourceOptions) {
  if (!interaction.inGuild()) return replyEphemeral(interaction, 'Suggestions go to a server’s curators: use this in a server.');
  if (kind === 'term') return showModal(interaction, termModal(customId('suggest', 'term'), 'Suggest a glossary term'));
  const picked = resourceChoices(services, options);
  if (!picked.ok) return replyEphemeral(interaction, picked.message);
  return showModal(interaction, resourceModal(customId('suggest', 'res', ...encodeChoices(picked.choices)), 'Suggest a resource'));
}

/** A member's modal: checked like a curator's entry (so curators only see entries that would pass), then queued. */
export async function submitSuggestion(interaction: ModalSubmitInteraction, services: Services, kind: 'term' | 'resource', parts: string[]) {
  if (!interaction.inGuild()) return;
  let entry: { term: GlossaryTerm } | { resource: Resource };
  if (kind === 'term') {
    const parsed = parseTermForm(fieldsOf(interaction, TERM_FIELDS), services.registry);
    if (!parsed.ok) return replyEphemeral(interaction, problemList('Your suggestion was not sent:', parsed.problems));
    entry = { term: parsed.entry };
  } else {
    const choices = decodeChoices(parts[0] ?? '', parts[1] ?? '', parts[2] ?? '', parts[3] ?? '');
    if (!choices) return replyEphemeral(interaction, 'This form is out of date. Run /suggest resource again.');
    const parsed = parseResourceForm(fieldsOf(interaction, RESOURCE_FIELDS), choices, services.registry);
    if (!parsed.ok) return replyEphemeral(interaction, problemList('Your suggestion was not sent:', parsed.problems));
    entry = { resource: parsed.entry };
  }
  const added = await services.repos.suggestions.add(interaction.guildId, interaction.user.id, entry, services.clock.now());
  const notices = await services.repos.suggestions.takeNotices(interaction.guildId, interaction.user.id);
  const earlier = notices.length ? `\n\nNews about your earlier suggestions:\n${notices.map((n) => `• ${n}`).join('\n')}` : '';
  if (!added.ok) return replyEphemeral(interaction, `${added.reason}${earlier}`);
  const name = 'term' in entry ? entry.term.term : entry.resource.title;
  await replyEphemeral(interaction, `Thanks! **${quote(name, 100)}** is in the queue for this server’s curators. I’ll tell you by DM whether it was added (or here, next time you suggest something, if your DMs are closed).${earlier}`);
}

const nameOf = (s: Suggestion) => s.term?.term ?? s.resource?.title ?? 'suggestion';

function suggestionEmbed(s: Suggestion, position: number, total: number): APIEmbed {
  const fields: NonNullable<APIEmbed['fields']> = [{ name: 'Suggested by', value: `<@${s.userId}> · <t:${Math.floor(s.createdAt / 1000)}:R>` }];
  if (s.term) {
    if (s.term.aliases.length) fields.push({ name: 'Also called', value: truncate(s.term.aliases.join(', '), 1024) });
    fields.push({ name: 'Source', value: truncate(s.term.source.url, 1024) });
    if (s.term.related.length) fields.push({ name: 'Related', value: truncate(s.term.related.join(', '), 1024) });
  }
  if (s.resource) {
    fields.push({ name: 'Link', value: truncate(s.resource.url, 1024) });
    fields.push({ name: 'Kind', value: `${s.resource.kind} · ${s.resource.level} · topic ${s.resource.topics.join(', ')}` });
    if (s.resource.authors.length) fields.push({ name: 'Authors', value: truncate(`${s.resource.authors.join(', ')}${s.resource.year ? ` (${s.resource.year})` : ''}`, 1024) });
  }
  return {
    title: truncate(`${s.term ? 'Term' : 'Resource'}: ${nameOf(s)}`, 256),
    description: truncate(s.term?.definition ?? s.resource?.summary ?? '', 4096),
    color: REFERENCE_COLOUR,
    fields,
    footer: { text: `Suggestion ${position} of ${total} waiting` },
  };
}

/** The oldest waiting suggestion with its buttons, or the empty state. */
export async function queuePayload(services: Services, guildId: string, notice?: string): Promise<MessagePayload> {
  const { queue } = await services.repos.suggestions.get(guildId);
  const lead = notice ? `${notice}\n` : '';
  const first = queue[0];
  if (!first) return { content: `${lead}No suggestions are waiting. Members propose entries with ${cmd('suggest term')} and ${cmd('suggest resource')}.`, embeds: [], components: [] };
  return {
    content: lead || undefined,
    embeds: [suggestionEmbed(first, 1, queue.length)],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Approve', custom_id: customId('curate', 'qok', first.id) },
          { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Edit', custom_id: customId('curate', 'qedit', first.id) },
          { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Reject', custom_id: customId('curate', 'qno', first.id) },
        ],
      },
    ],
  };
}

/** Tells the member privately: a DM, or a note shown the next time they use /suggest. */
async function tellMember(interaction: ButtonInteraction | ModalSubmitInteraction, services: Services, userId: string, text: string) {
  const server = interaction.guild?.name ?? 'the server';
  try {
    await restMessenger(interaction.client.rest).send(userId, { content: `${text} (in **${quote(server, 80)}**)` });
  } catch {
    await services.repos.suggestions.addNotice(interaction.guildId!, userId, text);
  }
}

const findSuggestion = async (services: Services, guildId: string, id: number) => (await services.repos.suggestions.get(guildId)).queue.find((q) => q.id === id);

/** Approve as suggested, or (`edited`) with the curator's changes. The entry is saved before it leaves the queue. */
export async function approve(interaction: ButtonInteraction | ModalSubmitInteraction, services: Services, id: number, edited?: { term: GlossaryTerm } | { resource: Resource }) {
  const guildId = interaction.guildId!;
  const s = await findSuggestion(services, guildId, id);
  if (!s) return refresh(interaction, services, 'That suggestion was already handled.');
  const term = edited ? ('term' in edited ? edited.term : undefined) : s.term;
  const resource = edited ? ('resource' in edited ? edited.resource : undefined) : s.resource;
  const shipped = services.registryViews.shipped;
  const outcome = term ? await putTerm(services.repos.overlays, shipped, guildId, term, 'add') : resource ? await putResource(services.repos.overlays, shipped, guildId, resource, 'add') : undefined;
  if (!outcome) return refresh(interaction, services, 'That suggestion is empty.');
  if (!outcome.ok) return replyEphemeral(interaction, problemList('Not approved yet: fix these with Edit, or reject it.', outcome.problems));
  await services.repos.suggestions.take(guildId, id);
  const name = term?.term ?? resource?.title ?? '';
  await tellMember(interaction, services, s.userId, `Your suggestion **${quote(name, 100)}** was approved and added${term ? ' to the glossary' : ' to the resources'}.`);
  await refresh(interaction, services, `Approved **${quote(name, 100)}** (\`${term?.id ?? resource?.id}\`).`);
}

export async function reject(interaction: ButtonInteraction, services: Services, id: number) {
  const s = await services.repos.suggestions.take(interaction.guildId!, id);
  if (!s) return refresh(interaction, services, 'That suggestion was already handled.');
  await tellMember(interaction, services, s.userId, `Your suggestion **${quote(nameOf(s), 100)}** was not added this time. Thank you for suggesting it.`);
  await refresh(interaction, services, `Rejected **${quote(nameOf(s), 100)}**.`);
}

export async function openEdit(interaction: ButtonInteraction, services: Services, id: number) {
  const s = await findSuggestion(services, interaction.guildId!, id);
  if (!s) return refresh(interaction, services, 'That suggestion was already handled.');
  const modalId = customId('curate', 'qsave', id);
  if (s.term) return showModal(interaction, termModal(modalId, `Edit: ${s.term.term}`, s.term, services.registry));
  if (s.resource) return showModal(interaction, resourceModal(modalId, `Edit: ${s.resource.title}`, s.resource, services.registry));
}

export async function saveEdited(interaction: ModalSubmitInteraction, services: Services, id: number) {
  const s = await findSuggestion(services, interaction.guildId!, id);
  if (!s) return replyEphemeral(interaction, 'That suggestion was already handled.');
  if (s.term) {
    const parsed = parseTermForm(fieldsOf(interaction, TERM_FIELDS), services.registry);
    if (!parsed.ok) return replyEphemeral(interaction, problemList('Not approved:', parsed.problems));
    return approve(interaction, services, id, { term: parsed.entry });
  }
  if (s.resource) {
    const r = s.resource;
    const parsed = parseResourceForm(fieldsOf(interaction, RESOURCE_FIELDS), { kind: r.kind, level: r.level, topic: r.topics[0]!, minutes: r.estMinutes }, services.registry);
    if (!parsed.ok) return replyEphemeral(interaction, problemList('Not approved:', parsed.problems));
    return approve(interaction, services, id, { resource: parsed.entry });
  }
}

/** Shows the next suggestion in place of the handled one (a modal submit from a button's message updates it too). */
async function refresh(interaction: ButtonInteraction | ModalSubmitInteraction, services: Services, notice: string) {
  const payload = await queuePayload(services, interaction.guildId!, notice);
  if (interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage())) await interaction.update({ ...payload, content: payload.content ?? null });
  else await replyEphemeral(interaction, { ...payload });
}
