/**
 * /session: a study group's reading session as a real Discord scheduled event, with an announcement, a thread,
 * reminders and attendance. The work lives in src/sessions/ (creating, editing, reminders, series); this module
 * reads the options, checks permissions and answers.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type RepliableInteraction } from 'discord.js';
import { z } from 'zod';
import { component, defineCommand } from '../src/discord/command.ts';
import { quote, replyEphemeral } from '../src/discord/replies.ts';
import { requireGuild, requireManageGuild } from '../src/discord/permissions.ts';
import { DEFAULT_DURATION_MIN, describeOffset, parseReminderOffsets, SessionId } from '../src/domain/sessions.ts';
import { formatLocal, RecentWhens } from '../src/domain/when.ts';
import { isValidTimezone } from '../src/domain/digest-schedule.ts';
import { searchTimezones } from '../src/domain/timezones.ts';
import { renderSessionList } from '../src/render/sessions.ts';
import { link } from '../src/render/text.ts';
import { announcementOf } from '../src/sessions/announce.ts';
import { createSession } from '../src/sessions/create.ts';
import { messageUrl, sessionsApi } from '../src/sessions/discord-api.ts';
import { locationChoices, resolveGroup, resolveLocation, resolveResource, resourceChoices, sessionChoices } from '../src/sessions/inputs.ts';
import { SessionJobs } from '../src/sessions/jobs.ts';
import { cancelSession, editSession, pressButton, type EditChanges } from '../src/sessions/manage.ts';
import { addToSeries, startSeries, stopSeries } from '../src/sessions/series.ts';
import { groupChoices } from './studygroup.ts';

const S = ApplicationCommandOptionType.String;
const resourceOption = { type: S, name: 'resource', description: 'What to read (the group’s plan week first)', autocomplete: true, max_length: 100 } as const;
const whenOption = { type: S, name: 'when', description: 'e.g. next tuesday 18:00, in 3 days at 5pm, 2027-01-12 19:30 (group’s time zone)', autocomplete: true, max_length: 100 } as const;
const durationOption = { type: ApplicationCommandOptionType.Integer, name: 'duration', description: 'Minutes (default 60)', min_value: 5, max_value: 480 } as const;
const groupOption = { type: S, name: 'group', description: 'The study group (optional when there is only one)', autocomplete: true, max_length: 50 } as const;
const locationOption = { type: S, name: 'location', description: 'A voice or stage channel, or a place or link (default: the thread)', autocomplete: true, max_length: 100 } as const;
const sessionOption = { type: S, name: 'session', description: 'The session', required: true, autocomplete: true, max_length: 100 } as const;

/** Scheduling creates Discord events on the server's behalf: members who may manage events or the server. */
async function requireOrganiser(interaction: RepliableInteraction): Promise<boolean> {
  const p = interaction.memberPermissions;
  if (p?.has(PermissionFlagsBits.ManageEvents) || p?.has(PermissionFlagsBits.ManageGuild)) return true;
  await replyEphemeral(interaction, 'Scheduling reading sessions needs the Manage Events (or Manage Server) permission. Ask an organiser to add it.');
  return false;
}

/** What `when` autocomplete just read, so the command that follows with the same text need not parse it again. */
const recentWhens = new RecentWhens();

const api = (interaction: { client: { rest: ChatInputCommandInteraction['client']['rest'] } }) => sessionsApi(interaction.client.rest);

export default defineCommand({
  data: {
    name: 'session',
    description: 'Reading sessions: a paper discussion as a Discord event, with a thread and reminders',
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'schedule',
        description: 'Schedule a reading session (Manage Events)',
        options: [{ ...resourceOption, required: true }, { ...whenOption, required: true }, durationOption, groupOption, locationOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'series',
        description: 'A weekly reading group: start it, queue readings, or stop it (Manage Events)',
        options: [
          {
            type: S,
            name: 'action',
            description: 'What to do (default: start)',
            choices: [
              { name: 'start a weekly series', value: 'start' },
              { name: 'add a reading to the queue', value: 'add' },
              { name: 'stop the series', value: 'stop' },
            ],
          },
          { ...whenOption, description: 'First session, e.g. next tuesday 18:00; then weekly at that local time' },
          { ...resourceOption, description: 'A reading to queue (without one, the group’s plan decides)' },
          durationOption,
          groupOption,
          locationOption,
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Upcoming and recent reading sessions', options: [groupOption] },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'edit',
        description: 'Move a session, or change its length, place or reading',
        options: [sessionOption, whenOption, durationOption, locationOption, resourceOption],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'cancel',
        description: 'Call a session off (its Discord event is removed too)',
        options: [sessionOption, { type: S, name: 'reason', description: 'Shown in the thread', max_length: 200 }],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'settings',
        description: 'A group’s session time zone, reminders and role ping (Manage Server)',
        options: [
          groupOption,
          { type: S, name: 'timezone', description: 'IANA time zone for the group’s sessions, e.g. Europe/London', autocomplete: true, max_length: 64 },
          { type: S, name: 'reminders', description: 'Before each session, e.g. "24h, 1h" (default), "2d, 30m" or "none"', max_length: 40 },
          { type: ApplicationCommandOptionType.Boolean, name: 'ping_role', description: 'Reminders ping the group’s role (only that role)' },
        ],
      },
    ],
  },

  async execute(interaction, args, services) {
    if (!(await requireGuild(interaction))) return;
    const guildId = interaction.guildId!;
    const now = services.clock.now();
    const rest = api(interaction);

    if (args.subcommand === 'list') {
      const group = args.options.group !== undefined ? await resolveGroup(services, guildId, args.options.group, interaction.channelId) : null;
      if (group && !group.ok) return replyEphemeral(interaction, group.message);
      const { sessions } = await services.repos.sessions.all(guildId);
      const shown = group ? sessions.filter((s) => s.groupId === group.value.id) : sessions;
      const names = new Map((await services.repos.studyGroups.list(guildId)).map((g) => [g.id, g.name]));
      await interaction.reply({ ...renderSessionList(services.registry, shown, now, guildId, names), flags: MessageFlags.Ephemeral });
      return;
    }

    if (args.subcommand === 'settings') {
      if (!(await requireManageGuild(interaction))) return;
      const group = await resolveGroup(services, guildId, args.options.group, interaction.channelId);
      if (!group.ok) return replyEphemeral(interaction, group.message);
      const { timezone, reminders, ping_role } = args.options;
      if (timezone !== undefined && !isValidTimezone(timezone)) {
        return replyEphemeral(interaction, `Unknown time zone "${quote(timezone)}". Did you mean: ${searchTimezones(timezone, 3).join(', ') || 'Europe/London'}?`);
      }
      const offsets = reminders !== undefined ? parseReminderOffsets(reminders) : undefined;
      if (offsets === null) return replyEphemeral(interaction, 'Write reminders like `24h, 1h`, `2d, 30m` or `none`: up to three, each 5 minutes to 14 days before.');
      if (ping_role && !group.value.roleId) return replyEphemeral(interaction, `**${group.value.name}** has no role to ping. Give the group a role when creating it.`);
      const settings = await services.repos.sessions.mutate(guildId, (record) => {
        const next = { ...group.value.settings, ...(timezone !== undefined ? { timezone } : {}), ...(offsets ? { reminderOffsetsMin: offsets } : {}), ...(ping_role !== undefined ? { pingRole: ping_role } : {}) };
        record.settings[group.value.id] = next;
        return next;
      });
      const tz = settings.timezone ?? group.value.timezone;
      const list = settings.reminderOffsetsMin.length ? settings.reminderOffsetsMin.map(describeOffset).join(' and ') + ' before' : 'none';
      return replyEphemeral(interaction, `**${group.value.name}** sessions: time zone ${tz}; reminders ${list}; ${settings.pingRole ? 'reminders ping the group’s role' : 'no pings'}. Changes apply to sessions scheduled from now on.`);
    }

    if (args.subcommand === 'edit' || args.subcommand === 'cancel') {
      const sessionId = args.options.session.trim();
      const session = SessionId.safeParse(sessionId).success ? await services.repos.sessions.get(guildId, sessionId) : undefined;
      if (!session) return replyEphemeral(interaction, `No session \`${quote(sessionId, 12)}\`. Pick one from the list.`);
      const p = interaction.memberPermissions;
      const organiser = p?.has(PermissionFlagsBits.ManageEvents) || p?.has(PermissionFlagsBits.ManageGuild);
      if (session.createdBy !== interaction.user.id && !organiser) return replyEphemeral(interaction, 'Only whoever scheduled this session, or someone with Manage Events, can change it.');
      if (args.subcommand === 'cancel') {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const outcome = await cancelSession(services, rest, guildId, sessionId, interaction.user.id, args.options.reason ? quote(args.options.reason, 200) : null);
        return replyEphemeral(interaction, outcome.message);
      }
      const changes: EditChanges = {};
      const { when, duration, location, resource } = args.options;
      if (when !== undefined) {
        const parsed = recentWhens.parse(when, session.timezone, now);
        if (!parsed.ok) return replyEphemeral(interaction, parsed.message);
        changes.startsAt = parsed.at;
      }
      if (duration !== undefined) changes.durationMin = duration;
      if (resource !== undefined) {
        const found = resolveResource(services, resource);
        if (!found.ok) return replyEphemeral(interaction, found.message);
        changes.resource = found.value;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      if (location !== undefined) {
        const place = await resolveLocation(rest, location);
        if (!place.ok) return replyEphemeral(interaction, place.message);
        changes.location = place.value;
      }
      const outcome = await editSession(services, rest, guildId, sessionId, changes, interaction.user.id);
      return replyEphemeral(interaction, outcome.message);
    }

    // schedule and series
    if (!(await requireOrganiser(interaction))) return;
    const group = await resolveGroup(services, guildId, args.options.group, interaction.channelId);
    if (!group.ok) return replyEphemeral(interaction, group.message);
    const g = group.value;

    if (args.subcommand === 'series') {
      const action = args.options.action ?? 'start';
      if (action === 'stop') return replyEphemeral(interaction, (await stopSeries(services, guildId, g)).message);
      const resource = args.options.resource !== undefined ? resolveResource(services, args.options.resource) : null;
      if (resource && !resource.ok) return replyEphemeral(interaction, resource.message);
      if (action === 'add') {
        if (!resource) return replyEphemeral(interaction, 'Say which `resource` to add to the queue.');
        return replyEphemeral(interaction, (await addToSeries(services, guildId, g, resource.value)).message);
      }
      if (args.options.when === undefined) return replyEphemeral(interaction, 'Say when the first session is, with `when` (for example `next tuesday 18:00`).');
      const first = recentWhens.parse(args.options.when, g.timezone, now);
      if (!first.ok) return replyEphemeral(interaction, first.message);
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const place = await resolveLocation(rest, args.options.location);
      if (!place.ok) return replyEphemeral(interaction, place.message);
      const started = await startSeries(services, guildId, g, {
        firstAt: first.at,
        durationMin: args.options.duration ?? DEFAULT_DURATION_MIN,
        location: place.value,
        resource: resource?.value ?? null,
        createdBy: interaction.user.id,
      });
      if (!started.ok) return replyEphemeral(interaction, started.message);
      // The first occurrence is created now when it is within a week; later ones a week ahead of each.
      await new SessionJobs(services, rest).runSeries(guildId, started.series.id);
      const created = (await services.repos.sessions.all(guildId)).sessions.find((s) => s.seriesId === started.series.id);
      const source = started.series.source === 'plan' ? 'each week’s reading comes from the group’s plan' : 'readings come from the queue, in order (add more with `action: add`)';
      return replyEphemeral(
        interaction,
        `Started a weekly series for **${g.name}**: every week at ${formatLocal(g.timezone, first.at).replace(/^\w+ \d+ \w+ \d+, /, '')}, from <t:${Math.floor(first.at / 1000)}:F>; ${source}. Each session is created a week ahead.${created ? ` The first is ${link('announced', messageUrl(guildId, created.channelId, created.messageId ?? ''))}.` : ''}`,
      );
    }

    // schedule
    const resource = resolveResource(services, args.options.resource);
    if (!resource.ok) return replyEphemeral(interaction, resource.message);
    const when = recentWhens.parse(args.options.when, g.timezone, now);
    if (!when.ok) return replyEphemeral(interaction, when.message);
    // The deferral travels while the location is checked and the event is created; it lands before any answer.
    const deferred = interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const place = await resolveLocation(rest, args.options.location).catch(async (error) => {
      await deferred;
      throw error;
    });
    if (!place.ok) {
      await deferred;
      return replyEphemeral(interaction, place.message);
    }
    const creating = createSession(services, rest, {
      guildId,
      groupId: g.id,
      groupName: g.name,
      channelId: g.channelId,
      resource: resource.value,
      startsAt: when.at,
      durationMin: args.options.duration ?? DEFAULT_DURATION_MIN,
      timezone: g.timezone,
      location: place.value,
      createdBy: interaction.user.id,
      reminderOffsetsMin: g.settings.reminderOffsetsMin,
      pingRoleId: g.settings.pingRole ? g.roleId : null,
    });
    const [outcome] = await Promise.all([
      creating.catch(async (error) => {
        await deferred; // so the router's error answer edits the deferred reply
        throw error;
      }),
      deferred,
    ]);
    if (!outcome.ok) return replyEphemeral(interaction, outcome.message);
    const s = outcome.session;
    const links = [link('Announcement', messageUrl(guildId, s.channelId, s.messageId!)), outcome.eventUrl ? link('Discord event', outcome.eventUrl) : ''].filter(Boolean).join(' · ');
    const notes = s.notes.map((n) => `\n⚠️ ${n}`).join('');
    // The answer goes out while the thread's opening message may still be on its way; the handler ends with both.
    await replyEphemeral(interaction, `Scheduled **${resource.value.title}** for <t:${Math.floor(s.startsAt / 1000)}:F> (${formatLocal(s.timezone, s.startsAt)}). ${links}${notes}`);
    await outcome.opened;
  },

  async autocomplete(interaction, services) {
    if (!interaction.inGuild()) return interaction.respond([]);
    const guildId = interaction.guildId;
    const focused = interaction.options.getFocused(true);
    const now = services.clock.now();
    const sub = interaction.options.getSubcommand(false);
    if (focused.name === 'group') return interaction.respond(await groupChoices(services, guildId, focused.value));
    if (focused.name === 'timezone') return interaction.respond(searchTimezones(focused.value).slice(0, 25).map((tz) => ({ name: tz, value: tz })));
    if (focused.name === 'session') return interaction.respond(sessionChoices(services, (await services.repos.sessions.all(guildId)).sessions, focused.value, now));
    if (focused.name === 'location') return interaction.respond(await locationChoices(api(interaction), guildId, focused.value, now));
    // when and resource depend on the group (its time zone, its plan), or on the session being edited.
    let timezone = 'UTC';
    let groupId = 'everyone';
    if (sub === 'edit') {
      const session = await services.repos.sessions.get(guildId, interaction.options.getString('session') ?? '');
      if (session) ({ timezone, groupId } = session);
    } else {
      const group = await resolveGroup(services, guildId, interaction.options.getString('group') ?? undefined, interaction.channelId ?? '');
      if (group.ok) ({ timezone, id: groupId } = group.value);
    }
    if (focused.name === 'when') return interaction.respond(recentWhens.choices(focused.value, timezone, now));
    return interaction.respond(await resourceChoices(services, guildId, groupId, focused.value, now));
  },

  components: {
    /** The announcement's buttons: r = I'll read it, x = Can't make it, d = I read it (after the session). */
    rsvp: component({
      args: z.tuple([SessionId, z.enum(['r', 'x', 'd'])]),
      async run(interaction, [sessionId, choice], services) {
        if (!interaction.isButton() || !interaction.inGuild()) return;
        const outcome = await pressButton(services, interaction.guildId, sessionId, interaction.user.id, choice);
        if (!outcome.ok) return replyEphemeral(interaction, outcome.message);
        const payload = await announcementOf(services, interaction.guildId, outcome.session);
        if (payload && interaction.message.id === outcome.session.messageId) {
          await interaction.update({ embeds: payload.embeds, components: payload.components });
          await interaction.followUp({ content: outcome.message, flags: MessageFlags.Ephemeral });
        } else {
          await replyEphemeral(interaction, outcome.message);
        }
      },
    }),
  },
});
