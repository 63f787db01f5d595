/**
 * /glossary quiz, review, stats, remind and settings: the flashcard subcommands. commands/glossary.ts lists these
 * definitions and hands the subcommands over; everything they do lives here and in ./components.ts.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { MessageFlags, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { z } from 'zod';
import { quote, replyEphemeral } from '../discord/replies.ts';
import { isValidTimezone } from '../domain/digest-schedule.ts';
import { DAILY_NEW_MAX, flashcardStats, localHour, localDay, sectionsOf, type CardFilter } from '../domain/flashcards.ts';
import { searchTimezones } from '../domain/timezones.ts';
import { cmd } from '../render/command-mentions.ts';
import { renderStats } from '../render/flashcards.ts';
import type { Services } from '../services.ts';
import { loadMember, showNext } from './components.ts';
import { resolveTimezone } from './timezone.ts';

export const FLASHCARD_SUBCOMMANDS = [
  {
    type: ApplicationCommandOptionType.Subcommand,
    name: 'quiz',
    description: 'Learn terms with private flashcards: core terms first, then by section',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'section', description: 'Only terms from this glossary section', autocomplete: true, max_length: 100 },
      { type: ApplicationCommandOptionType.Boolean, name: 'core-only', description: 'Only the core terms a newcomer needs first' },
    ],
  },
  { type: ApplicationCommandOptionType.Subcommand, name: 'review', description: 'Run the flashcards due now, one after another' },
  { type: ApplicationCommandOptionType.Subcommand, name: 'stats', description: 'Your flashcards: due today, terms learned, retention and streak' },
  {
    type: ApplicationCommandOptionType.Subcommand,
    name: 'remind',
    description: 'A DM once a day, at your local hour, when flashcards are due',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'state',
        description: 'Turn reminders on or off',
        required: true,
        choices: [
          { name: 'on', value: 'on' },
          { name: 'off', value: 'off' },
        ],
      },
      { type: ApplicationCommandOptionType.Integer, name: 'hour', description: 'Your local hour, 0 to 23 (default 9)', min_value: 0, max_value: 23 },
    ],
  },
  {
    type: ApplicationCommandOptionType.Subcommand,
    name: 'settings',
    description: 'New flashcards per day, and the time zone your days are counted in',
    options: [
      { type: ApplicationCommandOptionType.Integer, name: 'daily-new', description: `New terms per day, 0 to ${DAILY_NEW_MAX} (default 10)`, min_value: 0, max_value: DAILY_NEW_MAX },
      { type: ApplicationCommandOptionType.String, name: 'timezone', description: 'An IANA time zone such as Europe/London, or "group" for your study group\'s', autocomplete: true, max_length: 64 },
    ],
  },
] as const;

const NAMES = new Set<string>(FLASHCARD_SUBCOMMANDS.map((s) => s.name));
export const isFlashcardSubcommand = (name: string | null): boolean => name !== null && NAMES.has(name);

const Options = z.object({
  section: z.string().optional(),
  'core-only': z.boolean().optional(),
  state: z.string().optional(),
  hour: z.number().int().optional(),
  'daily-new': z.number().int().optional(),
  timezone: z.string().optional(),
});

export async function runFlashcardCommand(interaction: ChatInputCommandInteraction, args: { subcommand: string | null; options: unknown }, services: Services): Promise<void> {
  if (!interaction.inGuild()) return replyEphemeral(interaction, 'Flashcards are kept per server: use this command in a server.');
  const parsed = Options.safeParse(args.options);
  if (!parsed.success) return replyEphemeral(interaction, 'Those options were not understood. Please pick them from the command again.');
  const options = parsed.data;
  const guildId = interaction.guildId;
  const userId = interaction.user.id;
  switch (args.subcommand) {
    case 'quiz': {
      let section: string | null = null;
      if (options.section !== undefined && options.section.trim() !== '') {
        const sections = sectionsOf(services.registry);
        const wanted = options.section.trim().toLowerCase();
        section = sections.find((s) => s.toLowerCase() === wanted) ?? null;
        if (!section) {
          const near = sections.filter((s) => s.toLowerCase().includes(wanted.split(/\s+/)[0] ?? '')).slice(0, 3);
          return replyEphemeral(interaction, `No glossary section "${quote(options.section)}".${near.length ? ` Did you mean: ${near.map((s) => `**${s}**`).join(', ')}?` : ''} Pick one from the suggestions while typing.`);
        }
      }
      const filter: CardFilter = { section, coreOnly: options['core-only'] ?? false };
      const payload = await showNext(services, guildId, userId, { review: false, filter });
      await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      return;
    }
    case 'review': {
      const payload = await showNext(services, guildId, userId, { review: true, filter: { section: null, coreOnly: false } });
      await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      return;
    }
    case 'stats': {
      const { state, timezone, source } = await loadMember(services, guildId, userId);
      const stats = flashcardStats(services.registry, state, services.clock.now(), timezone);
      await interaction.reply({ ...renderStats(stats, state, timezone, source), flags: MessageFlags.Ephemeral });
      return;
    }
    case 'remind':
      return remind(interaction, services, guildId, userId, options.state === 'on', options.hour);
    case 'settings':
      return settings(interaction, services, guildId, userId, options['daily-new'], options.timezone);
  }
}

async function remind(interaction: ChatInputCommandInteraction, services: Services, guildId: string, userId: string, on: boolean, hourOption: number | undefined): Promise<void> {
  if (hourOption !== undefined && (hourOption < 0 || hourOption > 23)) return replyEphemeral(interaction, 'The hour must be a whole number from 0 to 23.');
  const { timezone } = await loadMember(services, guildId, userId);
  const now = services.clock.now();
  const today = localDay(now, timezone);
  const { hour, personal, startsTomorrow } = await services.repos.flashcards.update(guildId, userId, (current) => {
    const hour = hourOption ?? current.reminder.hour;
    // Turned on after today's hour: the first reminder comes tomorrow, not straight away. The ledger day is never
    // moved back, so switching off and on (or changing the hour) cannot bring a second DM on the same day.
    const startsTomorrow = on && localHour(now, timezone) >= hour;
    const lastDay = startsTomorrow && (current.reminder.lastDay === null || current.reminder.lastDay < today) ? today : current.reminder.lastDay;
    return { state: { ...current, reminder: { on, hour, offReason: null, offAt: null, lastDay } }, result: { hour, personal: current.timezone, startsTomorrow } };
  });
  if (!on) {
    await services.repos.flashcards.setReminder(guildId, userId, null);
    return replyEphemeral(interaction, `Flashcard reminders are off. Turn them on again with ${cmd('glossary remind')}.`);
  }
  await services.repos.flashcards.setReminder(guildId, userId, { timezone: personal, hour });
  const clock = `${String(hour).padStart(2, '0')}:00`;
  await replyEphemeral(
    interaction,
    `Reminders are on: one DM at ${clock} ${timezone} on days when flashcards are due${startsTomorrow ? ', starting tomorrow' : ''}. The bot needs to be able to DM you (allow direct messages from server members). Change the time zone with ${cmd('glossary settings')}.`,
  );
}

async function settings(interaction: ChatInputCommandInteraction, services: Services, guildId: string, userId: string, dailyNew: number | undefined, timezoneOption: string | undefined): Promise<void> {
  let timezone: string | null | undefined;
  if (timezoneOption !== undefined) {
    const value = timezoneOption.trim();
    if (value.toLowerCase() === 'group' || value === '') timezone = null;
    else if (isValidTimezone(value) && Intl.supportedValuesOf('timeZone').includes(value)) timezone = value;
    else if (value.toUpperCase() === 'UTC') timezone = 'UTC';
    else {
      const near = searchTimezones(value, 3);
      return replyEphemeral(interaction, `Unknown time zone "${quote(value)}".${near.length ? ` Did you mean: ${near.join(', ')}?` : ''} Pick one from the suggestions while typing.`);
    }
  }
  if (dailyNew !== undefined && (dailyNew < 0 || dailyNew > DAILY_NEW_MAX)) return replyEphemeral(interaction, `New terms per day must be from 0 to ${DAILY_NEW_MAX}.`);
  const state = await services.repos.flashcards.update(guildId, userId, (current) => {
    if (dailyNew === undefined && timezone === undefined) return { state: null, result: current };
    const next = { ...current, ...(dailyNew !== undefined ? { dailyNew } : {}), ...(timezone !== undefined ? { timezone } : {}) };
    return { state: next, result: next };
  });
  if (timezone !== undefined && state.reminder.on) {
    const entry = (await services.repos.flashcards.reminderEntries(guildId))[userId];
    if (entry) await services.repos.flashcards.setReminder(guildId, userId, { ...entry, timezone });
  }
  const { timezone: effective, source } = resolveTimezone(state.timezone, await services.repos.studyGroups.list(guildId), userId);
  const where = source === 'yours' ? 'your own setting' : source === 'group' ? "your study group's digest" : 'the default; set your own with timezone:';
  const changed = dailyNew !== undefined || timezone !== undefined ? 'Saved. ' : '';
  await replyEphemeral(interaction, `${changed}New terms per day: **${state.dailyNew}**. Days are counted in **${effective}** (${where}).`);
}

export const isFlashcardAutocomplete = (interaction: AutocompleteInteraction): boolean => {
  const sub = interaction.options.getSubcommand(false);
  return sub !== null && NAMES.has(sub);
};

export async function flashcardAutocomplete(interaction: AutocompleteInteraction, services: Services): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).trim().toLowerCase();
  if (focused.name === 'timezone') {
    const zones = searchTimezones(typed, 24);
    await interaction.respond([{ name: "group (your study group's)", value: 'group' }, ...zones.map((z) => ({ name: z, value: z }))].slice(0, 25));
    return;
  }
  const sections = sectionsOf(services.registry).filter((s) => s.toLowerCase().includes(typed));
  await interaction.respond(sections.slice(0, 25).map((s) => ({ name: s.slice(0, 100), value: s.slice(0, 100) })));
}

