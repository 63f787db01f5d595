/**
 * Discord's <t:unix:style> timestamps as an en-US client in London shows them, on a fixed clock so the preview
 * is the same every run.
 */
export const VIEWER_TIME_ZONE = 'Europe/London';

const formats: Record<string, Intl.DateTimeFormatOptions> = {
  t: { hour: 'numeric', minute: '2-digit' },
  T: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
  d: { month: '2-digit', day: '2-digit', year: 'numeric' },
  D: { month: 'long', day: 'numeric', year: 'numeric' },
  f: { month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' },
  F: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' },
};

export function formatTimestamp(ms: number, style: string, now: number): string {
  if (style === 'R') return relative(ms, now);
  const options = formats[style] ?? formats.f!;
  return new Intl.DateTimeFormat('en-US', { ...options, timeZone: VIEWER_TIME_ZONE }).format(new Date(ms)).replace(' at ', ' ');
}

/** Discord's relative wording (moment.js thresholds): "in 7 days", "2 hours ago", "a few seconds ago". */
export function relative(ms: number, now: number): string {
  const diff = ms - now;
  const s = Math.abs(diff) / 1000;
  const m = s / 60;
  const h = m / 60;
  const d = h / 24;
  let text: string;
  if (s < 45) text = 'a few seconds';
  else if (s < 90) text = 'a minute';
  else if (m < 45) text = `${Math.round(m)} minutes`;
  else if (m < 90) text = 'an hour';
  else if (h < 22) text = `${Math.round(h)} hours`;
  else if (h < 36) text = 'a day';
  else if (d < 26) text = `${Math.round(d)} days`;
  else if (d < 45) text = 'a month';
  else if (d < 320) text = `${Math.round(d / 30.4)} months`;
  else if (d < 548) text = 'a year';
  else text = `${Math.round(d / 365)} years`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** The message header's time, as Discord shows it for today ("Today at 9:00 AM") or another day. */
export function headerTime(ms: number, now: number): string {
  const day = (x: number) => new Intl.DateTimeFormat('en-CA', { timeZone: VIEWER_TIME_ZONE }).format(new Date(x));
  const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: VIEWER_TIME_ZONE }).format(new Date(ms));
  if (day(ms) === day(now)) return `Today at ${time}`;
  if (day(ms + 86_400_000) === day(now)) return `Yesterday at ${time}`;
  return `${new Intl.DateTimeFormat('en-US', { month: '2-digit', day: '2-digit', year: 'numeric', timeZone: VIEWER_TIME_ZONE }).format(new Date(ms))} ${time}`;
}
