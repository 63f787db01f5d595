/**
 * Pre-seeds a store with realistic records for one guild: progress for N members (plus the guild's progress
 * index), some problem claims with their history, and study groups with a digest schedule.
 *
 * Records are written straight through Keyv in the repositories' own envelope ({ v, data }) and each one is
 * validated with the repositories' zod schemas first, so they read back exactly as if the repositories had
 * written them. Going through ProgressRepo.mark for 10,000 new members would rewrite the growing guild index
 * 10,000 times (quadratic), which is a seeding cost, not what the benchmark measures.
 */
import type Keyv from 'keyv';
import type { Registry } from '../../src/registry/load.ts';
import { ClaimsRepo, GuildClaims, type Claim, type ClaimEvent } from '../../src/store/repos/claims.ts';
import { KeyedMutex } from '../../src/store/keyed-mutex.ts';
import { GuildMembers, DoneCount, MemberProgress, PROGRESS_STATUSES, type ProgressEntry } from '../../src/store/repos/progress.ts';
import { GuildGroups, type StudyGroup } from '../../src/store/repos/study-groups.ts';
import { pick, rng } from './stats.ts';

const DAY = 86_400_000;
const ENVELOPE_VERSION = 1;

/** Member i's user id: 18-digit snowflake-shaped ids that never clash with the harness actors. */
export const memberId = (i: number): string => String(400000000000000000n + BigInt(i));

export interface SeedOptions {
  guildId: string;
  channelId: string;
  members: number;
  /** Progress entries per member, drawn at random between these bounds. */
  entriesPerMember?: [number, number];
  /** Members (from the start of the id range) holding claims, 1–3 claims each. */
  claimants?: number;
  /** Claims in all: after the claimants' open ones, finished claims (done or released, each with its two events)
   *  up to this number, dated over the year before: a server with a long history. */
  claimsTotal?: number;
  now: number;
  seed?: number;
}

export interface SeedResult {
  members: string[];
  progressRecords: number;
  claims: number;
  historyEvents: number;
  /** JSON sizes of the big per-guild records, in bytes. */
  indexBytes: number;
  claimsBytes: number;
  averageMemberBytes: number;
}

function progressFor(registry: Registry, random: () => number, count: number, now: number): MemberProgress {
  const entries: Record<string, ProgressEntry> = {};
  for (let k = 0; k < count; k++) {
    const resource = pick(registry.resources, random);
    const status = pick(PROGRESS_STATUSES, random);
    const started = now - Math.floor(random() * 60 * DAY);
    entries[resource.id] = {
      status,
      note: random() < 0.1 ? 'A one-line takeaway about what this resource explained well.' : null,
      startedAt: status === 'queued' ? null : started,
      completedAt: status === 'done' ? started + Math.floor(random() * 5 * DAY) : null,
      updatedAt: started,
    };
  }
  return { entries };
}

export async function seedGuild(keyv: Keyv, registry: Registry, options: SeedOptions): Promise<SeedResult> {
  const random = rng(options.seed ?? 42);
  const { guildId, now } = options;
  const [minEntries, maxEntries] = options.entriesPerMember ?? [3, 12];
  const members = Array.from({ length: options.members }, (_, i) => memberId(i));
  const doneCounts: Record<string, number> = {};
  let memberBytes = 0;

  const BATCH = 500;
  for (let i = 0; i < members.length; i += BATCH) {
    const batch = members.slice(i, i + BATCH).map((userId) => {
      const data = MemberProgress.parse(progressFor(registry, random, minEntries + Math.floor(random() * (maxEntries - minEntries + 1)), now));
      for (const [resourceId, entry] of Object.entries(data.entries)) if (entry.status === 'done') doneCounts[resourceId] = (doneCounts[resourceId] ?? 0) + 1;
      const value = { v: ENVELOPE_VERSION, data };
      memberBytes += JSON.stringify(value).length;
      return { key: `progress:${guildId}:${userId}`, value };
    });
    await keyv.setMany(batch);
  }
  await keyv.set(`progress-members:${guildId}`, { v: ENVELOPE_VERSION, data: GuildMembers.parse({ members }) });
  await keyv.setMany(Object.entries(doneCounts).map(([resourceId, count]) => ({ key: `progress-done-count:${guildId}:${resourceId}`, value: { v: ENVELOPE_VERSION, data: DoneCount.parse({ count }) } })));

  // Claims: the first `claimants` members hold 1–3 claims each; each claim has a "claimed" event and maybe check-ins.
  const claims: Claim[] = [];
  const history: ClaimEvent[] = [];
  const claimable = registry.problems;
  for (let i = 0; i < (options.claimants ?? 0); i++) {
    const userId = members[i]!;
    const count = 1 + Math.floor(random() * 3);
    const taken = new Set<string>();
    for (let c = 0; c < count; c++) {
      const problem = pick(claimable, random);
      const key = `${problem.set}:${problem.id}`;
      if (taken.has(key)) continue;
      taken.add(key);
      const claimedAt = now - Math.floor(random() * 40 * DAY);
      const stale = random() < 0.15;
      const claim: Claim = {
        id: `c${claims.length + 1}`,
        set: problem.set,
        problemId: problem.id,
        userId,
        intent: pick(['exploring', 'working', 'writing-up'] as const, random),
        note: random() < 0.3 ? 'Trying the toy-model version first.' : null,
        link: null,
        status: stale ? 'stale' : 'active',
        pinned: false,
        claimedAt,
        lastCheckinAt: claimedAt,
        staleAt: stale ? now - DAY : null,
        closedAt: null,
        outcomeLink: null,
      };
      claims.push(claim);
      history.push({ at: claimedAt, set: claim.set, problemId: claim.problemId, userId, action: 'claimed', by: userId, note: claim.note, link: null });
      if (random() < 0.5) history.push({ at: claimedAt + DAY, set: claim.set, problemId: claim.problemId, userId, action: 'checked-in', by: userId, note: null, link: null });
    }
  }
  const closedCount = Math.max(0, (options.claimsTotal ?? 0) - claims.length);
  for (let k = 0; k < closedCount; k++) {
    const userId = members[k % members.length]!;
    const problem = pick(claimable, random);
    const claimedAt = now - 400 * DAY + Math.floor((k / closedCount) * 350 * DAY);
    const closedAt = claimedAt + Math.floor(random() * 30 * DAY) + 1;
    const done = random() < 0.4;
    claims.push({
      id: `c${claims.length + 1}`,
      set: problem.set,
      problemId: problem.id,
      userId,
      intent: pick(['exploring', 'working', 'writing-up'] as const, random),
      note: null,
      link: null,
      status: done ? 'done' : 'released',
      pinned: false,
      claimedAt,
      lastCheckinAt: claimedAt,
      staleAt: null,
      closedAt,
      outcomeLink: done ? `https://www.lesswrong.com/posts/write-up-${k}` : null,
    });
    history.push({ at: claimedAt, set: problem.set, problemId: problem.id, userId, action: 'claimed', by: userId, note: null, link: null });
    history.push({ at: closedAt, set: problem.set, problemId: problem.id, userId, action: done ? 'done' : 'released', by: userId, note: null, link: done ? `https://www.lesswrong.com/posts/write-up-${k}` : null });
  }
  history.sort((a, b) => a.at - b.at);
  const guildClaims = GuildClaims.parse({ claims, history });
  // Written in the one-record layout of earlier releases, then converted exactly as the start-up migration does.
  await keyv.set(`claims:${guildId}`, { v: ENVELOPE_VERSION, data: guildClaims });
  await new ClaimsRepo(keyv, new KeyedMutex()).migrateGuild(guildId);

  // Study groups: the default "Everyone" group with a schedule and a posted run, plus two cohorts.
  const group = (id: string, name: string, everyone: boolean, size: number): StudyGroup => ({
    id,
    name,
    channelId: options.channelId,
    roleId: null,
    everyone,
    members: everyone ? [] : members.slice(0, size),
    createdAt: now - 30 * DAY,
    createdBy: members[0]!,
    schedule: { weekday: 1, hour: 9, timezone: 'Europe/London', since: now },
    runs: [
      {
        period: '2026-02-23',
        fireAt: now - 7 * DAY,
        state: 'posted',
        claimedAt: now - 7 * DAY,
        attempts: 1,
        nextAttemptAt: null,
        partsPosted: 1,
        messageIds: ['1200000000000000001'],
        late: false,
        lastError: null,
        postedAt: now - 7 * DAY,
      },
    ],
  });
  const groups = GuildGroups.parse({ groups: [group('everyone', 'Everyone', true, 0), group('autumn-cohort', 'Autumn cohort', false, 40), group('arena-sprint', 'ARENA sprint', false, 12)] });
  await keyv.set(`studygroups:${guildId}`, { v: ENVELOPE_VERSION, data: groups });

  return {
    members,
    progressRecords: members.length,
    claims: claims.length,
    historyEvents: history.length,
    indexBytes: JSON.stringify({ v: 1, data: { members } }).length,
    claimsBytes: JSON.stringify({ v: 1, data: guildClaims }).length,
    averageMemberBytes: Math.round(memberBytes / Math.max(1, members.length)),
  };
}
