/**
 * Discord's markdown, as the client renders it, to HTML for the preview: bold, italic, underline, strike, spoiler,
 * inline code and code blocks, masked links, headings, subtext (-#), quotes, lists, and Discord's tokens
 * (</name sub:id> command mentions, <@id> users, <#id> channels, <@&id> roles, <t:unix:style> timestamps).
 * It is a development tool: close to what the client shows, not a full parser.
 */
import { formatTimestamp } from './timestamps.ts';

export interface MarkdownContext {
  /** The clock when the message was sent, for <t:…:R>. */
  now: number;
  users: ReadonlyMap<string, string>;
  channels: ReadonlyMap<string, string>;
  roles?: ReadonlyMap<string, string>;
  /** Embeds allow masked links and headings differently; inline code is styled for embeds. */
  embed?: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const PLACEHOLDER = '\u0000';

/** Inline markdown for one line (no block syntax). Returns HTML. */
export function inline(text: string, ctx: MarkdownContext): string {
  const held: string[] = [];
  const hold = (html: string) => `${PLACEHOLDER}${held.push(html) - 1}${PLACEHOLDER}`;
  let s = text;
  // Escaped characters first, so "\*" stays a star.
  s = s.replace(/\\([*_~`|<>\[\]()#\\-])/g, (_, c: string) => hold(escapeHtml(c)));
  s = s.replace(/`([^`]+)`/g, (_, code: string) => hold(`<code class="md-code">${escapeHtml(code)}</code>`));
  s = s.replace(/<\/([\w -]+?):(\d+)>/g, (_, name: string) => hold(`<span class="md-chip md-command">/${escapeHtml(name)}</span>`));
  s = s.replace(/<@!?(\d+)>/g, (_, id: string) => hold(`<span class="md-chip">@${escapeHtml(ctx.users.get(id) ?? `user${id.slice(-4)}`)}</span>`));
  s = s.replace(/<@&(\d+)>/g, (_, id: string) => hold(`<span class="md-chip">@${escapeHtml(ctx.roles?.get(id) ?? 'role')}</span>`));
  s = s.replace(/<#(\d+)>/g, (_, id: string) => hold(`<span class="md-chip">#${escapeHtml(ctx.channels.get(id) ?? 'unknown')}</span>`));
  s = s.replace(/<t:(-?\d+)(?::([tTdDfFR]))?>/g, (_, unix: string, style?: string) =>
    hold(`<span class="md-time">${escapeHtml(formatTimestamp(Number(unix) * 1000, style ?? 'f', ctx.now))}</span>`),
  );
  // Masked links [label](url) (optionally <url>), then <url> and bare URLs.
  s = s.replace(/\[([^\]]+)\]\(<?(https?:\/\/[^)\s>]+)>?\)/g, (_, label: string, url: string) => hold(`<a class="md-link" href="${escapeHtml(url)}">${inline(label, ctx)}</a>`));
  s = s.replace(/<(https?:\/\/[^>\s]+)>/g, (_, url: string) => hold(`<a class="md-link" href="${escapeHtml(url)}">${escapeHtml(url)}</a>`));
  s = s.replace(/https?:\/\/[^\s<)]+/g, (url) => hold(`<a class="md-link" href="${escapeHtml(url)}">${escapeHtml(url)}</a>`));
  s = escapeHtml(s);
  s = s.replace(/\*\*\*(.+?)\*\*\*/g, '<strong><em>$1</em></strong>');
  s = s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/__(.+?)__/g, '<u>$1</u>');
  s = s.replace(/(^|[^\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\*)/g, '$1<em>$2</em>');
  s = s.replace(/(^|[^\w])_(?!\s)(.+?)(?<!\s)_(?!\w)/g, '$1<em>$2</em>');
  s = s.replace(/~~(.+?)~~/g, '<s>$1</s>');
  s = s.replace(/\|\|(.+?)\|\|/g, '<span class="md-spoiler">$1</span>');
  // Placeholders may nest (a link label holding code), so restore until none are left.
  const restore = new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g');
  while (restore.test(s)) s = s.replace(restore, (_, i: string) => held[Number(i)]!);
  return s;
}

/** Block markdown: code blocks, headings, subtext, quotes and lists, each line through inline(). */
export function markdown(text: string, ctx: MarkdownContext): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let list: { tag: 'ul' | 'ol'; items: string[]; indent: number } | null = null;
  const flush = () => {
    if (!list) return;
    out.push(`<${list.tag} class="md-list">${list.items.map((i) => `<li>${i}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^```(\w*)\s*$/.exec(line) ?? /^```(\w*)\s*(.+)$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      const rest = line.slice(3 + fence[1]!.length);
      if (rest.includes('```')) {
        out.push(`<pre class="md-pre">${escapeHtml(rest.replace(/```\s*$/, ''))}</pre>`);
        continue;
      }
      if (rest.trim()) body.push(rest);
      for (i++; i < lines.length && !/^```/.test(lines[i]!); i++) body.push(lines[i]!);
      out.push(`<pre class="md-pre">${escapeHtml(body.join('\n'))}</pre>`);
      continue;
    }
    const bullet = /^(\s*)[-*] (.*)$/.exec(line);
    const numbered = /^(\s*)\d+\. (.*)$/.exec(line);
    if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      const m = (bullet ?? numbered)!;
      if (!list || list.tag !== tag) {
        flush();
        list = { tag, items: [], indent: m[1]!.length };
      }
      list.items.push(inline(m[2]!, ctx));
      continue;
    }
    flush();
    let m: RegExpExecArray | null;
    if ((m = /^(#{1,3}) (.*)$/.exec(line))) out.push(`<div class="md-h${m[1]!.length}">${inline(m[2]!, ctx)}</div>`);
    else if ((m = /^-# (.*)$/.exec(line))) out.push(`<div class="md-subtext">${inline(m[1]!, ctx)}</div>`);
    else if ((m = /^>>> ([\s\S]*)$/.exec(lines.slice(i).join('\n')))) {
      out.push(`<blockquote class="md-quote">${m[1]!.split('\n').map((l) => inline(l, ctx)).join('<br>')}</blockquote>`);
      break;
    } else if ((m = /^> ?(.*)$/.exec(line))) {
      const quoted = [m[1]!];
      while (i + 1 < lines.length && /^> ?/.test(lines[i + 1]!)) quoted.push(lines[++i]!.replace(/^> ?/, ''));
      out.push(`<blockquote class="md-quote">${quoted.map((l) => inline(l, ctx)).join('<br>')}</blockquote>`);
    } else out.push(`<div class="md-line">${line.trim() === '' ? '<br>' : inline(line, ctx)}</div>`);
  }
  flush();
  return out.join('');
}
