/**
 * The digest's chart, drawn for Discord's dark theme: resources finished per day this week, next to the same day
 * last week, with the value on every bar. Chart.js on a Skia canvas, as an opaque PNG.
 *
 * The input is a plain typed object (DigestChartInput) so new series can be added without touching the drawing:
 * `extra` takes any number of optional line series (for example a plan's expected progress).
 */
import { planChartSeries } from './digest-plan.ts';
import type { Digest } from '../domain/digest-compose.ts';

/** Colours, chosen for contrast on the chart's own opaque background (WCAG AA: text ≥ 4.5:1). */
export const CHART_STYLE = {
  background: '#1e1f22',
  text: '#f2f3f5',
  mutedText: '#b5bac1',
  grid: '#3a3c42',
  thisWeek: '#5865f2',
  lastWeek: '#80848e',
  extra: ['#fee75c', '#57f287', '#eb459e'],
} as const;

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
/**
 * Discord shows an embed image at most 400 px wide, half the canvas, so every size below is drawn at twice what
 * should be read: 11-15 px text on screen.
 */
const SCALE = 2;

export interface ChartSeries {
  label: string;
  values: readonly number[];
  /** CSS colour; defaults to the next of CHART_STYLE.extra. */
  colour?: string;
}

export interface DigestChartInput {
  title: string;
  /** One label per bar, e.g. "Mon 2 Mar". */
  dayLabels: readonly string[];
  thisWeek: ChartSeries;
  /** The week before, day by day; null when there is nothing to compare with (a group's first digest). */
  lastWeek: ChartSeries | null;
  /** Optional further series, drawn as lines over the bars. */
  extra?: readonly ChartSeries[];
}

/**
 * Loaded on first use: the canvas and Chart.js cost about 15 MB and 30 ms at startup, and most processes draw a
 * chart once a week at most.
 */
let libraries: Promise<{ createCanvas: typeof import('@napi-rs/canvas').createCanvas; Chart: typeof import('chart.js').Chart }> | undefined;
function loadLibraries() {
  libraries ??= Promise.all([import('@napi-rs/canvas'), import('chart.js')]).then(([canvas, chart]) => {
    chart.Chart.register(
      chart.BarController,
      chart.BarElement,
      chart.LineController,
      chart.LineElement,
      chart.PointElement,
      chart.CategoryScale,
      chart.LinearScale,
      chart.Title,
      chart.Legend,
    );
    return { createCanvas: canvas.createCanvas, Chart: chart.Chart };
  });
  return libraries;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The chart input for a digest: this week's completions per day, and last week's when there is a comparison. */
export function digestChartInput(digest: Digest, timezone: string): DigestChartInput {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric' });
  const plan = planChartSeries(digest.plan, digest.completionsPerDay.length);
  const dayLabels = digest.completionsPerDay.map((_, i) => day.format(digest.windowStart + i * 86_400_000));
  const now = sum(digest.completionsPerDay);
  const before = sum(digest.previousCompletionsPerDay ?? []);
  const title = digest.compared
    ? `${digest.groupName}: ${now} finished this week, ${before} the week before`
    : `${digest.groupName}: ${now} finished this week`;
  return {
    title,
    dayLabels,
    thisWeek: { label: 'This week', values: digest.completionsPerDay },
    lastWeek: digest.compared ? { label: 'Week before', values: digest.previousCompletionsPerDay ?? [] } : null,
    // The study plan's expected pace (render/digest-plan.ts), drawn as a line over the bars.
    ...(plan ? { extra: [{ label: plan.label, values: plan.data }] } : {}),
  };
}

/** Draws a chart input as an opaque PNG. */
export async function renderChart(input: DigestChartInput): Promise<Buffer> {
  const { createCanvas, Chart } = await loadLibraries();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const context = canvas.getContext('2d');
  const font = { family: 'sans-serif' };
  const bars = [input.thisWeek, ...(input.lastWeek ? [input.lastWeek] : [])];
  const extra = input.extra ?? [];
  const max = Math.max(1, ...bars.flatMap((s) => s.values), ...extra.flatMap((s) => s.values));

  const datasets: any[] = [
    ...(input.lastWeek ? [{ type: 'bar', label: input.lastWeek.label, data: [...input.lastWeek.values], backgroundColor: CHART_STYLE.lastWeek, borderRadius: 3 * SCALE, order: 2 }] : []),
    { type: 'bar', label: input.thisWeek.label, data: [...input.thisWeek.values], backgroundColor: input.thisWeek.colour ?? CHART_STYLE.thisWeek, borderRadius: 3 * SCALE, order: 1 },
    ...extra.map((s, i) => ({
      type: 'line',
      label: s.label,
      data: [...s.values],
      borderColor: s.colour ?? CHART_STYLE.extra[i % CHART_STYLE.extra.length],
      backgroundColor: s.colour ?? CHART_STYLE.extra[i % CHART_STYLE.extra.length],
      borderWidth: 2 * SCALE,
      pointRadius: 2 * SCALE,
      order: 0,
    })),
  ];

  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: { labels: [...input.dayLabels], datasets },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { top: 4 * SCALE, right: 8 * SCALE, bottom: 4 * SCALE, left: 4 * SCALE } },
      color: CHART_STYLE.text,
      plugins: {
        title: { display: true, text: input.title, color: CHART_STYLE.text, font: { ...font, size: 15 * SCALE, weight: 'bold' }, padding: { bottom: 4 * SCALE } },
        legend: { display: datasets.length > 1, labels: { color: CHART_STYLE.text, font: { ...font, size: 12 * SCALE }, boxWidth: 12 * SCALE } },
      },
      scales: {
        x: { ticks: { color: CHART_STYLE.mutedText, font: { ...font, size: 12 * SCALE } }, grid: { display: false }, border: { color: CHART_STYLE.grid } },
        // Headroom above the tallest bar for its value label.
        y: {
          beginAtZero: true,
          suggestedMax: Math.ceil(max * 1.2),
          ticks: { precision: 0, color: CHART_STYLE.mutedText, font: { ...font, size: 11 * SCALE } },
          grid: { color: CHART_STYLE.grid },
          border: { display: false },
        },
      },
    },
    plugins: [
      {
        // Chart.js clears the canvas to transparent before drawing; paint the background first, every time.
        id: 'opaqueBackground',
        beforeDraw(c: any) {
          const ctx = c.ctx;
          ctx.save();
          ctx.globalCompositeOperation = 'destination-over';
          ctx.fillStyle = CHART_STYLE.background;
          ctx.fillRect(0, 0, c.width, c.height);
          ctx.restore();
        },
      },
      {
        // The value on top of every non-empty bar.
        id: 'valueLabels',
        afterDatasetsDraw(c: any) {
          const ctx = c.ctx;
          ctx.save();
          ctx.font = `bold ${12 * SCALE}px ${font.family}`;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          c.data.datasets.forEach((dataset: any, i: number) => {
            if (dataset.type !== 'bar') return;
            const meta = c.getDatasetMeta(i);
            meta.data.forEach((bar: any, j: number) => {
              const value = dataset.data[j];
              if (!value) return;
              ctx.fillStyle = CHART_STYLE.text;
              ctx.fillText(String(value), bar.x, bar.y - 2 * SCALE);
            });
          });
          ctx.restore();
        },
      },
    ],
  } as any);
  try {
    return Buffer.from(await canvas.encode('png'));
  } finally {
    chart.destroy();
  }
}

export async function renderDigestChart(digest: Digest, timezone: string): Promise<Buffer> {
  return renderChart(digestChartInput(digest, timezone));
}

/** WCAG relative luminance contrast between two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
