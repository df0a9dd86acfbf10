import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { parseRowTime, profileSlots } from '../../functions/baseline-job/slot-profiles.ts';
import { windowSlots } from '../../functions/data-job/window-slots.ts';
import { InputError } from '../../functions/engine/errors.ts';
import { MalformedLog } from '../../functions/engine/profile/malformed-log.ts';

// The two ends of a seasonal baseline that need no emulator: the baseline's rows put in their slots by their
// time, and a window's rows put in theirs by their capture hour.
const source = (name: string, text: string) => ({
  name,
  open: async function* () {
    yield text;
  },
});

describe('profileSlots', () => {
  it('puts each row in the slot of its UTC hour, and counts a row without a readable time as malformed', async () => {
    // Prepare
    const csv = [
      'time,x',
      '2026-03-01T00:10:00Z,1',
      '2026-03-01T05:59:59Z,2',
      '2026-03-02T05:00:00+02:00,3', // 03h UTC
      'not a time,4',
      `${Date.UTC(2026, 2, 1, 23) / 1000},5`, // epoch seconds
    ].join('\n');
    const malformed = new MalformedLog();
    // Act
    const { pooled, slots } = await profileSlots([source('day.csv', csv)], {
      format: 'csv',
      header: true,
      malformed,
      seasonality: 'hour-of-day',
      timeField: 'time',
    });
    // Assess
    expect(slots).toHaveLength(24);
    expect(slots.map((s) => s.rows)).toEqual(
      Array.from({ length: 24 }, (_, h) => ([0, 3, 5, 23].includes(h) ? 1 : 0)),
    );
    expect(slots[3]!.features.find((f) => f.name === 'x')!.numeric.average).toBe(3);
    expect(pooled.rows).toBe(4);
    expect(malformed.count).toBe(1);
    expect(malformed.lines()[0]).toMatch(/^day\.csv:5 field "time": no readable time: "not a time"/);
  });

  it('uses hour of week, Sunday 0', async () => {
    // 2026-03-02 is a Monday: slot 24 + 7
    const { slots } = await profileSlots([source('w.csv', 'time,x\n2026-03-02T07:00:00Z,1\n')], {
      format: 'csv',
      header: true,
      malformed: new MalformedLog(),
      seasonality: 'hour-of-week',
      timeField: 'time',
    });
    expect(slots).toHaveLength(168);
    expect(slots.findIndex((s) => s.rows === 1)).toBe(31);
  });

  it('rejects a time field the dataset does not have, naming it', async () => {
    const error = await profileSlots([source('d.csv', 'when,x\n2026-03-01T00:00:00Z,1\n')], {
      format: 'csv',
      header: true,
      malformed: new MalformedLog(),
      seasonality: 'hour-of-day',
      timeField: 'time',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'd.csv field "time": baseline.timeField: no such column (columns: when, x)',
    );
  });

  test('the pooled profile holds every row with a time, each in exactly one slot', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2_000_000_000 }), { maxLength: 60 }),
        async (times) => {
          const csv = `time,x\n${times.map((t, i) => `${t},${i}`).join('\n')}\n`;
          const { pooled, slots } = await profileSlots(
            [source('p.csv', times.length ? csv : 'time,x\n0,0\n')],
            {
              format: 'csv',
              header: true,
              malformed: new MalformedLog(),
              seasonality: 'hour-of-day',
              timeField: 'time',
            },
          );
          const expected = new Array(24).fill(0);
          for (const t of times.length ? times : [0]) expected[new Date(t * 1000).getUTCHours()] += 1;
          expect(slots.map((s) => s.rows)).toEqual(expected);
          expect(pooled.rows).toBe(expected.reduce((a, b) => a + b, 0));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('parseRowTime', () => {
  test.each([
    ['2026-03-01T01:00:00Z', Date.UTC(2026, 2, 1, 1)],
    ['1772326800', Date.UTC(2026, 2, 1, 1)],
    ['1772326800000', Date.UTC(2026, 2, 1, 1)],
    ['', undefined],
    ['yesterday', undefined],
  ])('%j is %j', (text, expected) => {
    expect(parseRowTime(text)).toBe(expected);
  });
});

describe('windowSlots', () => {
  test.each([
    // a two-hour window across midnight: its rows in 23h and 00h, the cycle that of its start
    [
      'hour-of-day',
      '2026-03-01T23:00:00Z',
      [
        [Date.UTC(2026, 2, 1, 23), 40],
        [Date.UTC(2026, 2, 2, 0), 60],
      ],
      { 23: 40, 0: 60 },
      20513,
    ],
    // no capture hours (a fanned-out window): every row in the start's slot
    ['hour-of-day', '2026-03-01T05:00:00Z', undefined, { 5: 100 }, 20513],
    ['hour-of-week', '2026-03-02T07:00:00Z', [[Date.UTC(2026, 2, 2, 7), 100]], { 31: 100 }, 2930],
  ] as const)('%s from %s', (seasonality, start, byHour, slots, cycle) => {
    const result = windowSlots(
      seasonality,
      start,
      100,
      byHour ? new Map(byHour.map(([h, n]) => [h, n])) : undefined,
    );
    expect(Object.fromEntries(result.slotRows)).toEqual(slots);
    expect(result.cycle).toBe(cycle);
  });
});
