/**
 * What a member is doing across cards, packed into a few custom_id characters: `r` (review due cards) or
 * `q<core 0|1><section index | x>` (a quiz with its filters). Section indexes follow the glossary's section order.
 */
import { sectionsOf, type CardFilter } from '../domain/flashcards.ts';
import type { Registry } from '../registry/load.ts';

export interface Mode {
  review: boolean;
  filter: CardFilter;
}

export const MODE_PATTERN = /^(r|q[01](x|\d{1,3}))$/;

export function encodeMode(registry: Registry, mode: Mode): string {
  if (mode.review) return 'r';
  const index = mode.filter.section === null ? -1 : sectionsOf(registry).indexOf(mode.filter.section);
  return `q${mode.filter.coreOnly ? 1 : 0}${index < 0 ? 'x' : index}`;
}

export function decodeMode(registry: Registry, code: string): Mode {
  if (code === 'r') return { review: true, filter: { section: null, coreOnly: false } };
  const coreOnly = code[1] === '1';
  const rest = code.slice(2);
  const section = rest === 'x' ? null : (sectionsOf(registry)[Number(rest)] ?? null);
  return { review: false, filter: { section, coreOnly } };
}

export function modeLabel(mode: Mode): string {
  if (mode.review) return 'Review';
  const parts = ['Quiz'];
  if (mode.filter.coreOnly) parts.push('core terms');
  if (mode.filter.section) parts.push(mode.filter.section);
  return parts.join(' · ');
}
