/** The digest's chart: completions per day of the week, drawn with Chart.js on a Skia canvas, as PNG. */
import type { Digest } from '../domain/digest-compose.ts';
import { planChartSeries } from './digest-plan.ts';

/**
 * Loaded on first use: the canvas and Chart.js cost about 15 MB and 30 ms at startup, and most processes draw a
 * chart once a week at most.
 */
let libraries: Promise<{ createCanvas: typeof import('@napi-rs/canvas').createCanvas; Chart: typeof import('chart.js').Chart }> | undefined;
function loadLibraries() {
  libraries ??= Promise.all([import('@napi-rs/canvas'), import('chart.js')]).then(([canvas, chart]) => {
    chart.Chart.register(chart.BarController, chart.BarElement, chart.CategoryScale, chart.LinearScale, chart.Title);
    // The study plan's expected pace (render/digest-plan.ts) is drawn as a line over the bars.
    chart.Chart.register(chart.LineController, chart.LineElement, chart.PointElement);
    return { createCanvas: canvas.createCanvas, Chart: chart.Chart };
  });
  return libraries;
}

function planDatasets(digest: Digest) {
  const series = planChartSeries(digest.plan, digest.completionsPerDay.length);
  return series ? [{ type: 'line' as const, label: series.label, data: series.data, borderColor: '#eb459e', backgroundColor: '#eb459e', pointRadius: 0, borderDash: [6, 4] }] : [];
}

export async function renderDigestChart(digest: Digest, timezone: string): Promise<Buffer> {
  const { createCanvas, Chart } = await loadLibraries();
  const canvas = createCanvas(800, 360);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 800, 360);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short' });
  const labels = digest.completionsPerDay.map((_, i) => day.format(digest.windowStart + i * 86_400_000));
  const chart = new Chart(context as unknown as ConstructorParameters<typeof Chart>[0], {
    type: 'bar',
    data: { labels, datasets: [{ label: 'Completions', data: digest.completionsPerDay, backgroundColor: '#5865f2' }, ...planDatasets(digest)] as never },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: { title: { display: true, text: `${digest.groupName}: resources finished per day${digest.plan?.phase === 'running' ? ' (dashed: the plan’s expected pace)' : ''}`, font: { size: 16 } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  try {
    return Buffer.from(await canvas.encode('png'));
  } finally {
    chart.destroy();
  }
}
