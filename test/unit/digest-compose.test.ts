import { describe, expect, it } from 'vitest';
import { composeDigest, type DigestClaim, type DigestClaimEvent } from '../../src/domain/digest-compose.ts';
import { renderDigest, digestPartOf, MEMBERS_LISTED } from '../../src/render/digest.ts';
import { CHART_HEIGHT, CHART_STYLE, CHART_WIDTH, contrastRatio, digestChartInput, renderChart, renderDigestChart } from '../../src/render/digest-chart.ts';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { applyStatus, type MemberProgress } from '../../src/store/repos/progress.ts';
import { validatePayload } from '../harness/discord-spec.ts';

const registry = loadRegistry(DATA_DIR);
const DAY = 86_400_000;
const start = Date.UTC(2026, 2, 2, 9);
const end = start + 7 * DAY;
const user = (i: number) => String(300000000000000000n + BigInt(i));

function progressWith(entries: [string, number, 'done' | 'reading'][]): MemberProgress {
  const out: MemberProgress = { entries: {} };
  for (const [id, time, status] of entries) out.entries[id] = applyStatus(applyStatus(undefined, 'reading', null, time - DAY), status, null, time);
  return out;
}

describe('digest composition', () => {
  const ids = registry.resources.map((r) => r.id);
  const problem = registry.problems.find((p) => p.id === '1.6')!;

  it('reports what happened in the window, compares with the week before and lists stale claims', () => {
    const progress = new Map([
      [user(1), progressWith([[ids[0]!, start + DAY, 'done'], [ids[1]!, start - 3 * DAY, 'done'], [ids[2]!, start + 2 * DAY, 'reading']])],
      [user(2), progressWith([[ids[3]!, end + DAY, 'done']])],
    ]);
    const claims: DigestClaim[] = [
      { set: problem.set, problemId: problem.id, userId: user(1), intent: 'working', status: 'active', lastCheckinAt: start + DAY },
      { set: 'concrete-open-problems', problemId: '3.1', userId: user(2), intent: 'exploring', status: 'stale', lastCheckinAt: start - 25 * DAY },
    ];
    const history: DigestClaimEvent[] = [
      { at: start + DAY, set: problem.set, problemId: problem.id, userId: user(1), action: 'claimed', by: user(1), link: null },
      { at: start + 2 * DAY, set: problem.set, problemId: problem.id, userId: user(1), action: 'checked-in', by: user(1), link: null },
      { at: start + 3 * DAY, set: 'concrete-open-problems', problemId: '3.2', userId: user(1), action: 'done', by: user(1), link: 'https://example.org/write-up' },
      { at: start - 2 * DAY, set: problem.set, problemId: '3.3', userId: user(2), action: 'claimed', by: user(1), link: null },
      { at: start + DAY, set: problem.set, problemId: '3.4', userId: user(99), action: 'claimed', by: user(99), link: null },
      { at: start + 4 * DAY, set: 'concrete-open-problems', problemId: '3.5', userId: user(2), action: 'released', by: 'system', link: null },
      { at: start + 4 * DAY, set: 'concrete-open-problems', problemId: '3.6', userId: user(2), action: 'released', by: user(2), link: null },
    ];
    const d = composeDigest({ registry, groupName: 'G', memberIds: [user(1), user(2)], progress, claims, history, windowStart: start, windowEnd: end, late: false });
    expect(d.totals).toEqual({ completed: 1, started: 1, claimed: 1, claimedProblems: 1, checkins: 1, done: 1 });
    expect(d.previous).toEqual({ completed: 1, started: 1, claimed: 1, claimedProblems: 1, checkins: 0, done: 0 });
    expect(d.members).toHaveLength(1);
    expect(d.members[0]).toMatchObject({ userId: user(1), checkins: 1, claimed: [{ problem, intent: 'working' }] });
    expect(d.members[0]!.done[0]!.link).toBe('https://example.org/write-up');
    expect(d.stale.map((s) => s.problem.id)).toEqual(['3.1']);
    expect(d.released.map((r) => [r.problem.id, r.userId])).toEqual([['3.5', user(2)]]);
    expect(d.completionsPerDay).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(d.suggestion?.difficulty).toMatch(/^[AB]$/);
  });

  it('splits a large digest into messages that all stay within Discord limits and never ping', () => {
    const progress = new Map<string, MemberProgress>();
    const members = Array.from({ length: 300 }, (_, i) => user(i));
    for (const [i, id] of members.entries()) {
      progress.set(id, progressWith(ids.slice(i % 50, (i % 50) + 12).map((rid, j) => [rid, start + (j % 7) * DAY + 1000, 'done'] as [string, number, 'done'])));
    }
    const d = composeDigest({ registry, groupName: 'Big cohort', memberIds: members, progress, claims: [], history: [], windowStart: start, windowEnd: end, late: true });
    const parts = renderDigest(d, '2026-03-09');
    expect(parts.length).toBeGreaterThan(2);
    parts.forEach((part, i) => {
      const violations = validatePayload('channel-message', { embeds: part.embeds, allowed_mentions: { parse: [] } });
      expect(violations, `part ${i + 1}`).toEqual([]);
      expect(digestPartOf(part.embeds.at(-1)!.footer!.text, 'Big cohort', '2026-03-09')).toBe(i + 1);
    });
    const all = JSON.stringify(parts);
    // The 50 most active are named; the rest are counted, so the post stays readable at any cohort size.
    for (const m of d.members.slice(0, MEMBERS_LISTED)) expect(all).toContain(`<@${m.userId}>`);
    expect(all).not.toContain(`<@${d.members[MEMBERS_LISTED]!.userId}>`);
    expect(all).toContain(`…and ${members.length - MEMBERS_LISTED} more members were active this week.`);
    expect(parts[0]!.embeds[0]!.description).toMatch(/Posted late/);
    expect(parts.filter((p) => p.withChart)).toHaveLength(1);
  });

  it('draws the chart as a PNG', async () => {
    const d = composeDigest({ registry, groupName: 'G', memberIds: [], progress: new Map(), claims: [], history: [], windowStart: start, windowEnd: end, late: false });
    d.completionsPerDay = [1, 3, 0, 2, 5, 0, 1];
    const png = await renderDigestChart(d, 'Europe/London');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(2_000);
  });

  /** Decodes a PNG into RGBA pixels. */
  async function pixels(png: Buffer): Promise<Uint8ClampedArray> {
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  }
  const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

  it('draws an opaque chart for the dark theme, with text that meets WCAG AA on its background', async () => {
    const d = composeDigest({ registry, groupName: 'G', memberIds: [], progress: new Map(), claims: [], history: [], windowStart: start, windowEnd: end, late: false });
    d.completionsPerDay = [1, 3, 0, 2, 5, 0, 1];
    d.previousCompletionsPerDay = [2, 1, 1, 0, 3, 1, 0];
    const png = await renderDigestChart(d, 'Europe/London');
    const data = await pixels(png);
    expect(data.length).toBe(CHART_WIDTH * CHART_HEIGHT * 4);
    let transparent = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) transparent++;
    expect(transparent).toBe(0);
    // The corner is the chart's own dark background, not white and not see-through.
    expect([...data.subarray(0, 3)]).toEqual(rgb(CHART_STYLE.background));
    expect(contrastRatio(CHART_STYLE.text, CHART_STYLE.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(CHART_STYLE.mutedText, CHART_STYLE.background)).toBeGreaterThanOrEqual(4.5);
    // And that text colour is really drawn (title, legend, value labels).
    const [r, g, b] = rgb(CHART_STYLE.text);
    let textPixels = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 30) textPixels++;
    expect(textPixels).toBeGreaterThan(500);
  });

  it('compares with the week before, except on a group\'s first digest', () => {
    const base = { registry, groupName: 'G', memberIds: [], progress: new Map(), claims: [], history: [], windowStart: start, windowEnd: end, late: false };
    const compared = digestChartInput(composeDigest(base), 'UTC');
    expect(compared.lastWeek?.label).toBe('Week before');
    expect(compared.title).toBe('G: 0 finished this week, 0 the week before');
    const first = digestChartInput(composeDigest({ ...base, compareWithPrevious: false }), 'UTC');
    expect(first.lastWeek).toBeNull();
    expect(first.title).toBe('G: 0 finished this week');
    expect(first.dayLabels).toHaveLength(7);
  });

  it('draws extra line series (for example expected progress) from the same typed input', async () => {
    const png = await renderChart({ title: 'T', dayLabels: ['a', 'b'], thisWeek: { label: 'This week', values: [1, 2] }, lastWeek: null, extra: [{ label: 'Expected', values: [1, 1] }] });
    expect((await pixels(png)).length).toBe(CHART_WIDTH * CHART_HEIGHT * 4);
  });
});
