/** Issue 13, finding 9: the digest counts claims honestly, links every item the same way, and reads as one post. */
import { describe, expect, it } from 'vitest';
import { composeDigest, type DigestClaim, type DigestClaimEvent } from '../../src/domain/digest-compose.ts';
import { renderDigest } from '../../src/render/digest.ts';
import { GROUP_COLOUR } from '../../src/render/style.ts';
import { setCommandIds } from '../../src/render/command-mentions.ts';
import { loadRegistry } from '../../src/registry/load.ts';
import { DATA_DIR } from '../../src/paths.ts';
import { applyStatus, type MemberProgress } from '../../src/store/repos/progress.ts';

const registry = loadRegistry(DATA_DIR);
const DAY = 86_400_000;
const start = Date.UTC(2026, 2, 2, 9);
const end = start + 7 * DAY;
const user = (i: number) => String(300000000000000000n + BigInt(i));
const [p1, p2] = registry.problems.filter((p) => p.set === 'concrete-open-problems');

function digestOf(compareWithPrevious: boolean) {
  const r0 = registry.resources[0]!;
  const r1 = registry.resources[1]!;
  const progress = new Map<string, MemberProgress>([
    [user(1), { entries: { [r0.id]: applyStatus(applyStatus(undefined, 'reading', null, start + DAY), 'done', null, start + 2 * DAY), [r1.id]: applyStatus(undefined, 'reading', null, start + DAY) } }],
    [user(2), { entries: { [r1.id]: applyStatus(undefined, 'reading', null, start - 3 * DAY) } }],
  ]);
  const claims: DigestClaim[] = [
    { set: p1!.set, problemId: p1!.id, userId: user(1), intent: 'working', status: 'active', lastCheckinAt: start + DAY },
    { set: p1!.set, problemId: p1!.id, userId: user(2), intent: 'exploring', status: 'stale', lastCheckinAt: start - 25 * DAY },
    { set: p2!.set, problemId: p2!.id, userId: user(2), intent: 'exploring', status: 'active', lastCheckinAt: start + DAY },
  ];
  const history: DigestClaimEvent[] = [
    { at: start + DAY, set: p1!.set, problemId: p1!.id, userId: user(1), action: 'claimed', by: user(1), link: null },
    { at: start + DAY, set: p1!.set, problemId: p1!.id, userId: user(2), action: 'claimed', by: user(2), link: null },
    { at: start + 2 * DAY, set: p2!.set, problemId: p2!.id, userId: user(2), action: 'claimed', by: user(2), link: null },
    { at: start + 3 * DAY, set: p2!.set, problemId: p2!.id, userId: user(2), action: 'done', by: user(2), link: 'https://example.org/write-up' },
  ];
  const digest = composeDigest({ registry, groupName: 'G', memberIds: [user(1), user(2)], progress, claims, history, windowStart: start, windowEnd: end, late: false, compareWithPrevious });
  return { digest, text: JSON.stringify(renderDigest(digest, '2026-03-09')), parts: renderDigest(digest, '2026-03-09') };
}

describe('digest rendering (issue 13, finding 9)', () => {
  it('counts claims and the problems they are on separately: "3 claims on 2 problems"', () => {
    const { digest, parts } = digestOf(true);
    expect(digest.totals).toMatchObject({ claimed: 3, claimedProblems: 2 });
    expect(parts[0]!.embeds[0]!.description).toContain('🧩 **3 claims** on 2 problems');
  });

  it('shows no ▲/▼ and no "compared with the week before" on a group’s first digest', () => {
    const first = digestOf(false).parts[0]!.embeds[0]!.description!;
    expect(first).not.toMatch(/[▲▼]|compared with the week before/i);
    expect(digestOf(true).parts[0]!.embeds[0]!.description).toMatch(/▲/);
  });

  it('links each item the same way everywhere, problem ids always with their title', () => {
    const { text } = digestOf(true);
    for (const problem of [p1!, p2!]) {
      // Every mention of the id is the linked "**id** title" form pointing at the problem's source.
      const mentions = text.split(`**${problem.id}**`).length - 1;
      expect(mentions).toBeGreaterThan(0);
      const linked = text.split(`[**${problem.id}** `).length - 1;
      expect(linked).toBe(mentions);
      expect(text.split(`](${problem.url})`).length - 1).toBeGreaterThanOrEqual(mentions);
    }
    // Finished (✅) and started (📖) resources are both linked: every appearance of the title is a link to its page.
    for (const r of registry.resources.slice(0, 2)) {
      const head = r.title.slice(0, 30);
      const appearances = text.split(head).length - 1;
      expect(appearances).toBeGreaterThan(0);
      expect(text.split(`[${head}`).length - 1).toBe(appearances);
      expect(text.split(`](${r.url})`).length - 1).toBe(appearances);
    }
    expect(text).toContain('([write-up](https://example.org/write-up))');
  });

  it('gives every embed a title and one colour', () => {
    for (const { embeds } of digestOf(true).parts) {
      for (const e of embeds) {
        expect(e.title).toBeTruthy();
        expect(e.color).toBe(GROUP_COLOUR);
      }
    }
  });

  it('suggests commands as clickable mentions once the ids are known', () => {
    setCommandIds([{ name: 'problem', id: '123' }, { name: 'resources', id: '124' }]);
    try {
      const { text } = digestOf(true);
      expect(text).toContain('</problem claim:123>');
      expect(text).toContain('</problem checkin:123>');
      expect(text).not.toContain('`/');
    } finally {
      setCommandIds([]);
    }
  });
});
