/**
 * The Delete button on public answers. Only whoever asked may delete the answer (others get a private note);
 * the handler lives with each command's components as `<command>:delete:<ownerId>` (src/discord/delete-answer.ts).
 */
import { ButtonStyle, ComponentType, type APIButtonComponent } from 'discord-api-types/v10';
import { customId } from '../discord/custom-id.ts';

export function deleteButton(command: string, ownerId: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '🗑️' }, label: 'Delete', custom_id: customId(command, 'delete', ownerId) };
}
