import { describe, expect, it } from 'vitest';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import { simulateStream } from './support/simulate.ts';
import { median, rngFor } from './support/streams.ts';

// Detection delay: windows from the first shifted window to the alarm, inclusive, for shifts that start after
// 200 quiet windows (so the bet has settled at no bet, as it does in production), median over seeds.
const STREAMS = 100;
const SHIFT_AT = 200;
const WINDOWS = 720;

const delays = (distance: number, rows: number, level: 'hour' | 'record', seed: number) => {
  const settings = verdictSettings({ level });
  const found: number[] = [];
  let missed = 0;
  for (let s = 0; s < STREAMS; s++) {
    const outcome = simulateStream(
      { windows: WINDOWS, rows, distance, shiftAt: SHIFT_AT, referenceRows: 100_000 },
      settings,
      rngFor(seed * 7_919 + s),
    );
    if (outcome.alarmAt === null) missed += 1;
    else if (outcome.alarmAt >= SHIFT_AT) found.push(outcome.alarmAt - SHIFT_AT + 1);
  }
  return { median: found.length > 0 ? median(found) : Number.POSITIVE_INFINITY, found: found.length, missed };
};

describe('sequential verdicts find relevant shifts quickly with the default settings', () => {
  it.each([
    [0.15, 100, 48],
    [0.3, 200, 12],
  ])(
    'finds a shift of KS distance %s at %s rows per window within %s windows (median)',
    (distance, rows, limit) => {
      // Act
      const result = delays(distance, rows, 'hour', 11);

      // Assess
      console.info(`KS ${distance} @ ${rows} rows, hour level: median delay ${result.median} windows`);
      expect(result.found).toBe(STREAMS);
      expect(result.median).toBeLessThanOrEqual(limit);
    },
  );

  it('reports the median delays for KS 0.06 and 0.15, hour and record level, record level no slower', () => {
    const table: string[] = [];
    for (const distance of [0.06, 0.15]) {
      const hour = delays(distance, 100, 'hour', 12);
      const record = delays(distance, 100, 'record', 12);
      table.push(
        `KS ${distance} @ 100 rows: hour ${hour.median} (missed ${hour.missed}), record ${record.median} (missed ${record.missed})`,
      );
      expect(record.median).toBeLessThanOrEqual(hour.median);
      expect(hour.median).toBeLessThan(WINDOWS - SHIFT_AT);
    }
    console.info(table.join('\n'));
  });
});
