/** Autocomplete for /curate and /suggest: this server's entries, shipped entries to hide, hidden ones, topics. */
import type { AutocompleteInteraction } from 'discord.js';
import { glossarySearch } from '../domain/glossary-search.ts';
import { isServerId } from '../domain/overlay.ts';
import { resourceIndexes } from '../domain/resource-search.ts';
import { normalise } from '../domain/fuzzy-index.ts';
import type { Registry } from '../registry/load.ts';
import { problemKey } from '../registry/load.ts';
import { truncate } from '../render/text.ts';
import type { Services } from '../services.ts';

type Choice = { name: string; value: string };
const choice = (name: string, value: string): Choice => ({ name: truncate(name, 100), value: value.slice(0, 100) });

function shippedChoices(shipped: Registry, kind: string, query: string): Choice[] {
  const q = query.trim();
  switch (kind) {
    case 'term':
      return glossarySearch(shipped).suggest(q).map((m) => choice(m.item.term, m.item.id));
    case 'resource':
      return (q ? resourceIndexes(shipped).resources.search(q, 25).map((m) => m.item) : shipped.resources.slice(0, 25)).map((r) => choice(r.title, r.id));
    case 'topic':
      return (q ? resourceIndexes(shipped).topics.search(q, 25).map((m) => m.item) : shipped.topics.slice(0, 25)).map((t) => choice(t.label, t.id));
    case 'set':
      return shipped.sets.filter((s) => !q || normalise(s.title).includes(normalise(q)) || s.id.includes(q)).slice(0, 25).map((s) => choice(s.title, s.id));
    case 'problem': {
      const n = normalise(q);
      return shipped.problems
        .filter((p) => !n || normalise(`${p.set} ${p.id} ${p.summary ?? ''}`).includes(n) || p.id.startsWith(q))
        .slice(0, 25)
        .map((p) => choice(`${p.id} · ${p.summary ?? p.subcategory ?? p.set}`, problemKey(p.set, p.id)));
    }
    default:
      return [];
  }
}

export async function curateAutocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const sub = interaction.options.getSubcommand(false);
  const value = String(focused.value);
  const view = services.registry;
  if (focused.name === 'topic') {
    const topics = value.trim() ? resourceIndexes(view).topics.search(value, 25).map((m) => m.item) : view.topics.slice(0, 25);
    return interaction.respond(topics.map((t) => choice(t.label, t.id)));
  }
  if (focused.name !== 'id' || !interaction.inGuild()) return interaction.respond([]);
  if (sub === 'term') {
    const matches = value.trim() ? glossarySearch(view).suggest(value, 100).map((m) => m.item) : view.terms;
    return interaction.respond(matches.filter((t) => isServerId(t.id)).slice(0, 25).map((t) => choice(t.term, t.id)));
  }
  if (sub === 'resource') {
    const matches = value.trim() ? resourceIndexes(view).resources.search(value, 100).map((m) => m.item) : view.resources;
    return interaction.respond(matches.filter((r) => isServerId(r.id)).slice(0, 25).map((r) => choice(r.title, r.id)));
  }
  if (sub === 'topic') {
    const n = normalise(value);
    return interaction.respond(view.topics.filter((t) => isServerId(t.id) && (!n || normalise(t.label).includes(n))).slice(0, 25).map((t) => choice(t.label, t.id)));
  }
  if (sub === 'problem') {
    const n = normalise(value);
    const own = view.problems.filter((p) => p.set === 'srv-problems' && (!n || normalise(`${p.id} ${p.summary ?? ''}`).includes(n)));
    return interaction.respond(own.slice(0, 25).map((p) => choice(`${p.id} · ${p.summary ?? ''}`, p.id)));
  }
  const kind = interaction.options.getString('kind') ?? 'term';
  const shipped = services.registryViews.shipped;
  if (sub === 'hide') return interaction.respond(shippedChoices(shipped, kind, value));
  if (sub === 'unhide') {
    const { hidden } = await services.repos.overlays.get(interaction.guildId);
    const field = ({ term: 'terms', resource: 'resources', topic: 'topics', set: 'sets', problem: 'problems' } as const)[kind as 'term'] ?? 'terms';
    const n = normalise(value);
    return interaction.respond(hidden[field].filter((id) => !n || normalise(id).includes(n)).slice(0, 25).map((id) => choice(id, id)));
  }
  return interaction.respond([]);
}
