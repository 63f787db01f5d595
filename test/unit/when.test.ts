import { describe, expect, it } from 'vitest';
import { describeWhen, instantsFor, offsetMinutes, parseWhen, RecentWhens, resolveLocal, whenChoices } from '../../src/domain/when.ts';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const LONDON = 'Europe/London';

function ok(text: string, tz: string, now: string): string {
  const r = parseWhen(text, tz, at(now));
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return iso(r.at);
}

describe('parseWhen in a group’s IANA time zone', () => {
  it('reads "next tuesday 18:00" as 18:00 London time on either side of the March change', () => {
    expect(ok('next tuesday 18:00', LONDON, '2026-03-19T12:00:00Z')).toBe('2026-03-24T18:00:00.000Z'); // GMT
    expect(ok('next tuesday 18:00', LONDON, '2026-03-26T12:00:00Z')).toBe('2026-03-31T17:00:00.000Z'); // BST, after Sunday's change
    // Just before the change, late on Saturday night, and just after it on Sunday morning.
    expect(ok('next tuesday 18:00', LONDON, '2026-03-28T23:59:00Z')).toBe('2026-03-31T17:00:00.000Z');
    expect(ok('next tuesday 18:00', LONDON, '2026-03-29T01:30:00Z')).toBe('2026-03-31T17:00:00.000Z');
  });

  it('reads the October change the other way, and other zones too', () => {
    expect(ok('tuesday 18:00', LONDON, '2026-10-22T12:00:00Z')).toBe('2026-10-27T18:00:00.000Z');
    expect(ok('2026-11-03 18:00', 'America/New_York', '2026-10-30T12:00:00Z')).toBe('2026-11-03T23:00:00.000Z');
    expect(ok('2026-10-30 18:00', 'America/New_York', '2026-10-29T12:00:00Z')).toBe('2026-10-30T22:00:00.000Z');
    expect(ok('in 3 days at 5pm', 'Asia/Kolkata', '2026-03-26T12:00:00Z')).toBe('2026-03-29T11:30:00.000Z');
  });

  it('takes "in 3 days at 5pm" as local wall-clock time, and "in 2 hours" as elapsed time, across the change', () => {
    expect(ok('in 3 days at 5pm', LONDON, '2026-03-27T12:00:00Z')).toBe('2026-03-30T16:00:00.000Z');
    expect(ok('in 2 hours', LONDON, '2026-03-29T00:30:00Z')).toBe('2026-03-29T02:30:00.000Z');
  });

  it('uses the reference time it is given, never the machine clock', () => {
    expect(ok('tomorrow 09:00', LONDON, '2026-06-30T23:30:00Z')).toBe('2026-07-02T08:00:00.000Z'); // already 1 July in London, so tomorrow is the 2nd
    expect(ok('tomorrow 09:00', 'America/Los_Angeles', '2026-07-01T03:00:00Z')).toBe('2026-07-01T16:00:00.000Z'); // still 30 June there
  });

  it('accepts the ISO instant autocomplete sends back, and re-checks it', () => {
    expect(ok('2027-01-12T19:30:00.000Z', LONDON, '2027-01-06T12:00:00Z')).toBe('2027-01-12T19:30:00.000Z');
    expect(parseWhen('2027-01-12T19:30:00.000Z', LONDON, at('2027-01-13T00:00:00Z'))).toMatchObject({ ok: false, error: 'past' });
  });

  it.each([
    ['', 'empty'],
    ['soonish', 'unparseable'],
    ['tuesday 18:00 with cake', 'unparseable'],
    ['yesterday 18:00', 'past'],
    ['2028-06-01 18:00', 'too-far'],
    ['tuesday 6', 'ambiguous'],
    ['friday 7:30', 'ambiguous'],
    ['01/02/2027 18:00', 'ambiguous'],
    ['tuesday 6pm and friday 5pm', 'ambiguous'],
    ['25 october 2026 01:30', 'ambiguous'],
    ['next tuesday', 'no-time'],
    ['29 march 01:30', 'nonexistent'],
  ])('"%s" is an error: %s', (text, error) => {
    const r = parseWhen(text, LONDON, at('2026-03-26T12:00:00Z'));
    expect(r).toMatchObject({ ok: false, error });
  });

  it('offers both readings of an ambiguous time as choices', () => {
    const fold = parseWhen('25 october 2026 01:30', LONDON, at('2026-10-20T12:00:00Z'));
    expect(!fold.ok && fold.candidates.map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(whenChoices('tuesday 6', LONDON, at('2026-03-26T12:00:00Z')).map((c) => c.value)).toEqual(['2026-03-31T05:00:00.000Z', '2026-03-31T17:00:00.000Z']);
    const bad = whenChoices('soonish', LONDON, at('2026-03-26T12:00:00Z'));
    expect(bad).toHaveLength(1);
    expect(bad[0]!.value).toBe('soonish');
  });

  it('labels choices the way the issue asks', () => {
    expect(describeWhen(LONDON, at('2027-01-12T19:30:00Z'), at('2027-01-06T12:00:00Z'))).toBe('Tue 12 Jan 2027, 19:30 Europe/London, in 6 days');
    for (const choice of whenChoices('next tuesday 18:00', LONDON, at('2026-03-26T12:00:00Z'))) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('wall-clock conversion', () => {
  it('finds one, none or two instants for a local time', () => {
    expect(instantsFor(LONDON, { year: 2026, month: 3, day: 29, hour: 1, minute: 30 })).toEqual([]);
    expect(instantsFor(LONDON, { year: 2026, month: 10, day: 25, hour: 1, minute: 30 }).map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
    expect(instantsFor(LONDON, { year: 2026, month: 3, day: 29, hour: 3, minute: 0 }).map(iso)).toEqual(['2026-03-29T02:00:00.000Z']);
    expect(iso(resolveLocal(LONDON, { year: 2026, month: 3, day: 29, hour: 1, minute: 30 }))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('knows the offset at an instant', () => {
    expect(offsetMinutes(LONDON, at('2026-03-29T00:59:00Z'))).toBe(0);
    expect(offsetMinutes(LONDON, at('2026-03-29T01:00:00Z'))).toBe(60);
    expect(offsetMinutes('Asia/Kathmandu', at('2026-03-29T01:00:00Z'))).toBe(345);
  });
});

describe('RecentWhens: the command takes the time autocomplete just showed', () => {
  const T = Date.UTC(2026, 2, 4, 12, 0);
  const iso = (ms: number) => new Date(ms).toISOString();
  const at = (w: ReturnType<typeof parseWhen>) => (w.ok ? w.at : w.error);

  it('reuses the shown time for a minute, then parses afresh', () => {
    const recent = new RecentWhens();
    expect(recent.choices('in 2 hours', 'UTC', T)[0]!.value).toBe(iso(T + 2 * 3_600_000));
    // A fresh parse 30 s later would say 12:00:30 + 2 h; the member confirmed what they were shown.
    expect(at(recent.parse('in 2 hours', 'UTC', T + 30_000))).toBe(T + 2 * 3_600_000);
    expect(at(recent.parse('  in   2 hours ', 'UTC', T + 30_000))).toBe(T + 2 * 3_600_000);
    expect(at(recent.parse('in 2 hours', 'UTC', T + 61_000))).toBe(T + 61_000 + 2 * 3_600_000);
  });

  it('is per zone and text, ignores a clock that went back, and checks the time against the clock again', () => {
    const recent = new RecentWhens();
    recent.choices('tomorrow at 7pm', 'Europe/London', T);
    expect(at(recent.parse('tomorrow at 7pm', 'Asia/Kolkata', T))).toBe(at(parseWhen('tomorrow at 7pm', 'Asia/Kolkata', T)));
    recent.choices('in 2 hours', 'UTC', T);
    expect(at(recent.parse('in 2 hours', 'UTC', T - 1_000))).toBe(T - 1_000 + 2 * 3_600_000);
    recent.choices('in 1 minute', 'UTC', T);
    expect(at(recent.parse('in 1 minute', 'UTC', T + 60_000))).toBe('past');
  });

  it('keeps only clean parses, and at most `max` of them', () => {
    const recent = new RecentWhens(60_000, 2);
    recent.choices('tuesday 6', 'UTC', T);
    expect(at(recent.parse('tuesday 6', 'UTC', T))).toBe('ambiguous');
    for (const text of ['in 1 hour', 'in 2 hours', 'in 3 hours']) recent.choices(text, 'UTC', T);
    // The oldest was dropped: a fresh parse, 10 s later, moves with the clock.
    expect(at(recent.parse('in 1 hour', 'UTC', T + 10_000))).toBe(T + 10_000 + 3_600_000);
    expect(at(recent.parse('in 3 hours', 'UTC', T + 10_000))).toBe(T + 3 * 3_600_000);
    expect(recent.choices('in 3 hours', 'UTC', T)).toEqual(whenChoices('in 3 hours', 'UTC', T));
  });
});
