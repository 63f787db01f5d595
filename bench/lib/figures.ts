/** The result shape every section returns, and the helpers that judge a figure against its target. */

export type SectionId = 'latency' | 'glossary' | 'store' | 'digest' | 'memory' | 'cold-start' | 'sessions' | 'jargon' | 'overlay' | 'scaling' | 'burst';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  section: SectionId;
  /** Stable key for results.json, e.g. "latency./help.p99". */
  id: string;
  label: string;
  value: number | null;
  unit: string;
  /** How the value is shown in the table (defaults to value + unit). */
  display?: string;
  target?: Target;
  /** null when there is no target or the value could not be measured. */
  pass: boolean | null;
  note?: string;
}

export interface SectionResult {
  section: SectionId;
  title: string;
  figures: Figure[];
  /** What exactly was measured, in words, for the table's footnotes and the README. */
  method: string[];
  /** Everything else worth keeping (raw summaries, configuration, profiles). */
  details: Record<string, unknown>;
  durationMs: number;
  error?: string;
}

const fmt = (value: number, unit: string): string => {
  const digits = Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  const n = value.toFixed(digits);
  return unit === '×' ? `${n}×` : unit ? `${n} ${unit}` : n;
};

export function figure(
  section: SectionId,
  id: string,
  label: string,
  value: number | null,
  unit: string,
  options: { target?: Target; display?: string; note?: string } = {},
): Figure {
  const measurable = value !== null && Number.isFinite(value);
  const pass = options.target && measurable ? (options.target.op === '<=' ? value <= options.target.value : value >= options.target.value) : null;
  return {
    section,
    id: `${section}.${id}`,
    label,
    value: measurable ? Math.round(value * 1000) / 1000 : null,
    unit,
    display: options.display ?? (measurable ? fmt(value, unit) : 'n/a'),
    ...(options.target ? { target: options.target } : {}),
    pass: options.target ? (measurable ? pass : false) : null,
    ...(options.note ? { note: options.note } : {}),
  };
}

export const targetText = (f: Figure): string => (f.target ? `${f.target.op} ${fmt(f.target.value, f.unit)}` : '');
export const resultText = (f: Figure): string => (f.pass === null ? 'info' : f.pass ? 'PASS' : 'FAIL');
