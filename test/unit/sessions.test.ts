import { describe, expect, it } from 'vitest';
import {
  decideReminder,
  decideSeries,
  occurrenceAt,
  parseReminderOffsets,
  phaseOf,
  planReminders,
  reconcile,
  rsvp,
  type Series,
  type Session,
} from '../../src/domain/sessions.ts';

const at = (iso: string) => new Date(iso).getTime();
const MIN = 60_000;
const START = at('2026-03-31T17:00:00Z');

function session(patch: Partial<Session> = {}): Session {
  return {
    id: 'abc234',
    groupId: 'g',
    resourceId: 'zoom-in',
    startsAt: START,
    durationMin: 60,
    timezone: 'Europe/London',
    location: { kind: 'external', place: 'x' },
    createdBy: '1',
    createdAt: START - 7 * 86_400_000,
    status: 'scheduled',
    cancelledAt: null,
    cancelledVia: null,
    channelId: '2',
    messageId: '3',
    threadId: '4',
    eventId: '5',
    notes: [],
    willRead: [],
    cantMake: [],
    readIt: [],
    reminders: planReminders([1440, 60], START),
    heldMarkedAt: null,
    syncedAt: null,
    seriesId: null,
    seriesIndex: null,
    pingRoleId: null,
    ...patch,
  };
}

describe('reminder decisions', () => {
  const s = session();
  const day = s.reminders[0]!;
  const hour = s.reminders[1]!;
  it('waits, posts within the grace window, then skips a late one', () => {
    expect(decideReminder(s, day, START - 1440 * MIN - 1)).toEqual({ action: 'wait' });
    expect(decideReminder(s, day, START - 1440 * MIN)).toEqual({ action: 'post', resume: false });
    expect(decideReminder(s, day, START - 1440 * MIN + 10 * MIN)).toEqual({ action: 'post', resume: false });
    expect(decideReminder(s, day, START - 1440 * MIN + 11 * MIN)).toMatchObject({ action: 'skip' });
  });
  it('never posts once the session has started, even a resumed claim', () => {
    expect(decideReminder(s, { ...hour, state: 'posting', claimedAt: START - 61 * MIN }, START)).toMatchObject({ action: 'skip', reason: 'the session had already started' });
  });
  it('leaves a fresh claim alone and resumes a stuck one', () => {
    const claimed = { ...hour, state: 'posting' as const, claimedAt: START - 60 * MIN };
    expect(decideReminder(s, claimed, START - 59 * MIN)).toEqual({ action: 'none' });
    expect(decideReminder(s, claimed, START - 57 * MIN)).toEqual({ action: 'post', resume: true });
    expect(decideReminder(s, { ...hour, state: 'posted' }, START - 59 * MIN)).toEqual({ action: 'none' });
  });
  it('skips reminders of a cancelled or moved session', () => {
    expect(decideReminder(session({ status: 'cancelled' }), hour, START - 60 * MIN)).toMatchObject({ action: 'skip' });
    expect(decideReminder(session({ startsAt: START + 86_400_000 }), hour, START - 60 * MIN)).toMatchObject({ action: 'skip', reason: 'session moved' });
  });
  it('re-arms reminders for a new start, keeping those already sent for the same start', () => {
    const sent = planReminders([1440, 60], START).map((r, i) => (i === 0 ? { ...r, state: 'posted' as const } : r));
    expect(planReminders([1440, 60], START, sent).map((r) => r.state)).toEqual(['posted', 'pending']);
    expect(planReminders([1440, 60], START + MIN, sent).map((r) => r.state)).toEqual(['pending', 'pending']);
  });
});

describe('phases, RSVPs and reconciling with Discord', () => {
  it('is upcoming, live, held or cancelled', () => {
    expect(phaseOf(session(), START - 1)).toBe('upcoming');
    expect(phaseOf(session(), START)).toBe('live');
    expect(phaseOf(session(), START + 60 * MIN)).toBe('held');
    expect(phaseOf(session({ status: 'cancelled' }), START - 1)).toBe('cancelled');
  });
  it('keeps I’ll read it and Can’t make it exclusive', () => {
    const a = rsvp(session(), '9', 'will-read');
    expect(rsvp(a, '9', 'cant-make')).toMatchObject({ willRead: [], cantMake: ['9'] });
    expect(rsvp(rsvp(a, '9', 'will-read'), '9', 'read-it')).toMatchObject({ willRead: ['9'], readIt: ['9'] });
  });
  it('adopts a move or a cancel made in Discord’s UI', () => {
    expect(reconcile(session(), null)).toEqual({ kind: 'cancelled' });
    expect(reconcile(session(), { status: 4, startsAt: START, endsAt: null, name: 'x' })).toEqual({ kind: 'cancelled' });
    expect(reconcile(session(), { status: 1, startsAt: START + 3_600_000, endsAt: START + 2 * 3_600_000 + 30 * MIN, name: 'x' })).toEqual({ kind: 'moved', startsAt: START + 3_600_000, durationMin: 90 });
    expect(reconcile(session(), { status: 1, startsAt: START, endsAt: null, name: 'x' })).toEqual({ kind: 'same' });
  });
  it('reads reminder settings', () => {
    expect(parseReminderOffsets('24h, 1h')).toEqual([1440, 60]);
    expect(parseReminderOffsets('30m 2d')).toEqual([2880, 30]);
    expect(parseReminderOffsets('none')).toEqual([]);
    expect(parseReminderOffsets('1m')).toBeNull();
    expect(parseReminderOffsets('soon')).toBeNull();
  });
});

describe('weekly series', () => {
  const series: Series = {
    id: 'ser234',
    groupId: 'g',
    local: { year: 2026, month: 3, day: 24, hour: 18, minute: 0 },
    timezone: 'Europe/London',
    durationMin: 60,
    location: { kind: 'external', place: 'x' },
    source: 'queue',
    queue: ['a', 'b'],
    next: 0,
    active: true,
    createdBy: '1',
    createdAt: 0,
    claim: null,
    lastNote: null,
  };
  it('keeps the same London wall-clock time across the March change', () => {
    expect([0, 1, 2].map((i) => new Date(occurrenceAt(series, i)).toISOString())).toEqual(['2026-03-24T18:00:00.000Z', '2026-03-31T17:00:00.000Z', '2026-04-07T17:00:00.000Z']);
  });
  it('creates each occurrence a week ahead, and skips ones missed while down', () => {
    expect(decideSeries(series, at('2026-03-17T17:59:00Z'))).toMatchObject({ action: 'none' });
    expect(decideSeries(series, at('2026-03-17T18:00:00Z'))).toMatchObject({ action: 'create', index: 0 });
    expect(decideSeries({ ...series, next: 1 }, at('2026-03-24T16:59:00Z'))).toMatchObject({ action: 'none' });
    expect(decideSeries({ ...series, next: 1 }, at('2026-03-24T17:00:00Z'))).toMatchObject({ action: 'create', index: 1, startsAt: at('2026-03-31T17:00:00Z') });
    expect(decideSeries(series, at('2026-04-01T12:00:00Z'))).toMatchObject({ action: 'create', index: 2, skipped: 2 });
    expect(decideSeries({ ...series, active: false }, at('2026-03-20T12:00:00Z'))).toMatchObject({ action: 'none' });
    expect(decideSeries({ ...series, claim: { index: 0, at: at('2026-03-20T12:00:00Z') } }, at('2026-03-20T12:01:00Z'))).toMatchObject({ action: 'none', reason: 'being created' });
  });
});
