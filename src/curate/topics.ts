/** /curate topic add|edit|remove: a server's own topics, to tag its resources with (and filter /resources by). */
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { customId } from '../discord/custom-id.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { isServerId, serverSlug } from '../domain/overlay.ts';
import { Topic } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import type { Services } from '../services.ts';
import { overlayProblems } from './apply.ts';
import { fieldsOf, problemList, showModal } from './entries.ts';

function topicModal(custom: string, title: string, prefill?: Topic): APIModalInteractionResponseCallbackData {
  const row = (custom_id: string, label: string, style: TextInputStyle, min: number, max: number, value?: string) => ({
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.TextInput as const, custom_id, label, style, required: true, min_length: min, max_length: max, ...(value ? { value } : {}) }],
  });
  return {
    custom_id: custom,
    title: title.slice(0, 45),
    components: [row('label', 'Topic', TextInputStyle.Short, 2, 60, prefill?.label), row('description', 'What belongs under it', TextInputStyle.Paragraph, 10, 200, prefill?.description)],
  };
}

export async function openTopicForm(interaction: ChatInputCommandInteraction, services: Services, action: 'add' | 'edit', id: string | undefined) {
  if (action === 'add') return showModal(interaction, topicModal(customId('curate', 'oadd'), 'Add a topic'));
  const topic = id ? services.registry.topicById.get(id) : undefined;
  if (!topic || !isServerId(topic.id)) return replyEphemeral(interaction, `Pick one of this server’s topics from the \`id\` list; shipped topics can be hidden with ${cmd('curate hide')}.`);
  return showModal(interaction, topicModal(customId('curate', 'oedit', topic.id), `Edit ${topic.label}`, topic));
}

type Result = { ok: true; id: string; replaced: boolean } | { ok: false; problems: string[] };

export async function saveTopic(interaction: ModalSubmitInteraction, services: Services, editId?: string) {
  const f = fieldsOf(interaction, ['label', 'description'] as const);
  const result = await services.repos.overlays.mutate<Result>(interaction.guildId!, (current) => {
    const existing = editId ? current.topics.find((t) => t.id === editId) : undefined;
    if (editId && !existing) return { result: { ok: false, problems: [`this server has no topic "${editId}"`] } };
    const parsed = Topic.safeParse({ id: existing?.id ?? serverSlug(f.label), label: f.label.trim(), description: f.description.replace(/\s+/g, ' ').trim() });
    if (!parsed.success) return { result: { ok: false, problems: parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.')}: ${i.message}`) } };
    if (!existing && current.topics.some((t) => t.id === parsed.data.id)) return { result: { ok: false, problems: [`this server already has a topic "${parsed.data.id}"`] } };
    const next = { ...current, topics: existing ? current.topics.map((t) => (t === existing ? parsed.data : t)) : [...current.topics, parsed.data] };
    const problems = overlayProblems(services.registryViews.shipped, next);
    return problems.length ? { result: { ok: false, problems } } : { next, result: { ok: true, id: parsed.data.id, replaced: Boolean(existing) } };
  });
  if (!result.ok) return replyEphemeral(interaction, problemList('Nothing was saved:', result.problems));
  await replyEphemeral(interaction, `${result.replaced ? 'Updated' : 'Added'} topic \`${result.id}\`. Tag resources with it in ${cmd('curate resource')}; members filter by it in ${cmd('resources')}.`);
}

export async function removeTopic(interaction: ChatInputCommandInteraction, services: Services, id: string | undefined) {
  if (!id || !isServerId(id)) return replyEphemeral(interaction, 'Pick one of this server’s topics from the `id` list.');
  const result = await services.repos.overlays.mutate<Result>(interaction.guildId!, (current) => {
    if (!current.topics.some((t) => t.id === id)) return { result: { ok: false, problems: [`this server has no topic "${id}"`] } };
    const next = { ...current, topics: current.topics.filter((t) => t.id !== id) };
    const problems = overlayProblems(services.registryViews.shipped, next);
    return problems.length ? { result: { ok: false, problems: problems.map((p) => `${p} (retag that resource first)`) } } : { next, result: { ok: true, id, replaced: false } };
  });
  if (!result.ok) return replyEphemeral(interaction, problemList('Nothing was removed:', result.problems));
  await replyEphemeral(interaction, `Removed topic \`${quote(id, 60)}\` from this server.`);
}
