/** /curate hide|unhide|role|export|import: hiding shipped entries, the curator role, and moving entries as files. */
import { randomBytes } from 'node:crypto';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { AttachmentBuilder, type Attachment, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { customId } from '../discord/custom-id.ts';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { isServerId, overlaySize, type HiddenKind } from '../domain/overlay.ts';
import { cmd } from '../render/command-mentions.ts';
import { plural } from '../render/text.ts';
import type { Services } from '../services.ts';
import { mergeOverlay, overlayProblems, setHidden, shippedEntryName, type ImportSummary } from './apply.ts';
import { problemList } from './entries.ts';
import { exportFiles, parseImport } from './portable.ts';

export async function hide(interaction: ChatInputCommandInteraction, services: Services, kind: HiddenKind, id: string, hideIt: boolean) {
  if (isServerId(id)) return replyEphemeral(interaction, `That is one of this server’s own entries: remove it with ${cmd('curate term')} or ${cmd('curate resource')} instead.`);
  const entry = shippedEntryName(services.registryViews.shipped, kind, id.trim());
  if (!entry) return replyEphemeral(interaction, `There is no shipped ${kind} "${quote(id)}". Pick one from the list${kind === 'problem' ? ' (a problem is "set id", for example `concrete-open-problems 1.1`)' : ''}.`);
  const result = await setHidden(services.repos.overlays, interaction.guildId!, kind, entry.key, hideIt);
  const name = `**${quote(entry.name, 100)}**`;
  if (result === 'full') return replyEphemeral(interaction, 'This server hides as many entries of that kind as it can; unhide some first.');
  if (result === 'unchanged') return replyEphemeral(interaction, `${name} is already ${hideIt ? 'hidden' : 'shown'} in this server.`);
  await replyEphemeral(
    interaction,
    hideIt
      ? `${name} is now hidden in this server: it no longer appears in lists, searches, draws or links. Nothing was deleted, and members’ progress and claims on it are kept. ${cmd('curate unhide')} brings it back.`
      : `${name} is shown in this server again.`,
  );
}

export async function setRole(interaction: ChatInputCommandInteraction, services: Services, roleId: string | undefined) {
  await services.repos.overlays.setCuratorRole(interaction.guildId!, roleId ?? null);
  await replyEphemeral(
    interaction,
    roleId
      ? `Members with <@&${roleId}> can now curate this server’s material, as well as members with Manage Server.`
      : 'No curator role any more: only members with Manage Server can curate.',
  );
}

export async function exportOverlay(interaction: ChatInputCommandInteraction, services: Services) {
  const overlay = await services.repos.overlays.get(interaction.guildId!);
  const files = exportFiles(overlay);
  if (files.length === 0) return replyEphemeral(interaction, `This server has added and hidden nothing yet. Add entries with ${cmd('curate term')} and ${cmd('curate resource')}.`);
  await replyEphemeral(interaction, {
    content: `This server’s entries, in exactly the formats of the bot’s \`data/\` files: ${[plural(overlay.terms.length, 'term'), plural(overlay.resources.length, 'resource'), plural(overlay.topics.length, 'topic'), plural(overlay.problems.length, 'problem')].join(', ')}. Offer them upstream as a pull request, or load them into another server with ${cmd('curate import')}.`,
    files: files.map((f) => new AttachmentBuilder(Buffer.from(f.text), { name: f.name })),
  });
}

const UPLOAD_MAX_BYTES = 1_000_000;

async function download(attachment: Attachment): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  if (attachment.size > UPLOAD_MAX_BYTES) return { ok: false, reason: `${attachment.name} is ${Math.ceil(attachment.size / 1000)} kB; a file may be at most ${UPLOAD_MAX_BYTES / 1000} kB.` };
  try {
    const response = await fetch(attachment.url, { signal: AbortSignal.timeout(5_000), redirect: 'error' });
    if (!response.ok) return { ok: false, reason: `I could not download ${attachment.name} (HTTP ${response.status}).` };
    const buffer = Buffer.from(await response.arrayBuffer());
    if (buffer.length > UPLOAD_MAX_BYTES) return { ok: false, reason: `${attachment.name} is larger than ${UPLOAD_MAX_BYTES / 1000} kB.` };
    return { ok: true, text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
  } catch {
    return { ok: false, reason: `I could not download ${attachment.name}.` };
  }
}

function describe(summary: ImportSummary): string {
  const kinds = ['terms', 'resources', 'topics', 'sets', 'problems'] as const;
  const label = { terms: 'term', resources: 'resource', topics: 'topic', sets: 'problem set', problems: 'problem' } as const;
  const added = kinds.filter((k) => summary.added[k]).map((k) => plural(summary.added[k], label[k]));
  const replaced = kinds.filter((k) => summary.replaced[k]).map((k) => plural(summary.replaced[k], label[k]));
  const lines = [`• adds ${added.length ? added.join(', ') : 'nothing new'}`];
  if (replaced.length) lines.push(`• replaces ${replaced.join(', ')} this server already has (same id)`);
  if (summary.hidden) lines.push(`• hides ${plural(summary.hidden, 'shipped entry', 'shipped entries')}`);
  return lines.join('\n');
}

/** Dry run: reads and checks the files against this server's current entries, then waits for Confirm. */
export async function importOverlay(interaction: ChatInputCommandInteraction, services: Services) {
  const attachments = ['file', 'file2', 'file3', 'file4', 'file5'].map((n) => interaction.options.getAttachment(n)).filter((a): a is Attachment => a !== null);
  if (attachments.length === 0) return replyEphemeral(interaction, `Attach the JSON files from ${cmd('curate export')} (or files in the data/ formats).`);
  await interaction.deferReply({ flags: 64 });
  const files = [];
  for (const a of attachments) {
    const got = await download(a);
    if (!got.ok) return replyEphemeral(interaction, `${got.reason} Nothing was imported.`);
    files.push({ name: a.name, text: got.text });
  }
  const parsed = parseImport(files);
  if (!parsed.ok) return replyEphemeral(interaction, problemList('Nothing was imported: the files have problems.', parsed.problems));
  const guildId = interaction.guildId!;
  const current = await services.repos.overlays.get(guildId);
  const { next, summary } = mergeOverlay(current, parsed.overlay);
  const problems = overlayProblems(services.registryViews.shipped, next);
  if (problems.length) return replyEphemeral(interaction, problemList('Nothing was imported: these entries do not pass the registry checks.', problems));
  const token = randomBytes(8).toString('hex');
  await services.repos.overlays.stageImport(guildId, { token, userId: interaction.user.id, createdAt: services.clock.now(), overlay: parsed.overlay });
  await replyEphemeral(interaction, {
    content: `Dry run: the files pass every check. Importing them\n${describe(summary)}\nNothing has changed yet.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Import', custom_id: customId('curate', 'iok', token) },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Cancel', custom_id: customId('curate', 'ino', token) },
        ],
      },
    ],
  });
}

/** Confirm: merges the staged entries, checked again against the server's entries as they are now. */
export async function confirmImport(interaction: ButtonInteraction, services: Services, token: string, apply: boolean) {
  const guildId = interaction.guildId!;
  const staged = await services.repos.overlays.takeImport(guildId, token, services.clock.now());
  if (!apply) return void interaction.update({ content: 'Cancelled. Nothing was imported.', components: [] });
  if (!staged) return void interaction.update({ content: `This import expired or was already handled. Run ${cmd('curate import')} again.`, components: [] });
  type Result = { ok: false; problems: string[] } | { ok: true; summary: ImportSummary; size: number };
  const result = await services.repos.overlays.mutate<Result>(guildId, (current) => {
    const { next, summary } = mergeOverlay(current, staged.overlay);
    const problems = overlayProblems(services.registryViews.shipped, next);
    return problems.length ? { result: { ok: false, problems } } : { next, result: { ok: true, summary, size: overlaySize(next) } };
  });
  if (!result.ok) return void interaction.update({ content: problemList('Nothing was imported: the server’s entries changed since the dry run and these no longer pass.', result.problems), components: [] });
  await interaction.update({ content: `Imported:\n${describe(result.summary)}\nThis server now has ${plural(result.size, 'entry', 'entries')} of its own.`, components: [] });
}
