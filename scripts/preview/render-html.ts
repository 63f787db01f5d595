/**
 * One shot as HTML for @skyra/discord-components-core: the message with its header, content, embeds (colour bar,
 * linked title, markdown description, inline fields, image, footer), attachments, buttons and select menus,
 * and the ephemeral "Only you can see this" line. Pure: the browser only screenshots what this returns.
 */
import { escapeHtml, markdown, type MarkdownContext } from './markdown.ts';
import { headerTime } from './timestamps.ts';
import type { Shot, ShotFile } from './recorder.ts';

export interface RenderContext {
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
  roles?: ReadonlyMap<string, string>;
}

const AVATAR_COLOURS = ['#5865f2', '#eb459e', '#57f287', '#fee75c', '#ed4245', '#3ba55c'];

/** A default-avatar-like circle with the member's initial, as a data URI (no network). */
export function avatar(name: string, colour?: string): string {
  const fill = colour ?? AVATAR_COLOURS[[...name].reduce((n, c) => n + c.charCodeAt(0), 0) % AVATAR_COLOURS.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="${fill}"/><text x="40" y="53" font-family="Liberation Sans, Arial, sans-serif" font-size="38" font-weight="bold" fill="#fff" text-anchor="middle">${escapeHtml(name.slice(0, 1).toUpperCase())}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The bot's avatar: a small induction-head motif on blurple. */
export const BOT_AVATAR = (() => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="#5865f2"/><path d="M20 52 L32 28 L44 52 L56 28" stroke="#fff" stroke-width="7" fill="none" stroke-linecap="round" stroke-linejoin="round"/><circle cx="60" cy="52" r="5" fill="#fff"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
})();

const attr = (name: string, value: unknown) => (value === undefined || value === null || value === false ? '' : value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`);

function dataUri(file: ShotFile): string {
  return `data:${file.contentType};base64,${file.data.toString('base64')}`;
}

function hexColour(color: number | undefined): string | undefined {
  return color === undefined || color === null ? undefined : `#${color.toString(16).padStart(6, '0')}`;
}

/** attachment://name → the uploaded file's data; http(s) images cannot load offline, so they get a placeholder. */
function imageSource(url: string | undefined, files: ShotFile[]): string | undefined {
  if (!url) return undefined;
  const m = /^attachment:\/\/(.+)$/.exec(url);
  if (m) {
    const file = files.find((f) => f.filename === m[1]);
    return file ? dataUri(file) : undefined;
  }
  return undefined;
}

function embedHtml(embed: any, files: ShotFile[], md: MarkdownContext): string {
  const ctx = { ...md, embed: true };
  const image = imageSource(embed.image?.url, files);
  const thumbnail = imageSource(embed.thumbnail?.url, files);
  const parts: string[] = [];
  if (embed.description) parts.push(`<discord-embed-description slot="description">${markdown(embed.description, ctx)}</discord-embed-description>`);
  if (embed.fields?.length) {
    // Discord puts up to three consecutive inline fields on a row.
    let run = 0;
    const fields = embed.fields.map((f: any) => {
      run = f.inline ? (run % 3) + 1 : 0;
      return `<discord-embed-field${attr('field-title', f.name)}${attr('inline', !!f.inline)}${f.inline ? attr('inline-index', run) : ''}>${markdown(f.value, ctx)}</discord-embed-field>`;
    });
    parts.push(`<discord-embed-fields slot="fields">${fields.join('')}</discord-embed-fields>`);
  }
  if (embed.footer?.text || embed.timestamp) {
    const when = embed.timestamp ? new Intl.DateTimeFormat('en-US', { month: '2-digit', day: '2-digit', year: 'numeric', timeZone: 'Europe/London' }).format(new Date(embed.timestamp)) : undefined;
    const text = [embed.footer?.text, when].filter(Boolean).join(' • ');
    parts.push(`<discord-embed-footer slot="footer">${escapeHtml(text)}</discord-embed-footer>`);
  }
  // The library renders the title as text; Discord shows markdown markers there as formatting, so drop them.
  const title = embed.title?.replace(/\*\*|__|~~/g, '');
  return `<discord-embed slot="embeds"${attr('color', hexColour(embed.color) ?? '#1e1f22')}${attr('embed-title', title)}${attr('author-name', embed.author?.name)}${attr('url', embed.url)}${attr('image', image)}${attr('thumbnail', thumbnail)}>${parts.join('')}</discord-embed>`;
}

const BUTTON_STYLES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'destructive', 5: 'secondary', 6: 'primary' };

function emojiText(emoji: any): string {
  if (!emoji) return '';
  return emoji.id ? `:${emoji.name}:` : emoji.name ?? '';
}

function componentHtml(component: any): string {
  if (component.type === 2) {
    const label = [emojiText(component.emoji), component.label].filter(Boolean).join(' ');
    return `<discord-button${attr('type', BUTTON_STYLES[component.style] ?? 'secondary')}${attr('url', component.style === 5 ? component.url : undefined)}${attr('disabled', !!component.disabled)}>${escapeHtml(label)}</discord-button>`;
  }
  if (component.type >= 3 && component.type <= 8) {
    const chosen = (component.options ?? []).filter((o: any) => o.default).map((o: any) => o.label);
    const placeholder = chosen.length ? chosen.join(', ') : component.placeholder ?? 'Make a selection';
    return `<discord-string-select-menu${attr('placeholder', placeholder)}${attr('disabled', !!component.disabled)}></discord-string-select-menu>`;
  }
  return `<span class="unsupported">component type ${escapeHtml(String(component.type))}</span>`;
}

function componentsHtml(rows: any[] | undefined): string {
  if (!rows?.length) return '';
  const html = rows
    .map((row) => (row.type === 1 ? `<discord-action-row>${(row.components ?? []).map(componentHtml).join('')}</discord-action-row>` : `<span class="unsupported">top-level component type ${row.type}</span>`))
    .join('');
  return `<discord-attachments slot="components">${html}</discord-attachments>`;
}

function attachmentsHtml(message: any, files: ShotFile[]): string {
  const inEmbeds = new Set<string>();
  for (const e of message.embeds ?? []) for (const u of [e.image?.url, e.thumbnail?.url]) if (u?.startsWith('attachment://')) inEmbeds.add(u.slice(13));
  const loose = files.filter((f) => !inEmbeds.has(f.filename));
  if (!loose.length) return '';
  const html = loose
    .map((f) =>
      f.contentType.startsWith('image/')
        ? `<discord-image-attachment${attr('url', dataUri(f))}${attr('alt', f.filename)} custom-image-element></discord-image-attachment>`
        : `<discord-file-attachment${attr('name', f.filename)}${attr('bytes', Math.max(1, Math.round(f.data.length / 102.4) / 10))} bytes-unit="KB"${attr('type', f.contentType)} href="#"></discord-file-attachment>`,
    )
    .join('');
  return `<discord-attachments slot="attachments">${html}</discord-attachments>`;
}

function modalHtml(shot: Shot): string {
  const data = shot.message;
  const inputs = (data.components ?? []).flatMap((row: any) => row.components ?? (row.component ? [row.component] : []));
  const fields = inputs
    .map((c: any) => `<discord-input-text${attr('type', c.style === 2 ? 'paragraph' : 'short')}${attr('label', c.label ?? c.custom_id)}${attr('placeholder', c.placeholder)}${attr('required', c.required !== false)}${attr('default-value', c.value)}></discord-input-text>`)
    .join('');
  return `<discord-modal author="Induction"${attr('avatar', BOT_AVATAR)}${attr('modal-title', data.title)}>${fields}</discord-modal>`;
}

/** Autocomplete choices, as the popup above the message box lists them. */
function choicesHtml(shot: Shot): string {
  const choices = shot.message.choices ?? [];
  const typed = shot.message.typed ?? { command: '', option: '', value: '' };
  const items = choices.map((c: any) => `<div class="choice">${escapeHtml(c.name)}</div>`).join('');
  return `<div class="choices"><div class="choices-title">OPTIONS MATCHING <span class="choices-option">${escapeHtml(typed.option)}</span></div>${
    items || '<div class="choice empty">No options match your search.</div>'
  }</div><div class="chatbar"><span class="chatbar-command">${escapeHtml(typed.command)}</span><span class="chatbar-option">${escapeHtml(typed.option)}</span>${escapeHtml(typed.value)}</div>`;
}

function truncateLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

/** The shot's HTML, to go inside <discord-messages>. */
export function shotHtml(shot: Shot, ctx: RenderContext): string {
  const md: MarkdownContext = { now: shot.at, users: ctx.users, channels: ctx.channels, ...(ctx.roles ? { roles: ctx.roles } : {}) };
  if (shot.kind === 'modal') return modalHtml(shot);
  if (shot.kind === 'choices') return choicesHtml(shot);
  const m = shot.message;
  const header = shot.header
    ? `<discord-command slot="reply"${attr('author', shot.header.user.username)}${attr('avatar', avatar(shot.header.user.username))}${attr('command', shot.header.command)}${attr('type', shot.header.type)}${
        shot.header.target
          ? `${attr('context-user-name', shot.header.target.author)}${attr('context-user-image', avatar(shot.header.target.author))}${attr('context-message-reply', `\u00a0${truncateLine(shot.header.target.content, 60)}`)}`
          : ''
      }></discord-command>`
    : '';
  const content = m.content ? markdown(m.content, md) : '';
  const embeds = (m.embeds ?? []).map((e: any) => embedHtml(e, shot.files, md)).join('');
  return `<discord-message author="Induction" bot verified${attr('avatar', BOT_AVATAR)}${attr('timestamp', headerTime(shot.at, shot.at))}${attr('ephemeral', shot.ephemeral)}${attr('edited', shot.edited)}>${header}${content}${attachmentsHtml(m, shot.files)}${embeds}${componentsHtml(m.components)}</discord-message>`;
}

/** Styles for the markdown the components library leaves to the page (light DOM inside slots). */
export const PAGE_CSS = `
  html, body { margin: 0; background: #313338; }
  body { font-family: "gg sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; -webkit-font-smoothing: antialiased; }
  #stage { width: var(--width, 760px); }
  discord-messages { border: 0; }
  .md-line { white-space: pre-wrap; overflow-wrap: anywhere; }
  .md-code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.85em; background: #2b2d31; border: 1px solid #1e1f22; border-radius: 4px; padding: 0 .2em; }
  discord-embed .md-code { background: #1e1f22; }
  .md-pre { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.85em; background: #2b2d31; border: 1px solid #1e1f22; border-radius: 4px; padding: .5em; margin: 4px 0; white-space: pre-wrap; }
  .md-link { color: #00a8fc; text-decoration: none; }
  .md-chip { background: rgba(88,101,242,.3); color: #c9cdfb; border-radius: 3px; padding: 0 2px; font-weight: 500; }
  .md-command { cursor: pointer; }
  .md-time { background: rgba(255,255,255,.06); border-radius: 3px; padding: 0 2px; }
  .md-spoiler { background: #1e1f22; color: transparent; border-radius: 3px; }
  .md-list { margin: 2px 0; padding-left: 1.4em; }
  .md-list li { margin: 1px 0; }
  .md-quote { margin: 2px 0; padding: 0 8px 0 12px; border-left: 4px solid #4e5058; }
  .md-h1 { font-size: 1.5em; font-weight: 700; margin: 8px 0 4px; }
  .md-h2 { font-size: 1.25em; font-weight: 700; margin: 8px 0 4px; }
  .md-h3 { font-size: 1em; font-weight: 700; margin: 8px 0 4px; }
  .md-subtext { font-size: 0.8em; color: #949ba4; }
  .unsupported { color: #ed4245; font-family: monospace; }
  .choices { background: #2b2d31; color: #dbdee1; margin: 16px; border-radius: 8px; padding: 8px 0; font-size: 15px; }
  .choices-title { color: #b5bac1; font-size: 12px; font-weight: 700; padding: 4px 16px 8px; }
  .choice { padding: 8px 16px; }
  .choice:first-of-type { background: #35373c; }
  .choices-option { color: #dbdee1; }
  .chatbar { background: #383a40; color: #dbdee1; margin: 0 16px 16px; border-radius: 8px; padding: 11px 16px; font-size: 15px; }
  .chatbar-command { font-weight: 600; margin-right: 8px; }
  .chatbar-option { background: #1e1f22; border-radius: 4px; padding: 1px 6px; margin-right: 6px; color: #b5bac1; }
  .caption { color: #949ba4; font: 12px "Liberation Sans", Arial, sans-serif; padding: 8px 16px 0; }
`;
