import { describe, expect, it } from 'vitest';
import { channelMessage, messageCommand } from '../harness/interactions.ts';
import { validateMessageCommandInteraction, validatePayload } from '../harness/discord-spec.ts';

describe('message context-menu commands against the spec', () => {
  it('builds a type 3 interaction whose target message is resolved and valid', () => {
    const message = channelMessage({ content: 'the SAE feature', embeds: [{ type: 'rich', title: 'x', description: 'y' }], attachments: [{ filename: 'a.png' }] });
    const payload = messageCommand('Explain jargon', message);
    expect(validateMessageCommandInteraction(payload)).toEqual([]);
  });

  it('catches a payload whose target is missing or malformed', () => {
    const message = channelMessage({ content: 'hi' });
    const payload = messageCommand('Explain jargon', message);
    expect(validateMessageCommandInteraction({ ...payload, data: { ...payload.data, target_id: '1' } })).not.toEqual([]);
    const broken = messageCommand('Explain jargon', { ...message, author: { id: 5 } });
    expect(validateMessageCommandInteraction(broken).join()).toMatch(/author/);
  });

  it('accepts a message command in the bulk overwrite, and rejects one with a description', () => {
    expect(validatePayload('commands-put', [{ type: 3, name: 'Explain jargon' }, { name: 'help', description: 'x' }])).toEqual([]);
    expect(validatePayload('commands-put', [{ type: 3, name: 'Explain jargon', description: 'nope' }])).not.toEqual([]);
  });
});
