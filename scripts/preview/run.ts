/**
 * `npm run preview`: runs the real bot against the loopback Discord through a scripted member/admin session,
 * captures every message it sends and renders each as Discord's dark theme shows it, to preview/out/:
 *   <nn>-<step>.png   one picture per message (reply, update, edit, follow-up, channel post, DM)
 *   index.html        every picture with what the member did, and any payload that broke Discord's schema
 *   <nn>-<step>.json  the payload the bot sent for it (and <nn>-<step>.file-<name>, each file it attached)
 *   session.html      the whole session as live HTML (open it in a browser; no network needed)
 *
 * Options: --out <dir>, --only <text> (steps whose name contains it), --width <px> (default 760),
 * --scale <n> (device pixel ratio, default 1), --html-only (skip the browser), --docs (also copy the README's
 * pictures, DOCS_PICTURES below, to docs/images/).
 * Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH); it never downloads one.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { seedRandom } from './seed.ts';

// A fixed seed before anything else can draw (the recorder reseeds per step, see seed.ts).
seedRandom(0x1dc72026);

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'preview/out' },
    only: { type: 'string' },
    width: { type: 'string', default: '760' },
    scale: { type: 'string', default: '1' },
    'html-only': { type: 'boolean', default: false },
    docs: { type: 'boolean', default: false },
  },
});

const { startTestBot } = await import('../../test/harness/bot.ts');
const { Recorder } = await import('./recorder.ts');
const { GUILDS, PEOPLE, ROLE, START, prepareServer, runSession } = await import('./session.ts');
const { shotHtml } = await import('./render-html.ts');
const { Screenshotter, bundleComponents, stageHtml } = await import('./browser.ts');
const { escapeHtml } = await import('./markdown.ts');

/** The README's pictures: session step (without its number) → docs/images/<file>. */
const DOCS_PICTURES: Record<string, string> = {
  'glossary-lookup': 'glossary-card.png',
  'problem-random': 'problem-card.png',
  'plan-status': 'plan-status.png',
  'digest-post-1': 'weekly-digest.png',
};

const outDir = resolve(values.out!);
const width = Number(values.width);
const scale = Number(values.scale);
const started = Date.now();

mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (/\.(png|html|json)$/.test(f) || f.includes('.file-') || f === 'components.js') rmSync(join(outDir, f));

const bundling = bundleComponents(join(outDir, 'components.js'));
const t = await startTestBot({ guilds: GUILDS, now: new Date(START) });
const people = new Map(PEOPLE.map((p) => [p.id, p]));
const channelNames = new Map(GUILDS.flatMap((g) => g.channels.map((c) => [c.id, c.name] as const)));
prepareServer(t);
const rec = new Recorder(t, people, channelNames);
let failure: unknown;
try {
  await runSession(rec, t.clock);
} catch (error) {
  failure = error;
  console.error('preview: the session stopped early:', error);
} finally {
  await t.close();
}
const recorded = Date.now();

const shots = rec.shots.filter((s) => !values.only || s.name.includes(values.only));
const ctx = {
  users: new Map(PEOPLE.map((p) => [p.id, p.username])),
  channels: channelNames,
  roles: new Map([[ROLE, 'Autumn cohort']]),
};
const fragments = shots.map((s) => ({ shot: s, html: shotHtml(s, ctx) }));
// The raw payload next to each picture, and the files it attached, for checking what the bot actually sent.
for (const s of shots) for (const f of s.files) writeFileSync(join(outDir, `${s.name}.file-${f.filename}`), f.data);
for (const s of shots) writeFileSync(join(outDir, `${s.name}.json`), `${JSON.stringify({ caption: s.caption, kind: s.kind, channel: s.channel, ephemeral: s.ephemeral, files: s.files.map((f) => `${f.filename} (${f.data.length} bytes)`), message: s.message }, null, 2)}\n`);
await bundling;

const channelLine = (channel: string) => `<div class="caption">${escapeHtml(channel)}</div>`;
writeFileSync(
  join(outDir, 'session.html'),
  stageHtml('components.js', width, fragments.map((f) => `<h3 class="caption">${escapeHtml(f.shot.name)}: ${escapeHtml(f.shot.caption)}</h3>${channelLine(f.shot.channel)}<discord-messages>${f.html}</discord-messages>`).join('\n')),
);

if (!values['html-only']) {
  const browser = await Screenshotter.open(outDir, { width, scale });
  try {
    for (const f of fragments) await browser.shoot(f.html, join(outDir, `${f.shot.name}.png`));
  } finally {
    await browser.close();
  }
}

if (values.docs && !values['html-only']) {
  const docsDir = resolve('docs/images');
  mkdirSync(docsDir, { recursive: true });
  for (const [step, file] of Object.entries(DOCS_PICTURES)) {
    const shot = shots.find((s) => s.name.replace(/^\d+-/, '') === step);
    const png = shot && join(outDir, `${shot.name}.png`);
    if (png && existsSync(png)) copyFileSync(png, join(docsDir, file));
    else console.error(`preview: no picture for docs/images/${file} (step ${step})`);
  }
}

const violations = shots.flatMap((s) => s.violations.map((v) => `${s.name}: ${v}`));
const index = `<!doctype html><html><head><meta charset="utf-8"><title>Induction preview</title><style>
body{background:#1e1f22;color:#dbdee1;font:14px "Liberation Sans",Arial,sans-serif;margin:24px}
figure{margin:0 0 28px}figcaption{margin:0 0 6px;color:#b5bac1}code{color:#949ba4}img{display:block;border-radius:6px}
.bad{color:#ed4245}</style></head><body>
<h1>Induction: what members see</h1>
<p>${shots.length} messages from a scripted session on the loopback Discord, rendered in Discord's dark theme.
Live HTML: <a href="session.html" style="color:#00a8fc">session.html</a>.</p>
${violations.length ? `<p class="bad">Payloads that broke Discord's schema:</p><ul class="bad">${violations.map((v) => `<li>${escapeHtml(v)}</li>`).join('')}</ul>` : ''}
${failure ? `<p class="bad">The session stopped early: ${escapeHtml(String(failure))}</p>` : ''}
${shots
  .map((s) => `<figure><figcaption><code>${escapeHtml(s.name)}</code> · ${escapeHtml(s.caption)} · ${escapeHtml(s.kind)} in ${escapeHtml(s.channel)}${s.ephemeral ? ' (only they see it)' : ''}</figcaption>${values['html-only'] ? '' : `<img src="${escapeHtml(s.name)}.png" alt="${escapeHtml(s.caption)}" width="${width}">`}</figure>`)
  .join('\n')}
</body></html>`;
writeFileSync(join(outDir, 'index.html'), index);

console.log(`preview: ${shots.length} messages in ${outDir} (session ${((recorded - started) / 1000).toFixed(1)} s, rendering ${((Date.now() - recorded) / 1000).toFixed(1)} s)`);
if (violations.length) console.log(`preview: ${violations.length} payload(s) broke Discord's schema; see index.html`);
process.exit(failure ? 1 : 0);
