import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import {
  RegressionAccumulator,
  type RegressionMetrics,
  regressionMetrics,
} from '../../../functions/engine/quality/regression-metrics.ts';
import { expectClose, loadReference } from './reference.ts';

interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  expected: Record<keyof RegressionMetrics, number | null>;
  r2Swapped: number | null;
}

const reference = loadReference<{ regression: RegressionCase[]; fixture: RegressionCase }>(
  'metrics_reference.json',
);
const keys = ['mae', 'mse', 'rmse', 'r2', 'mape'] as const;

describe('regressionMetrics', () => {
  it.each([...reference.regression, reference.fixture])('matches scikit-learn on "$name"', (c) => {
    const acc = new RegressionAccumulator().addAll(c.yTrue, c.yPred);
    const got = acc.metrics();
    for (const key of keys) expectClose(got[key], c.expected[key]);
    expectClose(acc.modelMonitorR2(), c.r2Swapped);
  });

  it('returns exactly the documented fields', () => {
    expect(Object.keys(regressionMetrics([1, 2], [1, 3])).sort()).toEqual([...keys].sort());
  });

  it('reports NaN for an empty window', () => {
    expect(new RegressionAccumulator().metrics().mae).toBeNaN();
  });

  it.each([
    ['a NaN truth', [Number.NaN], [1]],
    ['an infinite prediction', [1], [Number.POSITIVE_INFINITY]],
  ])('rejects %s', (_, actual, predicted) => {
    expect(() => regressionMetrics(actual, predicted)).toThrow(InputError);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(InputError);
  });

  it('merging any split and a JSON round trip give the one-pass metrics', () => {
    // hundredths keep r2 well conditioned; denormal spreads would test rounding, not merging
    const value = fc.integer({ min: -100_000, max: 100_000 }).map((k) => k / 100);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 150 }),
        fc.nat(),
        (data, cut) => {
          const k = cut % (data.length + 1);
          const add = (rows: [number, number][]) =>
            new RegressionAccumulator().addAll(
              rows.map(([a]) => a),
              rows.map(([, p]) => p),
            );
          const whole = add(data).metrics();
          const right = RegressionAccumulator.fromJSON(JSON.parse(JSON.stringify(add(data.slice(k)))));
          const merged = add(data.slice(0, k)).merge(right).metrics();
          // error sums are exact, so these agree to the last bit
          expect(merged.mae).toBe(whole.mae);
          expect(merged.mse).toBe(whole.mse);
          expect(merged.mape).toBe(whole.mape);
          // the spread of the truth merges with Chan's formula: equal to rounding
          if (Number.isNaN(whole.r2)) expect(merged.r2).toBeNaN();
          else expect(Math.abs(merged.r2 - whole.r2)).toBeLessThan(1e-9 * Math.max(1, Math.abs(whole.r2)));
        },
      ),
    );
  });
});

describe('RegressionAccumulator order', () => {
  it('gives every figure to the last bit whatever the order and grouping of records (property)', () => {
    const pairs = fc.array(
      fc.tuple(
        fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      ),
      { minLength: 2, maxLength: 200 },
    );
    fc.assert(
      fc.property(pairs, fc.nat(), (records, cut) => {
        // Prepare: the same records forwards, backwards, and in two merged parts
        const forwards = new RegressionAccumulator();
        for (const [y, p] of records) forwards.add(y, p);
        const backwards = new RegressionAccumulator();
        for (const [y, p] of [...records].reverse()) backwards.add(y, p);
        const at = cut % records.length;
        const head = new RegressionAccumulator();
        const tail = new RegressionAccumulator();
        records.forEach(([y, p], i) => {
          (i < at ? head : tail).add(y, p);
        });
        // Act
        const merged = RegressionAccumulator.fromJSON(JSON.parse(JSON.stringify(tail.merge(head).toJSON())));
        // Assess
        expect(backwards.metrics()).toEqual(forwards.metrics());
        expect(merged.metrics()).toEqual(forwards.metrics());
        expect(merged.modelMonitorR2()).toBe(forwards.modelMonitorR2());
      }),
      { numRuns: 300 },
    );
  });
});
