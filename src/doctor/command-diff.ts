/**
 * Compares the commands registered with Discord against the ones the code defines: names, descriptions,
 * options (recursively, with choices, limits and autocomplete) and default_member_permissions. Discord fills in
 * defaults the code leaves out (required: false, null permissions, ...), so both sides are normalised first.
 */
import { isDeepStrictEqual } from 'node:util';

export interface CommandDiff {
  /** In the code but not registered. */
  missing: string[];
  /** Registered but no longer in the code. */
  extra: string[];
  /** Registered with a different definition: name and what differs. */
  changed: { name: string; what: string[] }[];
}

type Loose = Record<string, any>;

function normaliseOption(o: Loose): Loose {
  return {
    type: o.type,
    name: o.name,
    description: o.description ?? '',
    required: o.required === true,
    autocomplete: o.autocomplete === true,
    choices: (o.choices ?? []).map((c: Loose) => ({ name: c.name, value: c.value })),
    channel_types: [...(o.channel_types ?? [])].sort(),
    min_value: o.min_value ?? null,
    max_value: o.max_value ?? null,
    min_length: o.min_length ?? null,
    max_length: o.max_length ?? null,
    options: (o.options ?? []).map(normaliseOption),
  };
}

function normalise(c: Loose): Loose {
  return {
    type: c.type ?? 1,
    description: c.description ?? '',
    default_member_permissions: c.default_member_permissions ?? null,
    options: (c.options ?? []).map(normaliseOption),
  };
}

/** The part names ("options", "description", "default_member_permissions") that differ. */
function differences(code: Loose, registered: Loose): string[] {
  const a = normalise(code);
  const b = normalise(registered);
  const what: string[] = [];
  if (a.description !== b.description) what.push('description');
  if (a.default_member_permissions !== b.default_member_permissions) what.push('default_member_permissions');
  if (a.type !== b.type) what.push('type');
  if (!isDeepStrictEqual(a.options, b.options)) {
    const names = (os: Loose[]) => os.map((o) => o.name);
    const added = names(a.options).filter((n) => !names(b.options).includes(n));
    const removed = names(b.options).filter((n) => !names(a.options).includes(n));
    const detail = [...added.map((n) => `+${n}`), ...removed.map((n) => `-${n}`)];
    what.push(detail.length ? `options (${detail.join(', ')})` : 'options');
  }
  return what;
}

export function diffCommands(code: readonly Loose[], registered: readonly Loose[]): CommandDiff {
  const byName = new Map(registered.map((c) => [c.name, c]));
  const codeNames = new Set(code.map((c) => c.name));
  const changed: CommandDiff['changed'] = [];
  const missing: string[] = [];
  for (const command of code) {
    const live = byName.get(command.name);
    if (!live) missing.push(command.name);
    else {
      const what = differences(command, live);
      if (what.length) changed.push({ name: command.name, what });
    }
  }
  return { missing, extra: registered.map((c) => c.name).filter((n) => !codeNames.has(n)), changed };
}

export const isInSync = (d: CommandDiff): boolean => d.missing.length === 0 && d.extra.length === 0 && d.changed.length === 0;
