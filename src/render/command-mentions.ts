/**
 * Clickable command mentions (`</problem show:123>`). Discord renders these as a button-like link that fills in the
 * command when pressed. The ids come from Discord (the bulk overwrite's answer, or GET on the commands route at
 * start-up); until they are known, or for a command Discord does not list, we fall back to the command in code
 * formatting, which still reads correctly.
 *
 * Use `cmd('problem show')` everywhere a command is suggested: never write "/problem show" by hand in a payload.
 */
const ids = new Map<string, string>();

/** Records the application command ids Discord returned (top-level name → id). */
export function setCommandIds(commands: Iterable<{ name: string; id: string }>): void {
  ids.clear();
  for (const command of commands) ids.set(command.name, command.id);
}

/** The id Discord gave a top-level command, when known. */
export function commandId(name: string): string | undefined {
  return ids.get(name);
}

/** `'problem show'` → `</problem show:ID>` when the id is known, else `` `/problem show` ``. */
export function cmd(path: string): string {
  const name = path.split(' ')[0]!;
  const id = ids.get(name);
  return id ? `</${path}:${id}>` : `\`/${path}\``;
}
