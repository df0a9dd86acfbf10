import { describe, expect, it } from 'vitest';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import { simulateStream } from './support/simulate.ts';
import { rate, rngFor } from './support/streams.ts';

// Seeded streams of 720 hourly windows (30 days) of 100 rows, reference of 100,000 rows. The sequential verdict
// may alarm in at most α + 2 SE of the streams whose distance to the reference never exceeds δ; today's
// per-window KS test, repeated 720 times, alarms in nearly all of them.
const STREAMS = 200;
const WINDOWS = 720;
const ROWS = 100;
const REFERENCE_ROWS = 100_000;

const falseAlarms = (
  settings: ReturnType<typeof verdictSettings>,
  distance: number,
  copies = 1,
  naive = true,
  seed = 1,
) => {
  let sequential = 0;
  let perWindow = 0;
  for (let s = 0; s < STREAMS; s++) {
    const outcome = simulateStream(
      { windows: WINDOWS, rows: ROWS, distance, shiftAt: 0, copies, referenceRows: REFERENCE_ROWS, naive },
      settings,
      rngFor(seed * 100_003 + s),
    );
    if (outcome.alarmAt !== null) sequential += 1;
    if (outcome.naiveAt !== null) perWindow += 1;
  }
  return { sequential: rate(sequential, STREAMS), perWindow: rate(perWindow, STREAMS) };
};

/** α + 2 SE of a rate α over the streams */
const bound = (alpha: number) => alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / STREAMS);

describe('sequential verdicts keep their false-alarm rate over a month of hourly looks', () => {
  const settings = verdictSettings();

  it.each([
    ['stationary streams', 0],
    ['streams at the boundary (true KS distance = δ)', settings.relevance],
  ])('%s: sequential alarms <= α + 2 SE, per-window test alarms in nearly all', (_, distance) => {
    // Act
    const result = falseAlarms(settings, distance);

    // Assess
    console.info(
      `${_}: sequential ${result.sequential.rate} (SE ${result.sequential.se.toFixed(4)}), per-window KS ${result.perWindow.rate}`,
    );
    expect(result.sequential.rate).toBeLessThanOrEqual(bound(settings.alpha));
    expect(result.perWindow.rate).toBeGreaterThanOrEqual(0.95);
  });

  it('duplicated records (each draw 100 times) do not break the hour-level default', () => {
    const result = falseAlarms(settings, 0, 100, false, 2);
    expect(result.sequential.rate).toBeLessThanOrEqual(bound(settings.alpha));
  });

  it('fails at record level under the same duplication: the independence caveat is real', () => {
    const result = falseAlarms(verdictSettings({ level: 'record' }), 0, 100, false, 2);
    console.info(`record level, 100 copies per draw: ${result.sequential.rate} false alarms`);
    expect(result.sequential.rate).toBeGreaterThan(bound(settings.alpha));
  });

  it('keeps the record level within α + 2 SE when records are independent', () => {
    const result = falseAlarms(verdictSettings({ level: 'record' }), 0, 1, false, 3);
    expect(result.sequential.rate).toBeLessThanOrEqual(bound(settings.alpha));
  });
});
