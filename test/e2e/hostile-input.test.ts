/**
 * Every string option of every command, and every autocomplete, fed at least 50 hostile values. Each must be
 * answered within 3 seconds with a payload valid against Discord's schemas, ping no one, and leave the bot alive.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { ADMIN, autocomplete, chatInput, type OptionInput } from '../harness/interactions.ts';
import { startTestBot, type TestBot } from '../harness/bot.ts';

export const HOSTILE: string[] = [
  '', ' ', '\t\n ', '\u3000\u00a0',
  'x'.repeat(6000), 'a'.repeat(101), 'é'.repeat(3000), '\u{1F600}'.repeat(2000),
  '@everyone', '@here', '@everyone @here', '<@&123456789012345678>', '<@300000000000000012>', '<@!300000000000000012>', '<#200000000000000001>', '＠everyone',
  '**bold**', '__underline__', '~~strike~~', '||spoiler||', '`code`', '```js\nprocess.exit()\n```', '> quote', '# heading', '-# subtext',
  '[click](https://evil.example)', '<https://evil.example>', 'https://evil.example/@everyone', '![img](http://evil.example/x.png)',
  '\u200b', 'a\u200bb', '\u202eevil\u202c', '\u2066x\u2069', '\u0000', 'a\u0000b', '\ufeff', 'Z̷̢̛a̸l̴g̷o̵',
  "'; DROP TABLE keyv; --", '" OR 1=1 --', "%' OR '1'='1", 'NULL', 'null', 'undefined', '{{7*7}}', '${process.env.DISCORD_TOKEN}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '../../etc/passwd', '..\\..\\windows\\system32', '/etc/shadow', 'file:///etc/passwd', 'sqlite://state/x.sqlite', 'C:\\boot.ini',
  '👨‍👩‍👧‍👦', '🏳️‍🌈', '👩🏽‍💻'.repeat(50),
  'javascript:alert(1)', '<script>alert(1)</script>', 'http://localhost', 'https://', 'https://a b.com', 'ftp://example.org',
  '-1', '1e309', 'NaN', '9'.repeat(30), '1.10', ' 1.1 ', ':', 'a:b:c', '%00', '%s%s%s',
];

/** Sensible values for required options, so each hostile value reaches its own option's handling. */
const VALID: Record<string, unknown> = {
  resource: 'arena-1-1-transformer-from-scratch',
  status: 'done',
  term: 'induction-head',
  id: '1.6',
  intent: 'working',
  link: 'https://example.org/write-up',
  timezone: 'Europe/London',
  name: 'Hostile group',
  group: 'hostile-group',
  weekday: 1,
  hour: 9,
  channel: '200000000000000001',
  when: 'next tuesday 18:00',
  session: 'abc234',
  member: '300000000000000012',
  set: 'concrete-open-problems',
  difficulty: 'A',
  category: '1',
  kind: 'paper',
  level: 'intro',
  topic: 'superposition',
  query: 'superposition',
  cap: 3,
  pinned: true,
  plan: 'arena-ch1',
  action: 'edit',
};

interface Target {
  command: string;
  subcommand: string | null;
  options: any[];
  option: any;
}

function targets(): Target[] {
  const out: Target[] = [];
  for (const { data } of commands) {
    const opts = (data.options ?? []) as any[];
    const groups = opts.some((o) => o.type === ApplicationCommandOptionType.Subcommand)
      ? opts.filter((o) => o.type === ApplicationCommandOptionType.Subcommand).map((s) => ({ sub: s.name as string, options: (s.options ?? []) as any[] }))
      : [{ sub: null, options: opts }];
    for (const g of groups) {
      for (const option of g.options) if (option.type === ApplicationCommandOptionType.String) out.push({ command: data.name, subcommand: g.sub, options: g.options, option });
    }
  }
  return out;
}

function build(target: Target, value: string, focused: boolean): OptionInput[] {
  const options: OptionInput[] = [];
  for (const o of target.options) {
    if (o.name === target.option.name) options.push({ name: o.name, type: o.type, value, ...(focused ? { focused: true } : {}) });
    else if (o.required) {
      const v = VALID[o.name];
      if (v === undefined) throw new Error(`no valid default for required option ${target.command} ${o.name}`);
      options.push({ name: o.name, type: o.type, value: v });
    }
  }
  return target.subcommand ? [{ name: target.subcommand, type: 1, options }] : options;
}

describe('hostile input', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has at least 50 hostile values and covers every string option', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(50);
    expect(targets().length).toBeGreaterThan(10);
  });

  it.each(targets().map((target) => [`/${target.command}${target.subcommand ? ` ${target.subcommand}` : ''} ${target.option.name}`, target] as const))(
    '%s survives every hostile value',
    async (_label, target) => {
      const slow: string[] = [];
      for (const value of HOSTILE) {
        for (const focused of target.option.autocomplete ? [false, true] : [false]) {
          const options = build(target, value, focused);
          const payload = focused ? autocomplete(target.command, options, { user: ADMIN }) : chatInput(target.command, options, { user: ADMIN });
          const started = Date.now();
          const reply = await t.send(payload);
          if (Date.now() - started > 3_000) slow.push(JSON.stringify(value).slice(0, 40));
          expect(reply.body.type, `${JSON.stringify(value).slice(0, 60)}`).toBeGreaterThan(0);
        }
      }
      // Let deferred replies' edits land, then check every request the bot made.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(slow).toEqual([]);
      expect(t.discord.violations()).toEqual([]);
      expect(t.bot.client.ws.status).toBe(0);
    },
    120_000,
  );
});
