import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wassersteinDistance } from '../../../functions/engine/stats/wasserstein.ts';
import { unweighted, type WeightedSample } from '../../../functions/engine/stats/weighted-sample.ts';
import { expectClose, ones, reference } from './reference.ts';

const sampleArb = fc
  .array(
    fc.tuple(
      fc.double({ min: -1000, max: 1000, noNaN: true }),
      fc.double({ min: 0.01, max: 50, noNaN: true }),
    ),
    { minLength: 1, maxLength: 40 },
  )
  .map((pairs): WeightedSample => {
    pairs.sort((p, q) => p[0] - q[0]);
    return { values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) };
  });

describe('wassersteinDistance', () => {
  it.each(reference.wasserstein.map((c) => [c.name, c]))('matches scipy wasserstein_distance: %s', (_, c) => {
    const u = { values: c.u, weights: c.uWeights ?? ones(c.u.length) };
    const v = { values: c.v, weights: c.vWeights ?? ones(c.v.length) };
    expectClose(wassersteinDistance(u, v), c.distance, 1e-12, 1e-12);
  });

  it('is the shift between a sample and its translate', () => {
    const a = unweighted([0, 1, 1, 4, 9]);
    const b = unweighted([2.5, 3.5, 3.5, 6.5, 11.5]);
    expectClose(wassersteinDistance(a, b), 2.5, 1e-15);
  });

  it('is symmetric, zero on identical samples and satisfies the triangle inequality', () => {
    fc.assert(
      fc.property(sampleArb, sampleArb, sampleArb, (a, b, c) => {
        const ab = wassersteinDistance(a, b);
        expect(ab).toBe(wassersteinDistance(b, a));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(wassersteinDistance(a, a)).toBe(0);
        const slack = 1e-9 * (ab + 1);
        expect(ab).toBeLessThanOrEqual(wassersteinDistance(a, c) + wassersteinDistance(c, b) + slack);
      }),
    );
  });

  it('is bounded by the ranges of the samples', () => {
    fc.assert(
      fc.property(sampleArb, sampleArb, (a, b) => {
        const lo = Math.min(a.values[0]!, b.values[0]!);
        const hi = Math.max(a.values[a.values.length - 1]!, b.values[b.values.length - 1]!);
        expect(wassersteinDistance(a, b)).toBeLessThanOrEqual((hi - lo) * (1 + 1e-12));
      }),
    );
  });

  it.each([
    ['an empty sample', unweighted([])],
    ['unsorted values', { values: [3, 1], weights: [1, 1] }],
    ['a zero weight', { values: [1, 3], weights: [1, 0] }],
  ])('rejects %s', (_, bad) => {
    expect(() => wassersteinDistance(bad, unweighted([1]))).toThrow(RangeError);
    expect(() => wassersteinDistance(unweighted([1]), bad)).toThrow(RangeError);
  });
});
