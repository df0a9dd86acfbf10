import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { unweighted, type WeightedSample } from '../../../functions/engine/stats/weighted-sample.ts';
import { reference } from './reference.ts';

const sample = (values: number[], weights?: number[]): WeightedSample =>
  weights ? { values, weights } : unweighted(values);

/** sup |F_a − F_b| by brute force: both ECDFs recomputed from scratch at every point. */
const bruteForce = (a: WeightedSample, b: WeightedSample): number => {
  const cdf = (s: WeightedSample, x: number): number => {
    let below = 0;
    let total = 0;
    for (let i = 0; i < s.values.length; i++) {
      total += s.weights[i]!;
      if (s.values[i]! <= x) below += s.weights[i]!;
    }
    return below / total;
  };
  let d = 0;
  for (const x of [...Array.from(a.values), ...Array.from(b.values)]) {
    d = Math.max(d, Math.abs(cdf(a, x) - cdf(b, x)));
  }
  return d;
};

const weightedSampleArb = fc
  .array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.double({ min: 0.01, max: 100, noNaN: true })), {
    minLength: 1,
    maxLength: 40,
  })
  .map((pairs): WeightedSample => {
    pairs.sort((p, q) => p[0] - q[0]);
    return { values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) };
  });

describe('ksStatistic', () => {
  it.each(reference.ksSamples.map((c) => [c.name, c]))('matches scipy ks_2samp statistic: %s', (_, c) => {
    const d = ksStatistic(sample(c.a, c.weightsA), sample(c.b, c.weightsB));
    // same counts and divisions as scipy: equal to the last bit or one rounding away
    expect(Math.abs(d - c.statistic)).toBeLessThanOrEqual(4e-16);
  });

  it('is 0 for identical samples and 1 for disjoint ones', () => {
    expect(ksStatistic(sample([1, 2, 2, 3]), sample([1, 2, 2, 3]))).toBe(0);
    expect(ksStatistic(sample([1, 2]), sample([2.5, 9]))).toBe(1);
  });

  it('treats integer weights as repeated values', () => {
    const weighted = ksStatistic(sample([0, 1, 2], [3, 1, 2]), sample([1, 2], [2, 5]));
    const expanded = ksStatistic(sample([0, 0, 0, 1, 2, 2]), sample([1, 1, 2, 2, 2, 2, 2]));
    expect(weighted).toBe(expanded);
  });

  it('is symmetric, lies in [0, 1] and equals the brute-force supremum (unit weights, ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 1, maxLength: 50 }),
        (xs, ys) => {
          const a = unweighted(xs);
          const b = unweighted(ys);
          const d = ksStatistic(a, b);
          expect(d).toBe(ksStatistic(b, a));
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1);
          expect(d).toBe(bruteForce(a, b));
        },
      ),
    );
  });

  it('equals the brute-force supremum for real weights and is invariant to scaling them', () => {
    fc.assert(
      fc.property(
        weightedSampleArb,
        weightedSampleArb,
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        (a, b, scale) => {
          const d = ksStatistic(a, b);
          expect(Math.abs(d - bruteForce(a, b))).toBeLessThanOrEqual(1e-12);
          const scaled = { values: a.values, weights: Array.from(a.weights, (w) => w * scale) };
          expect(Math.abs(ksStatistic(scaled, b) - d)).toBeLessThanOrEqual(1e-12);
        },
      ),
    );
  });

  it.each([
    ['an empty sample', sample([]), 'empty'],
    ['unsorted values', { values: [2, 1], weights: [1, 1] }, 'ascending'],
    ['a NaN value', { values: [1, Number.NaN], weights: [1, 1] }, 'not finite'],
    ['an infinite value', { values: [1, Number.POSITIVE_INFINITY], weights: [1, 1] }, 'not finite'],
    ['a zero weight', { values: [1, 2], weights: [1, 0] }, 'weights[1]'],
    ['a negative weight', { values: [1, 2], weights: [-1, 1] }, 'weights[0]'],
    ['mismatched lengths', { values: [1, 2], weights: [1] }, '2 values but 1 weights'],
  ])('rejects %s', (_, bad, message) => {
    expect(() => ksStatistic(bad, sample([1]))).toThrow(RangeError);
    expect(() => ksStatistic(sample([1]), bad)).toThrow(message);
  });
});
