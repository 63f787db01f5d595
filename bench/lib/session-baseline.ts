/**
 * The /session schedule benchmark's baseline command: it defers and replays the very requests a schedule sent
 * (create event, post announcement, start thread, post thread opener, edit the reply), with the same bodies and
 * in the same order, but reads and writes nothing and renders nothing. Shared by the in-process run and the bot
 * child process (bench/children/sessions-bot.ts), which receives the captured requests over IPC.
 */
import { MessageFlags, Routes } from 'discord.js';
import { defineCommand } from '../../src/discord/command.ts';
import type { CapturedRequest } from '../../test/harness/loopback-discord.ts';

/** The requests a schedule sent, captured once after the warm-up, for the baseline to replay. */
export interface Replay {
  event: unknown;
  announcementChannel: string;
  announcement: unknown;
  thread: unknown;
  opener: unknown;
  edit: string;
}

let replay: Replay | null = null;
export const setReplay = (r: Replay) => {
  replay = r;
};

/** The baseline: defer, then the same REST calls with the same bodies, in the order a schedule makes them. */
export const scheduleBaseline = defineCommand({
  data: { name: 'schedulebase', description: 'Benchmark baseline: replays the REST calls of /session schedule' },
  async execute(interaction) {
    const r = replay;
    if (!r) throw new Error('schedulebase ran before a schedule was captured');
    const rest = interaction.client.rest;
    const deferred = interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await rest.post(Routes.guildScheduledEvents(interaction.guildId!), { body: r.event });
    const message = (await rest.post(Routes.channelMessages(r.announcementChannel), { body: r.announcement })) as { id: string };
    const thread = (await rest.post(Routes.threads(r.announcementChannel, message.id), { body: r.thread })) as { id: string };
    // As the command does: the thread's opening message and the answer travel side by side.
    const opener = rest.post(Routes.channelMessages(thread.id), { body: r.opener });
    await deferred;
    await interaction.editReply({ content: r.edit });
    await opener;
  },
});

/** Picks a schedule's requests (from its callback on) out of the emulator's log. */
export function captureReplay(requests: readonly CapturedRequest[], token: string): Replay {
  const posts = (test: (path: string) => boolean) => requests.filter((r) => r.method === 'POST' && test(r.path));
  const [event] = posts((p) => /\/guilds\/\d+\/scheduled-events$/.test(p));
  const [announcement, opener] = posts((p) => /\/channels\/\d+\/messages$/.test(p));
  const [thread] = posts((p) => /\/channels\/\d+\/messages\/\d+\/threads$/.test(p));
  const edit = requests.find((r) => r.kind === 'webhook-edit' && r.path.includes(`/${token}/`));
  if (!event || !announcement || !opener || !thread || !edit) throw new Error('could not capture a /session schedule request to replay');
  return {
    event: event.body,
    announcementChannel: /\/channels\/(\d+)\//.exec(announcement.path)![1]!,
    announcement: announcement.body,
    thread: thread.body,
    opener: opener.body,
    edit: edit.body.content,
  };
}
