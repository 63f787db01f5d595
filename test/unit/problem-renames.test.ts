import { describe, expect, it } from 'vitest';
import {
  applyProblemRenames,
  pendingBatches,
  renamedIdAfter,
  renameRefs,
  type RenameBatch,
  type RenameClaim,
  type RenameEvent,
} from '../../src/domain/problem-renames.ts';
import { buildRegistry, loadRegistry, readRawRegistry, RegistryError } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import type { GuildClaims } from '../../src/store/repos/claims.ts';

const SET = 'concrete-open-problems';
const chain: RenameBatch = {
  id: 'chain',
  set: SET,
  renames: [
    { from: '2.30', to: '2.31' },
    { from: '2.31', to: '2.32' },
  ],
};

let n = 0;
const claim = (problemId: string, over: Partial<RenameClaim> & Record<string, unknown> = {}): RenameClaim & { intent: string } => ({
  id: `c${++n}`,
  set: SET,
  problemId,
  userId: '100',
  status: 'active',
  lastCheckinAt: 1_000,
  claimedAt: 1_000,
  staleAt: null,
  closedAt: null,
  intent: 'exploring',
  ...over,
});
const ev = (problemId: string, set = SET): RenameEvent => ({ at: 1, set, problemId, userId: '100', action: 'claimed', by: '100', note: null, link: null });

describe('problem renames', () => {
  it('applies a batch as one simultaneous substitution, so chains move each id exactly one step', () => {
    const state = { claims: [claim('2.30'), claim('2.31', { userId: '200' })], history: [ev('2.30'), ev('2.31')] };
    const { state: next, outcome } = applyProblemRenames(state, [chain], 5_000);
    expect(next?.claims.map((c) => c.problemId)).toEqual(['2.31', '2.32']);
    expect(next?.history.map((e) => e.problemId)).toEqual(['2.31', '2.32']);
    expect(outcome).toMatchObject({ renamed: 2, renamedEvents: 2, merged: [] });
  });

  it('keeps fields it does not know about, and leaves other sets and ids alone', () => {
    const other = claim('2.30', { set: 'open-problems-2025' });
    const untouched = claim('2.29');
    const state = { claims: [other, untouched, claim('2.31', { intent: 'writing-up' })], history: [ev('2.30', 'open-problems-2025')], archivedChunks: 3 };
    const { state: next } = applyProblemRenames(state, [chain], 5_000);
    expect(next?.claims[0]).toBe(other);
    expect(next?.claims[1]).toBe(untouched);
    expect(next?.claims[2]).toMatchObject({ problemId: '2.32', intent: 'writing-up' });
    expect(next?.history[0]?.problemId).toBe('2.30');
    expect(next?.archivedChunks).toBe(3);
  });

  it("accepts the store's claims record as it is (checked by tsc)", () => {
    const stored: GuildClaims = { claims: [], history: [] };
    const result: { state: GuildClaims | null } = applyProblemRenames(stored, [chain], 0);
    expect(result.state).toBeNull();
  });

  it('returns null state when nothing names a renamed id', () => {
    const { state, outcome } = applyProblemRenames({ claims: [claim('1.1')], history: [ev('1.1')] }, [chain], 5_000);
    expect(state).toBeNull();
    expect(outcome.renamed).toBe(0);
  });

  it('merges a member left with two current claims on one problem, keeping the latest check-in', () => {
    const merge: RenameBatch = { id: 'merge', set: SET, renames: [{ from: '2.37', to: '2.38' }] };
    const older = claim('2.37', { lastCheckinAt: 2_000 });
    const newer = claim('2.38', { lastCheckinAt: 3_000 });
    const someoneElse = claim('2.37', { userId: '300' });
    const done = claim('2.37', { status: 'done', closedAt: 1_500 });
    const { state, outcome } = applyProblemRenames({ claims: [older, newer, someoneElse, done], history: [] as RenameEvent[] }, [merge], 9_000);
    expect(state?.claims.map((c) => [c.problemId, c.status])).toEqual([
      ['2.38', 'released'],
      ['2.38', 'active'],
      ['2.38', 'active'],
      ['2.38', 'done'],
    ]);
    expect(state?.claims[0]).toMatchObject({ closedAt: 9_000, staleAt: null });
    expect(outcome.merged.map((c) => c.id)).toEqual([older.id]);
    const last = state?.history.at(-1);
    expect(last).toMatchObject({ action: 'released', by: 'system', problemId: '2.38', userId: '100', at: 9_000 });
    expect(last?.note).toContain(newer.id);
    expect(last?.note?.length).toBeLessThanOrEqual(200);
  });

  it('applies several batches in order and skips the ones already applied', () => {
    const later: RenameBatch = { id: 'later', set: SET, renames: [{ from: '2.32', to: '2.40' }] };
    expect(renamedIdAfter([chain, later], SET, '2.31')).toBe('2.40');
    expect(renamedIdAfter([chain, later], SET, '2.30')).toBe('2.31');
    expect(pendingBatches([chain, later], ['chain']).map((b) => b.id)).toEqual(['later']);
    const once = renameRefs([ev('2.30')], pendingBatches([chain], [])).items;
    const again = renameRefs(once, pendingBatches([chain], ['chain'])).items;
    expect(again.map((e) => e.problemId)).toEqual(['2.31']);
  });

  it('ships the Circuits in the Wild renumbering: old 2.27–2.37 move up one and old 2.38 stays', () => {
    const registry = loadRegistry(DATA_DIR);
    const batch = registry.problemRenames.find((b) => b.id === '2026-12-cop-circuits-in-the-wild');
    expect(batch).toBeDefined();
    const move = (id: string) => renamedIdAfter([batch!], SET, id);
    expect(['2.26', '2.27', '2.30', '2.36', '2.37', '2.38'].map(move)).toEqual(['2.26', '2.28', '2.31', '2.37', '2.38', '2.38']);
    for (const r of batch!.renames) {
      const p = registry.problemByKey.get(`${SET}:${r.to}`);
      expect(p?.note, r.to).toContain(`Was ${r.from}`);
    }
    const added = registry.problemByKey.get(`${SET}:2.27`);
    expect(added?.summary).toMatch(/MLP/);
    expect(added?.idConfidence).toBe('paraphrase');
  });

  it('rejects a rename batch that points at a missing problem or renames an id twice', () => {
    const attempt = (mutate: (raw: any) => void) => {
      const raw = structuredClone(readRawRegistry(DATA_DIR)) as any;
      mutate(raw);
      try {
        buildRegistry(raw);
        return '';
      } catch (error) {
        if (error instanceof RegistryError) return error.problems.join('\n');
        throw error;
      }
    };
    expect(attempt((raw) => raw.renames.batches.at(-1).renames.push({ from: '2.1', to: '9.99' }))).toMatch(/unknown problem "9\.99"/);
    expect(attempt((raw) => raw.renames.batches.at(-1).renames.push({ from: '2.27', to: '2.13' }))).toMatch(/renamed twice/);
    expect(attempt((raw) => raw.renames.batches.push(structuredClone(raw.renames.batches[0])))).toMatch(/duplicate id/);
  });
});
