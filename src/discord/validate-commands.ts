/**
 * Checks command modules when they are loaded: names Discord would reject, duplicate names, and option rules that
 * the type system cannot see (required options first, at most 25 options and choices, description lengths).
 */
import { isMessageCommand, type Command } from './command.ts';

const NAME = /^[-_'\p{Ll}\p{Lm}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Opt {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  options?: readonly Opt[];
  choices?: readonly unknown[];
}

export function commandProblems(commands: readonly Command<any>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const checkOptions = (path: string, options: readonly Opt[]) => {
    if (options.length > 25) problems.push(`${path}: more than 25 options`);
    let optionalSeen = false;
    const names = new Set<string>();
    for (const o of options) {
      const where = `${path} ${o.name}`;
      if (!NAME.test(o.name)) problems.push(`${where}: invalid option name`);
      if (names.has(o.name)) problems.push(`${where}: duplicate option name`);
      names.add(o.name);
      if (o.description.length < 1 || o.description.length > 100) problems.push(`${where}: description must be 1–100 characters`);
      if ((o.choices?.length ?? 0) > 25) problems.push(`${where}: more than 25 choices`);
      if (o.type === 1 || o.type === 2) checkOptions(where, o.options ?? []);
      else if (o.required) {
        if (optionalSeen) problems.push(`${where}: required options must come before optional ones`);
      } else optionalSeen = true;
    }
  };
  for (const command of commands) {
    const { data, components } = command;
    if (isMessageCommand(command)) {
      // Context-menu names may use capitals and spaces ("Explain jargon"); they take no description or options.
      if (data.name.length < 1 || data.name.length > 32 || data.name.trim() !== data.name) problems.push(`"${data.name}": invalid message command name`);
      if (seen.has(`message:${data.name}`)) problems.push(`"${data.name}": duplicate message command name`);
      seen.add(`message:${data.name}`);
      if ((data as { description?: string }).description) problems.push(`"${data.name}": message commands take no description`);
      if ((data as { options?: unknown }).options) problems.push(`"${data.name}": message commands take no options`);
    } else {
      if (!NAME.test(data.name)) problems.push(`/${data.name}: invalid command name`);
      if (seen.has(data.name)) problems.push(`/${data.name}: duplicate command name`);
      seen.add(data.name);
      if (data.description.length < 1 || data.description.length > 100) problems.push(`/${data.name}: description must be 1–100 characters`);
      checkOptions(`/${data.name}`, (data.options ?? []) as readonly Opt[]);
    }
    for (const action of Object.keys(components ?? {})) {
      if (action.includes(':')) problems.push(`/${data.name}: component action "${action}" contains ':'`);
    }
  }
  return problems;
}

export function assertValidCommands<C extends Command<any>>(commands: readonly C[]): readonly C[] {
  const problems = commandProblems(commands);
  if (problems.length > 0) throw new Error(`invalid command definitions:\n  ${problems.join('\n  ')}`);
  return commands;
}
