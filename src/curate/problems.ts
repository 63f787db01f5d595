/**
 * /curate problem add|edit|remove: a server's own open problems. They live in one server problem set
 * (`srv-problems`, category S), created with the first problem; ids are SRV-1, SRV-2, …, a form shipped problem ids
 * never take (checked at load), so /problem show, claims and draws can never confuse them with shipped ones.
 */
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import type { ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { customId } from '../discord/custom-id.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { EMPTY_OVERLAY, SERVER_PROBLEM_PREFIX, type Overlay } from '../domain/overlay.ts';
import { glossarySearch } from '../domain/glossary-search.ts';
import type { Registry } from '../registry/load.ts';
import { Problem, ProblemSet } from '../registry/schema.ts';
import { cmd } from '../render/command-mentions.ts';
import type { Services } from '../services.ts';
import { overlayProblems } from './apply.ts';
import { fieldsOf, problemList, showModal } from './entries.ts';

export const SERVER_SET_ID = 'srv-problems';
export const SERVER_CATEGORY = 'S';
const FIELDS = ['summary', 'url', 'subcategory', 'difficulty', 'terms'] as const;

function problemModal(custom: string, title: string, prefill?: Problem, registry?: Registry): APIModalInteractionResponseCallbackData {
  const row = (custom_id: string, label: string, style: TextInputStyle, required: boolean, max: number, value?: string | null, min?: number, placeholder?: string) => ({
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.TextInput as const, custom_id, label, style, required, max_length: max, ...(min ? { min_length: min } : {}), ...(value ? { value } : {}), ...(placeholder ? { placeholder } : {}) }],
  });
  return {
    custom_id: custom,
    title: title.slice(0, 45),
    components: [
      row('summary', 'The problem', TextInputStyle.Paragraph, true, 500, prefill?.summary, 30, 'What to find out, in your own words'),
      row('url', 'Link to more (https://…)', TextInputStyle.Short, true, 400, prefill?.url),
      row('subcategory', 'Theme (optional)', TextInputStyle.Short, false, 120, prefill?.subcategory),
      row('difficulty', 'Difficulty A–D (optional)', TextInputStyle.Short, false, 1, prefill?.difficulty),
      row('terms', 'Glossary terms it involves', TextInputStyle.Short, false, 400, prefill?.terms.map((id) => registry?.termById.get(id)?.term ?? id).join(', '), undefined, 'Comma-separated'),
    ],
  };
}

export async function openProblemForm(interaction: ChatInputCommandInteraction, services: Services, action: 'add' | 'edit', id: string | undefined) {
  if (action === 'add') return showModal(interaction, problemModal(customId('curate', 'padd'), 'Add an open problem'));
  const problem = id ? services.registry.problemByKey.get(`${SERVER_SET_ID}:${id}`) : undefined;
  if (!problem) return replyEphemeral(interaction, `Pick one of this server’s problems from the \`id\` list. Shipped problems and sets can be hidden with ${cmd('curate hide')}.`);
  return showModal(interaction, problemModal(customId('curate', 'pedit', problem.id), `Edit ${problem.id}`, problem, services.registry));
}

const serverSet = (url: string, year: number): ProblemSet =>
  ProblemSet.parse({
    id: SERVER_SET_ID,
    title: 'Open problems from this server’s curators',
    shortTitle: 'Server',
    authors: ['This server’s curators'],
    published: String(year),
    url,
    categories: [{ id: SERVER_CATEGORY, name: 'Server problems', url }],
  });

/** The next free number: never one a removed problem had while claims on it are kept, so they cannot move over. */
const numberOf = (id: string) => (id.startsWith(SERVER_PROBLEM_PREFIX) ? Number(id.slice(SERVER_PROBLEM_PREFIX.length)) || 0 : 0);
const nextId = (o: Overlay, claimed: readonly string[]) => `${SERVER_PROBLEM_PREFIX}${1 + Math.max(0, ...o.problems.map((p) => numberOf(p.id)), ...claimed.map(numberOf))}`;

export async function saveProblem(interaction: ModalSubmitInteraction, services: Services, editId?: string) {
  const f = fieldsOf(interaction, FIELDS);
  const problems: string[] = [];
  const difficulty = f.difficulty.trim().toUpperCase() || null;
  if (difficulty !== null && !/^[ABCD]$/.test(difficulty)) problems.push('difficulty: give A, B, C or D, or leave it empty');
  const search = glossarySearch(services.registry);
  const terms: string[] = [];
  for (const name of f.terms.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const t = search.resolve(name);
    if (t) terms.push(t.id);
    else problems.push(`terms: no glossary term "${name.slice(0, 60)}"`);
  }
  if (problems.length) return replyEphemeral(interaction, problemList('Nothing was saved:', problems));
  const year = new Date(services.clock.now()).getUTCFullYear();
  const guildClaims = await services.repos.claims.guild(interaction.guildId!);
  const claimed = guildClaims.claims.filter((c) => c.set === SERVER_SET_ID).map((c) => c.problemId);
  type Result = { ok: true; id: string; replaced: boolean } | { ok: false; problems: string[] };
  const result = await services.repos.overlays.mutate<Result>(interaction.guildId!, (current) => {
    const existing = editId ? current.problems.find((p) => p.set === SERVER_SET_ID && p.id === editId) : undefined;
    if (editId && !existing) return { result: { ok: false, problems: [`this server has no problem ${editId}`] } };
    const parsed = Problem.safeParse({
      id: existing?.id ?? nextId(current, claimed),
      set: SERVER_SET_ID,
      category: SERVER_CATEGORY,
      subcategory: f.subcategory.trim() || null,
      difficulty,
      summary: f.summary.replace(/\s+/g, ' ').trim(),
      url: f.url.trim(),
      idConfidence: 'verified',
      terms: [...new Set(terms)],
    });
    if (!parsed.success) return { result: { ok: false, problems: parsed.error.issues.slice(0, 8).map((i) => `${i.path.map(String).join('.')}: ${i.message}`) } };
    const problem = parsed.data;
    const sets = current.sets.some((s) => s.id === SERVER_SET_ID) ? current.sets : [...current.sets, serverSet(problem.url, year)];
    const next: Overlay = { ...current, sets, problems: existing ? current.problems.map((p) => (p === existing ? problem : p)) : [...current.problems, problem] };
    const found = overlayProblems(services.registryViews.shipped, next);
    return found.length ? { result: { ok: false, problems: found } } : { next, result: { ok: true, id: problem.id, replaced: Boolean(existing) } };
  });
  if (!result.ok) return replyEphemeral(interaction, problemList('Nothing was saved:', result.problems));
  await replyEphemeral(interaction, `${result.replaced ? 'Updated' : 'Added'} problem **${result.id}** in this server. Members see it with ${cmd('problem show')} and draw it with ${cmd('problem random')}.`);
}

export async function removeProblem(interaction: ChatInputCommandInteraction, services: Services, id: string | undefined) {
  const guildId = interaction.guildId!;
  if (!id) return replyEphemeral(interaction, 'Pick one of this server’s problems from the `id` list.');
  const removed = await services.repos.overlays.mutate<boolean>(guildId, (current) => {
    if (!current.problems.some((p) => p.set === SERVER_SET_ID && p.id === id)) return { result: false };
    const problems = current.problems.filter((p) => !(p.set === SERVER_SET_ID && p.id === id));
    // A set without problems cannot be exported in the data/ format: it goes with its last problem.
    const sets = problems.some((p) => p.set === SERVER_SET_ID) ? current.sets : current.sets.filter((s) => s.id !== SERVER_SET_ID);
    return { next: { ...(current ?? EMPTY_OVERLAY), problems, sets }, result: true };
  });
  if (!removed) return replyEphemeral(interaction, `This server has no problem "${quote(id, 20)}".`);
  const claims = (await services.repos.claims.guild(guildId)).claims.filter((c) => c.set === SERVER_SET_ID && c.problemId === id).length;
  await replyEphemeral(interaction, `Removed problem **${quote(id, 20)}** from this server.${claims ? ` The ${claims === 1 ? 'claim' : `${claims} claims`} on it ${claims === 1 ? 'is' : 'are'} kept in the claims history.` : ''} Claims and progress are never deleted with an entry.`);
}
