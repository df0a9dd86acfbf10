import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  dueWindows,
  InvalidScheduleError,
  type JobSchedule,
  tickOf,
  windowsContaining,
} from '../../../functions/handler-kit/scheduling/due-windows.ts';
import { cronerFor } from '../../../functions/handler-kit/scheduling/eventbridge-cron.ts';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const windows = (tick: string, period: number, schedule: JobSchedule) =>
  dueWindows(new Date(tick), period, schedule).map((w) => [iso(w.start.getTime()), iso(w.end.getTime())]);

describe('due windows of one tick', () => {
  test('an hourly window with 10 minutes of grace is due at 10 past, not before', () => {
    const hourly = { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 10 };
    expect(windows('2026-03-01T10:05:00Z', 5, hourly)).toEqual([]);
    expect(windows('2026-03-01T10:10:00Z', 5, hourly)).toEqual([
      ['2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z'],
    ]);
    expect(windows('2026-03-01T10:15:00Z', 5, hourly)).toEqual([]);
  });

  test('a tick off the period grid (the rule was created at :02) dispatches on the first tick at or after due', () => {
    const hourly = { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 10 };
    expect(windows('2026-03-01T10:07:00Z', 5, hourly)).toEqual([]);
    expect(windows('2026-03-01T10:12:00Z', 5, hourly)).toEqual([
      ['2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z'],
    ]);
  });

  test('grace delays the dispatch, never the window: a cron window ends at the fire time', () => {
    const daily = { expression: 'cron(30 6 * * ? *)', windowMinutes: 1440, graceMinutes: 45 };
    expect(windows('2026-03-02T07:15:00Z', 5, daily)).toEqual([
      ['2026-03-01T06:30:00Z', '2026-03-02T06:30:00Z'],
    ]);
  });

  test('a schedule faster than the dispatcher yields every window closed in the interval', () => {
    const everyMinute = { expression: 'rate(1 minute)', windowMinutes: 1, graceMinutes: 0 };
    expect(windows('2026-03-01T10:05:00Z', 5, everyMinute).map(([start]) => start)).toEqual([
      '2026-03-01T10:00:00Z',
      '2026-03-01T10:01:00Z',
      '2026-03-01T10:02:00Z',
      '2026-03-01T10:03:00Z',
      '2026-03-01T10:04:00Z',
    ]);
  });

  test('a sliding window (longer than its period) overlaps the previous one', () => {
    const rolling = { expression: 'rate(1 hour)', windowMinutes: 1440, graceMinutes: 0 };
    expect(windows('2026-03-01T10:00:00Z', 5, rolling)).toEqual([
      ['2026-02-28T10:00:00Z', '2026-03-01T10:00:00Z'],
    ]);
  });

  test('seconds in the event time land on the tick of their minute', () => {
    expect(tickOf(new Date('2026-03-01T10:10:59.900Z')).toISOString()).toBe('2026-03-01T10:10:00.000Z');
    const hourly = { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 10 };
    expect(windows('2026-03-01T10:10:42Z', 5, hourly)).toEqual(windows('2026-03-01T10:10:00Z', 5, hourly));
  });

  test.each([
    ['periodMinutes', 0, { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 10 }],
    ['windowMinutes', 5, { expression: 'rate(1 hour)', windowMinutes: 0, graceMinutes: 10 }],
    ['graceMinutes', 5, { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: -1 }],
    ['graceMinutes', 5, { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 1.5 }],
  ])('rejects a bad %s', (field, period, schedule) => {
    expect(() => dueWindows(new Date('2026-03-01T10:00:00Z'), period, schedule)).toThrow(
      InvalidScheduleError,
    );
    expect(() => dueWindows(new Date('2026-03-01T10:00:00Z'), period, schedule)).toThrow(field);
  });
});

const CRONS = [
  'cron(0 * * * ? *)',
  'cron(0/15 * * * ? *)',
  'cron(5,35 14 * * ? *)',
  'cron(0/5 8-17 ? * MON-FRI *)',
  'cron(0/30 20-2 ? * MON-FRI *)',
  'cron(7 */3 * * ? *)',
  'cron(0 0 L * ? *)',
  'cron(0 12 ? * 6L *)',
];

const scheduleArb: fc.Arbitrary<JobSchedule> = fc.record({
  expression: fc.oneof(
    fc.integer({ min: 2, max: 180 }).map((n) => `rate(${n} minutes)`),
    fc.integer({ min: 2, max: 30 }).map((n) => `rate(${n} hours)`),
    fc.constantFrom('rate(1 minute)', 'rate(1 hour)', 'rate(1 day)'),
    fc.constantFrom(...CRONS),
  ),
  windowMinutes: fc.integer({ min: 1, max: 1440 }),
  graceMinutes: fc.integer({ min: 0, max: 90 }),
});

/**
 * The oracle: fire times found minute by minute, by croner's `match` for cron (a different path than the
 * `nextRun` enumeration under test) and by arithmetic for rate.
 */
const fireTimesByScan = (expression: string, fromExclusive: number, toInclusive: number): number[] => {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  const unit = { minute: 1, hour: 60, day: 1440 };
  const matches = rate
    ? (t: number) => (t / MINUTE) % (Number(rate[1]) * unit[rate[2] as keyof typeof unit]) === 0
    : (() => {
        const cron = cronerFor(expression);
        return (t: number) => cron.match(new Date(t));
      })();
  const times: number[] = [];
  for (let t = fromExclusive + MINUTE; t <= toInclusive; t += MINUTE) if (matches(t)) times.push(t);
  return times;
};

describe('dispatch over consecutive ticks (properties)', () => {
  const tickRun = fc.record({
    schedule: scheduleArb,
    period: fc.integer({ min: 1, max: 30 }),
    // any minute of 2026
    firstTick: fc.integer({ min: 0, max: 365 * 1440 - 1 }).map((m) => Date.UTC(2026, 0, 1) + m * MINUTE),
    ticks: fc.integer({ min: 1, max: 40 }),
  });

  test('every window is dispatched exactly once, never before end + grace, never a period after', () => {
    fc.assert(
      fc.property(tickRun, ({ schedule, period, firstTick, ticks }) => {
        const dispatched: { end: number; start: number; tick: number }[] = [];
        for (let k = 0; k < ticks; k++) {
          const tick = firstTick + k * period * MINUTE;
          for (const w of dueWindows(new Date(tick), period, schedule)) {
            dispatched.push({ start: w.start.getTime(), end: w.end.getTime(), tick });
          }
        }
        const grace = schedule.graceMinutes * MINUTE;
        const lastTick = firstTick + (ticks - 1) * period * MINUTE;
        // windows due in (firstTick - period, lastTick]
        const expected = fireTimesByScan(
          schedule.expression,
          firstTick - period * MINUTE - grace,
          lastTick - grace,
        );
        const ends = dispatched.map((d) => d.end);
        expect(new Set(ends).size).toBe(ends.length);
        expect(ends).toEqual(expected);
        for (const d of dispatched) {
          expect(d.end - d.start).toBe(schedule.windowMinutes * MINUTE);
          expect(d.tick).toBeGreaterThanOrEqual(d.end + grace);
          expect(d.tick).toBeLessThan(d.end + grace + period * MINUTE);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a retried tick (same event time) yields the same windows', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc.integer({ min: 1, max: 30 }),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
        (schedule, period, tick) => {
          const first = dueWindows(tick, period, schedule);
          const again = dueWindows(new Date(tick.getTime()), period, schedule);
          expect(again).toEqual(first);
        },
      ),
      { numRuns: 100 },
    );
  });

  test('an instant lies in exactly the windows whose fire time is within windowMinutes after it', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        fc
          .integer({ min: 0, max: 365 * 1440 * 60 - 1 })
          .map((s) => new Date(Date.UTC(2026, 0, 1) + s * 1000)),
        (schedule, at) => {
          const found = windowsContaining(at, schedule);
          for (const w of found) {
            expect(w.start.getTime()).toBeLessThanOrEqual(at.getTime());
            expect(w.end.getTime()).toBeGreaterThan(at.getTime());
          }
          const minuteFloor = Math.floor(at.getTime() / MINUTE) * MINUTE;
          const expected = fireTimesByScan(
            schedule.expression,
            minuteFloor,
            at.getTime() + schedule.windowMinutes * MINUTE,
          );
          expect(found.map((w) => w.end.getTime())).toEqual(expected.filter((t) => t > at.getTime()));
        },
      ),
      { numRuns: 150 },
    );
  });
});
