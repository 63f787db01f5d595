/** How a server's own entries are marked wherever they appear next to shipped ones. */
import { isServerId } from '../domain/overlay.ts';

/** The tag on a server entry, for example in a card footer or an autocomplete choice. */
export const SERVER_TAG = 'Server';
export const SERVER_ENTRY_NOTE = 'Server entry: added by this server’s curators, not part of the shipped registry.';

/** "Server · " before a server entry's details, nothing for shipped entries. */
export const serverTag = (id: string) => (isServerId(id) ? `${SERVER_TAG} · ` : '');
