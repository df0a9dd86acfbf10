import { describe, expect, it } from 'vitest';
import {
  checkSlotRows,
  DEFAULT_MIN_SLOT_ROWS,
} from '../../../functions/engine/verdicts/seasonal-reference.ts';
import { runDiurnal as run } from './support/diurnal.ts';
import { median } from './support/streams.ts';

// Diurnal traffic: in hour h the values are logistic shifted by μ(h) = 0.5·sin(2πh/24). The reference is 4 weeks
// of it (400 rows an hour, 11,200 per hour-of-day slot); the monitored stream 30 days of 100-row hourly windows.
const STREAMS = 200;
const alpha = 0.05;
const bound = alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / STREAMS);

describe('a seasonal reference compares like with like', () => {
  it('an hour-of-day reference alarms in <= α + 2 SE of diurnal streams; the pooled one in most', () => {
    let contextual = 0;
    let pooled = 0;
    for (let s = 0; s < STREAMS; s++) {
      if (run(500 + s, true) !== null) contextual += 1;
      if (run(500 + s, false) !== null) pooled += 1;
    }
    console.info(
      `diurnal streams: hour-of-day reference ${contextual / STREAMS}, pooled ${pooled / STREAMS}`,
    );
    expect(contextual / STREAMS).toBeLessThanOrEqual(bound);
    expect(pooled / STREAMS).toBeGreaterThan(0.5);
  });

  it('finds a shift confined to hours 0-6 within 7 days', () => {
    const from = 10 * 24;
    const delays: number[] = [];
    for (let s = 0; s < 100; s++) {
      const at = run(900 + s, true, { from, hours: (h) => h <= 6, shift: 4 * Math.atanh(0.15) });
      if (at !== null && at >= from) delays.push(at - from + 1);
    }
    console.info(
      `night-only shift (KS 0.15, hours 0-6): found in ${delays.length}/100, median ${median(delays)} windows`,
    );
    expect(delays.length).toBeGreaterThanOrEqual(95);
    expect(median(delays)).toBeLessThanOrEqual(7 * 24);
  });

  it('rejects slots holding fewer reference rows than the minimum, naming the setting', () => {
    const rows = new Array<number>(24).fill(20_000);
    rows[3] = 812;
    expect(() => checkSlotRows('hour-of-day', rows, DEFAULT_MIN_SLOT_ROWS)).toThrow(
      'baseline.seasonality: "hour-of-day": slot 03h holds 812 reference rows, fewer than the minimum 10000',
    );
  });
});
