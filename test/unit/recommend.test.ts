import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { memberProfile, recommend } from '../../src/domain/recommend.ts';
import { firstSentence } from '../../src/render/text.ts';
import { applyStatus, type MemberProgress, type ProgressStatus } from '../../src/store/repos/progress.ts';

const registry = loadRegistry(DATA_DIR);
const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
/** Entries completed `daysAgo` days before NOW (default: today). */
const progress = (entries: Record<string, ProgressStatus | [ProgressStatus, number]>): MemberProgress => ({
  entries: Object.fromEntries(
    Object.entries(entries).map(([id, s]) => {
      const [status, daysAgo] = Array.isArray(s) ? s : [s, 0];
      return [id, applyStatus(undefined, status, null, NOW - daysAgo * DAY)];
    }),
  ),
});
const ids = (p: MemberProgress, extra: Partial<Parameters<typeof recommend>[2]> = {}) => recommend(registry, p, { now: NOW, ...extra }).map((s) => s.resource.id);

describe('personal /progress next ranking', () => {
  it('never needs to cut a description mid-sentence: every first sentence fits the card', () => {
    for (const r of registry.resources) expect(firstSentence(r.summary, 320), r.id).not.toMatch(/…$/);
  });

  it('gives a newcomer short intro reads with no prerequisites', () => {
    const picks = recommend(registry, { entries: {} }, { now: NOW });
    expect(picks).toHaveLength(3);
    for (const { resource } of picks) {
      expect(resource.prerequisites).toEqual([]);
      expect(resource.level).toBe('intro');
      expect(resource.estMinutes ?? Infinity).toBeLessThanOrEqual(45);
    }
    expect(memberProfile(registry, { entries: {} }, NOW).level).toBe('intro');
  });

  it('gives a member who finished the 10-hour ARENA 1.1 tutorial something different: what it unlocked, at their level', () => {
    const arena = progress({ 'arena-1-1-transformer-from-scratch': 'done' });
    expect(memberProfile(registry, arena, NOW)).toMatchObject({ level: 'intermediate', finishedMinutes: 600, finishedCount: 1 });
    const newcomer = ids({ entries: {} });
    const theirs = recommend(registry, arena, { now: NOW });
    expect(theirs.map((s) => s.resource.id)).not.toEqual(newcomer);
    expect(theirs.some((s) => newcomer.includes(s.resource.id))).toBe(false);
    // Every pick is something 1.1 unlocked or continues the ARENA track, and says so.
    for (const s of theirs) expect(s.reasons.some((r) => r.kind === 'unlocked' || r.kind === 'track')).toBe(true);
    expect(theirs[0]!.resource.id).toBe('arena-1-2-intro-mech-interp');
    expect(theirs[0]!.reasons).toContainEqual({ kind: 'track', track: registry.resourceById.get('arena-ch1'), next: true });
    expect(theirs.map((s) => s.resource.id)).toContain('mathematical-framework');
  });

  it('mixes tracks: after ARENA 1.1 and 1.2, not three sections of the same chapter', () => {
    const picks = recommend(registry, progress({ 'arena-1-1-transformer-from-scratch': 'done', 'arena-1-2-intro-mech-interp': 'done' }), { now: NOW });
    expect(picks).toHaveLength(3);
    expect(picks.filter((s) => s.resource.parent === 'arena-ch1').length).toBeLessThanOrEqual(2);
    expect(picks[0]!.resource.parent).toBe('arena-ch1');
  });

  it('never suggests done, skipped, queued or in-progress resources, nor locked ones', () => {
    const p = progress({
      'arena-1-1-transformer-from-scratch': 'done',
      'arena-1-2-intro-mech-interp': 'queued',
      'mathematical-framework': 'reading',
      'logit-lens': 'skipped',
    });
    const all = recommend(registry, p, { now: NOW, count: 500 });
    const got = new Set(all.map((s) => s.resource.id));
    for (const id of Object.keys(p.entries)) expect(got.has(id)).toBe(false);
    for (const { resource } of all) for (const pre of resource.prerequisites) expect(['done', 'skipped']).toContain(p.entries[pre]?.status);
    // 1.2 is only queued, so IOI (which needs it) stays locked.
    expect(got.has('arena-1-4-1-ioi')).toBe(false);
  });

  it('follows topics: a member deep in sparse autoencoders gets SAE papers ahead of unrelated ones', () => {
    const p = progress({ 'toy-models-of-superposition': ['done', 60], 'towards-monosemanticity': ['done', 40], 'sparse-autoencoders-cunningham': ['done', 30], 'scaling-monosemanticity': ['done', 20] });
    const picks = recommend(registry, p, { now: NOW });
    for (const { resource } of picks) expect(resource.topics.some((t) => ['saes', 'superposition', 'features'].includes(t))).toBe(true);
  });

  it('marks prerequisites just unlocked, and not ones finished long ago', () => {
    const p = progress({ 'zoom-in': ['done', 1] });
    const curve = recommend(registry, p, { now: NOW, count: 500 }).find((s) => s.resource.id === 'curve-circuits')!;
    expect(curve.reasons).toContainEqual({ kind: 'unlocked', by: registry.resourceById.get('zoom-in') });
    // Four later completions push zoom-in out of "recent" once it is also older than two weeks.
    const old = progress({ 'zoom-in': ['done', 90], 'prereqs-guide': ['done', 3], 'mech-interp-quickstart': ['done', 3], 'illustrated-transformer': ['done', 2] });
    const later = recommend(registry, old, { now: NOW, count: 500 }).find((s) => s.resource.id === 'curve-circuits')!;
    expect(later.reasons.some((r) => r.kind === 'unlocked')).toBe(false);
  });

  it('puts the group plan’s open items first (plan-first), without duplicates, and drops ones already done', () => {
    const p = progress({ 'arena-1-1-transformer-from-scratch': 'done' });
    const plan = [registry.resourceById.get('arena-1-1-transformer-from-scratch')!, registry.resourceById.get('induction-heads')!];
    const picks = recommend(registry, p, { now: NOW, planItems: plan });
    expect(picks[0]!.resource.id).toBe('induction-heads');
    expect(picks[0]!.reasons).toEqual([{ kind: 'plan' }]);
    expect(picks.map((s) => s.resource.id)).not.toContain('arena-1-1-transformer-from-scratch');
    expect(new Set(picks.map((s) => s.resource.id)).size).toBe(picks.length);
    expect(picks).toHaveLength(3);
  });
});
