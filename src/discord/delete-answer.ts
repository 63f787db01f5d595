/**
 * The handler behind deleteButton(): deletes a public answer for the member who asked for it. Anyone else gets a
 * private note. Deleting goes through the interaction webhook, so it needs no channel permission and works the same
 * in gateway and HTTP mode.
 */
import { z } from 'zod';
import { component } from './command.ts';
import { replyEphemeral } from './replies.ts';

export const deleteAnswer = component({
  args: z.tuple([z.string().regex(/^\d{1,20}$/)]),
  async run(interaction, [ownerId]) {
    if (!interaction.isButton()) return;
    if (interaction.user.id !== ownerId) {
      return replyEphemeral(interaction, `Only <@${ownerId}>, who asked for this answer, can delete it.`);
    }
    await interaction.deferUpdate();
    await interaction.deleteReply();
  },
});
