/**
 * /resources: browse the registry with filters, page through it, open one resource and mark your progress.
 * Browsing is personal, so every view is ephemeral; buttons still check the viewer server-side, because a
 * custom_id can be replayed by anyone who has seen it.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type RepliableInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { filterResources } from '../src/domain/reading.ts';
import { resolveTopic, resourceIndexes } from '../src/domain/resource-search.ts';
import { NEAREST_MAX_DISTANCE } from '../src/domain/glossary-search.ts';
import { Level, ResourceKind, type Resource } from '../src/registry/schema.ts';
import { BACK_TAG, isBackCustomId, listStateCustomId, listStateFrom, renderResourceDetail, renderResourceList, STATUS_FROM_CODE, type ListState } from '../src/render/resources.ts';
import { renderTermCard } from '../src/render/glossary.ts';
import { STATUS_LABEL } from '../src/render/progress-style.ts';
import type { Services } from '../src/services.ts';
import { cmd } from '../src/render/command-mentions.ts';
import { capitalise, kindLabel } from '../src/render/labels.ts';

const notYours = () => `These buttons belong to someone else’s view. Run ${cmd('resources')} to get your own.`;

/** The resources a list state shows, in order: filtered, then ranked by the query if there is one. */
function itemsFor(services: Services, state: ListState): Resource[] {
  const filtered = filterResources(services.registry.resources, {
    kind: state.kind as ResourceKind | undefined,
    level: state.level as Level | undefined,
    topic: state.topic,
  });
  if (!state.query) return filtered;
  const allowed = new Set(filtered.map((r) => r.id));
  return resourceIndexes(services.registry)
    .resources.search(state.query, 200)
    .map((m) => m.item)
    .filter((r) => allowed.has(r.id));
}

export async function detailPayload(services: Services, guildId: string, userId: string, resource: Resource, notice?: string, back?: string) {
  const [progress, doneCount] = await Promise.all([
    services.repos.progress.get(guildId, userId),
    services.repos.progress.doneCount(guildId, resource.id),
  ]);
  return renderResourceDetail({ registry: services.registry, resource, progress, doneCount, viewerId: userId, back, ...(notice ? { notice } : {}) });
}

/** The Back button's custom_id on a message being redrawn, so marking progress keeps the way back. */
export function backOf(message: { components: readonly unknown[] }): string | undefined {
  for (const row of message.components as { components?: { customId?: string | null; custom_id?: string }[] }[]) {
    for (const c of row.components ?? []) {
      const id = c.customId ?? c.custom_id;
      if (id && isBackCustomId(id)) return id;
    }
  }
  return undefined;
}

const Snowflake = z.string().regex(/^\d{1,20}$/);
const ListArgs = z.tuple([z.string(), z.string(), z.string(), z.string(), z.coerce.number().int().min(0).max(1000), Snowflake, z.string()]);

async function showList(interaction: ChatInputCommandInteraction, state: ListState, services: Services) {
  const items = itemsFor(services, state);
  if (items.length === 0) {
    const hint = state.query ? `Nothing matches "${quote(state.query)}" with those filters.` : 'No resources match those filters.';
    await replyEphemeral(interaction, `${hint} Try fewer filters.`);
    return;
  }
  const progress = await services.repos.progress.get(interaction.guildId!, interaction.user.id);
  await interaction.reply({ ...renderResourceList(services.registry, items, state, progress), flags: MessageFlags.Ephemeral });
}

const guildOnly = async (interaction: RepliableInteraction) => {
  if (interaction.inGuild()) return true;
  await replyEphemeral(interaction, 'Progress is tracked per server: use this command in a server.');
  return false;
};

export default defineCommand({
  data: {
    name: 'resources',
    description: 'Browse the mech interp reading list, tutorials, papers and tools',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'kind',
        description: 'Only this kind of resource',
        choices: ResourceKind.options.map((k) => ({ name: capitalise(kindLabel(k)), value: k })),
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'level',
        description: 'Only this level',
        choices: Level.options.map((l) => ({ name: l, value: l })),
      },
      { type: ApplicationCommandOptionType.String, name: 'topic', description: 'Only this topic', autocomplete: true, max_length: 60 },
      { type: ApplicationCommandOptionType.String, name: 'query', description: 'Search titles', autocomplete: true, max_length: 100 },
    ],
  },

  async execute(interaction, { options }, services) {
    if (!(await guildOnly(interaction))) return;
    const { registry } = services;
    // Choices are enforced by Discord, but a stale client or a replayed payload can still send anything.
    if (options.kind !== undefined && !ResourceKind.safeParse(options.kind).success) {
      return replyEphemeral(interaction, `Unknown kind "${quote(options.kind)}". Pick one from the list.`);
    }
    if (options.level !== undefined && !Level.safeParse(options.level).success) {
      return replyEphemeral(interaction, `Unknown level "${quote(options.level)}". Pick intro, intermediate or advanced.`);
    }
    let topicId: string | undefined;
    if (options.topic !== undefined) {
      const topic = resolveTopic(registry, options.topic);
      if (!topic) {
        const near = resourceIndexes(registry).topics.search(options.topic, 3);
        // Only spellings close to what was typed are worth suggesting ("quantum blockchain" is close to nothing).
        const suggestions = (near.length ? near : resourceIndexes(registry).topics.nearest(options.topic, 3, NEAREST_MAX_DISTANCE)).map((m) => `**${m.item.label}**`);
        if (suggestions.length === 0) {
          return replyEphemeral(interaction, `Unknown topic "${quote(options.topic)}", and no topic is spelt close to it. Pick one from the list as you type, for example **${registry.topics[0]!.label}**.`);
        }
        return replyEphemeral(interaction, `Unknown topic "${quote(options.topic)}". Did you mean: ${suggestions.join(', ')}?`);
      }
      topicId = topic.id;
    }
    // Picking a title from autocomplete sends its id: open it directly.
    const exact = options.query !== undefined ? registry.resourceById.get(options.query) : undefined;
    if (exact) {
      const payload = await detailPayload(services, interaction.guildId!, interaction.user.id, exact);
      await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      return;
    }
    const query = options.query?.trim() || undefined;
    await showList(interaction, { kind: options.kind, level: options.level, topic: topicId, query, page: 0, viewerId: interaction.user.id }, services);
  },

  async autocomplete(interaction, services) {
    const focused = interaction.options.getFocused(true);
    const indexes = resourceIndexes(services.registry);
    if (focused.name === 'topic') {
      const matches = focused.value.trim() ? indexes.topics.search(focused.value, 25).map((m) => m.item) : services.registry.topics.slice(0, 25);
      return interaction.respond(matches.map((t) => ({ name: t.label, value: t.id })));
    }
    const matches = focused.value.trim() ? indexes.resources.search(focused.value, 25).map((m) => m.item) : services.registry.resources.slice(0, 25);
    return interaction.respond(matches.map((r) => ({ name: r.title.slice(0, 100), value: r.id })));
  },

  components: {
    page: component({
      args: ListArgs,
      async run(interaction, [kind, level, topic, query, page, viewerId], services) {
        if (!interaction.isButton()) return;
        const state: ListState = { ...listStateFrom([kind, level, topic, query, page, viewerId]), viewerId: interaction.user.id };
        const items = itemsFor(services, state);
        const progress = await services.repos.progress.get(interaction.guildId!, interaction.user.id);
        const payload = renderResourceList(services.registry, items, state, progress);
        // Someone else's view: give them their own copy of that page rather than changing the owner's.
        if (interaction.user.id !== viewerId) await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
        else await interaction.update(payload);
      },
    }),
    /** The list's select menu; its custom_id carries the list state so the detail view can offer Back. */
    open: component({
      args: z.union([ListArgs, z.tuple([Snowflake])]),
      async run(interaction, args, services) {
        if (!interaction.isStringSelectMenu()) return;
        if (args.length === 1) return openDetail(interaction, interaction.values[0] ?? '', args[0], services);
        const [kind, level, topic, query, page, viewerId] = args;
        const back = listStateCustomId('page', listStateFrom([kind, level, topic, query, page, viewerId]), page, BACK_TAG);
        await openDetail(interaction, interaction.values[0] ?? '', viewerId, services, back);
      },
    }),
    /** The detail view's glossary select: the term's card, privately, leaving the detail where it is. */
    term: component({
      args: z.tuple([Snowflake]),
      async run(interaction, _args, services) {
        if (!interaction.isStringSelectMenu()) return;
        const term = services.registry.termById.get(interaction.values[0] ?? '');
        if (!term) return replyEphemeral(interaction, 'That term is no longer in the glossary.');
        await interaction.reply({ ...renderTermCard(services.registry, term, interaction.user.id), flags: MessageFlags.Ephemeral });
      },
    }),
    mark: component({
      args: z.tuple([z.string(), z.enum(['q', 'r', 'd', 's']), z.string().regex(/^\d{1,20}$/)]),
      async run(interaction, [resourceId, code, viewerId], services) {
        if (!interaction.isButton()) return;
        if (interaction.user.id !== viewerId) return replyEphemeral(interaction, notYours());
        const resource = services.registry.resourceById.get(resourceId);
        if (!resource) return replyEphemeral(interaction, 'That resource is no longer in the registry.');
        const status = STATUS_FROM_CODE[code]!;
        await services.repos.progress.mark(interaction.guildId!, viewerId, resourceId, status, { now: services.clock.now() });
        const payload = await detailPayload(services, interaction.guildId!, viewerId, resource, `Marked as ${STATUS_LABEL[status]}.`, backOf(interaction.message));
        await interaction.update(payload);
      },
    }),
  },
});

/** Opens a resource in place for the viewer (with Back when given), or as a private copy for anyone else. */
export async function openDetail(interaction: StringSelectMenuInteraction | ButtonInteraction, resourceId: string, viewerId: string, services: Services, back?: string) {
  const resource = services.registry.resourceById.get(resourceId);
  if (!resource) return replyEphemeral(interaction, 'That resource is no longer in the registry.');
  const mine = interaction.user.id === viewerId;
  const payload = await detailPayload(services, interaction.guildId!, interaction.user.id, resource, undefined, mine ? back : undefined);
  if (!mine) await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  else await interaction.update(payload);
}
