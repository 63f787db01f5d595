/** The one list of permissions per feature, and the invite URL built from it. */
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { enabledFeatures, FEATURES, inviteUrl, permissionsFor } from '../../src/discord/required-permissions.ts';

describe('required permissions', () => {
  it('turns a feature on when its command is loaded', () => {
    const ids = enabledFeatures(commands).map((f) => f.id);
    expect(ids).toContain('digests');
    expect(ids).toContain('roles');
    expect(enabledFeatures([{ data: { name: 'session' } } as never]).map((f) => f.id)).toEqual(['sessions']);
  });

  it('adds up to the integers the README quotes', () => {
    // View Channel, Send Messages, Embed Links, Attach Files, Read Message History.
    expect(permissionsFor(FEATURES.filter((f) => f.id === 'digests'))).toBe(117760n);
    expect(permissionsFor(FEATURES.filter((f) => f.id !== 'sessions'))).toBe(268553216n);
    expect(permissionsFor(FEATURES)).toBe(318096133120n);
  });

  it('builds the invite URL with both scopes and the integer', () => {
    expect(inviteUrl('900000000000000001', 117760n)).toBe(
      'https://discord.com/oauth2/authorize?client_id=900000000000000001&scope=bot+applications.commands&permissions=117760',
    );
  });
});
