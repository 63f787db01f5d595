/** A guild's claims in the previous one-record layout (claims:<guild> + claims-archive:<guild>:<n>), and what it reads as after conversion. */
import type { Claim, ClaimEvent } from '../../src/domain/claims.ts';

const T0 = Date.UTC(2026, 2, 2, 12);
const SET = 'concrete-open-problems';
const user = (i: number) => String(300000000000000100n + BigInt(i));

function build() {
  const claims: Claim[] = [];
  const events: ClaimEvent[] = [];
  // 120 claims by 12 members over 40 problems: every fourth done, every fourth released, the rest open.
  for (let i = 0; i < 120; i++) {
    const at = T0 + i * 60_000;
    const status = (['done', 'released', 'active', 'stale'] as const)[i % 4]!;
    const closed = status === 'done' || status === 'released';
    const c: Claim = {
      id: `c${i + 1}`, set: SET, problemId: `1.${10 + (i % 40)}`, userId: user(i % 12), intent: 'working', note: i % 3 === 0 ? `note ${i}` : null,
      link: null, status, pinned: false, claimedAt: at, lastCheckinAt: at, staleAt: status === 'stale' ? at + 1000 : null,
      closedAt: closed ? at + 2000 : null, outcomeLink: status === 'done' ? `https://example.org/${i}` : null,
    };
    claims.push(c);
    events.push({ at, set: SET, problemId: c.problemId, userId: c.userId, action: 'claimed', by: c.userId, note: c.note, link: null });
    if (status === 'stale') events.push({ at: at + 1000, set: SET, problemId: c.problemId, userId: c.userId, action: 'stale', by: 'system', note: null, link: null });
    if (closed) events.push({ at: at + 2000, set: SET, problemId: c.problemId, userId: c.userId, action: status === 'done' ? 'done' : 'unclaimed', by: c.userId, note: null, link: c.outcomeLink });
  }
  events.sort((a, b) => a.at - b.at);
  return { claims, events };
}

/** [key, raw envelope] pairs as the previous release stored them: two archive chunks and a hot history. */
export function legacyFixture(guildId: string): [string, unknown][] {
  const { claims, events } = build();
  return [
    [`claims-archive:${guildId}:0`, { v: 1, data: { events: events.slice(0, 100), renames: [] } }],
    [`claims-archive:${guildId}:1`, { v: 1, data: { events: events.slice(100, 200), renames: [] } }],
    [`claims:${guildId}`, { v: 1, data: { claims, history: events.slice(200), archivedChunks: 2, renames: [] } }],
  ];
}

/** The whole guild read back after conversion (no renumbering configured). */
export function expectedFixture() {
  const { claims, events } = build();
  return { claims, history: events, renames: [] };
}
