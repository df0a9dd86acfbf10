import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, klDivergence, psi } from '../../../functions/engine/stats/divergences.ts';
import { binCounts, quantileBinEdges } from '../../../functions/engine/stats/quantile-bins.ts';
import { unweighted, type WeightedSample } from '../../../functions/engine/stats/weighted-sample.ts';
import { expectClose, reference } from './reference.ts';

const sampleArb = fc
  .array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.constantFrom(1, 2, 4, 8, 0.5)), {
    minLength: 1,
    maxLength: 80,
  })
  .map((pairs): WeightedSample => {
    pairs.sort((p, q) => p[0] - q[0]);
    return { values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) };
  });

describe('quantileBinEdges and binCounts', () => {
  describe.each(reference.binning.map((c) => [c.name, c]))('match the numpy rule: %s', (_, c) => {
    const baseline = { values: c.baseline, weights: c.baselineWeights };
    const current = { values: c.current, weights: c.currentWeights };

    it('edges', () => expect(quantileBinEdges(baseline, c.bins)).toEqual(c.edges));
    it('counts', () => {
      expect(binCounts(baseline, c.edges)).toEqual(c.baselineCounts);
      expect(binCounts(current, c.edges)).toEqual(c.currentCounts);
    });
    it('divergences of the binned counts', () => {
      expectClose(psi(c.baselineCounts, c.currentCounts), c.psi, 1e-12, 1e-15);
      expectClose(klDivergence(c.baselineCounts, c.currentCounts), c.kl, 1e-12, 1e-15);
      expectClose(jensenShannonDistance(c.baselineCounts, c.currentCounts), c.jensenShannon, 1e-12, 1e-12);
    });
  });

  it('puts deciles of 1..100 at 10, 20, …, 90 and a value equal to an edge in the bin it closes', () => {
    const s = unweighted(Array.from({ length: 100 }, (_, i) => i + 1));
    const edges = quantileBinEdges(s);
    expect(edges).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(binCounts(s, edges)).toEqual(new Array(10).fill(10));
    expect(binCounts(unweighted([10, 10.5]), [10, 20])).toEqual([1, 1, 0]);
  });

  it('gives strictly ascending edges from the sample and counts that keep the total weight', () => {
    fc.assert(
      fc.property(sampleArb, sampleArb, fc.integer({ min: 1, max: 20 }), (base, other, bins) => {
        const edges = quantileBinEdges(base, bins);
        expect(edges.length).toBeLessThanOrEqual(bins - 1);
        for (let i = 1; i < edges.length; i++) expect(edges[i]!).toBeGreaterThan(edges[i - 1]!);
        const values = Array.from(base.values);
        for (const e of edges) expect(values).toContain(e);
        for (const s of [base, other]) {
          const counts = binCounts(s, edges);
          expect(counts).toHaveLength(edges.length + 1);
          const total = Array.from(s.weights).reduce((x, y) => x + y, 0);
          expectClose(
            counts.reduce((x, y) => x + y, 0),
            total,
            1e-12,
          );
        }
      }),
    );
  });

  it.each([0, 2.5, -1])('rejects bins = %d', (bins) => {
    expect(() => quantileBinEdges(unweighted([1, 2]), bins)).toThrow(RangeError);
  });

  it.each([
    ['descending edges', [2, 1]],
    ['repeated edges', [1, 1]],
    ['a NaN edge', [Number.NaN]],
  ])('rejects %s', (_, edges) => {
    expect(() => binCounts(unweighted([1, 2]), edges)).toThrow(RangeError);
  });

  it('rejects an empty sample', () => {
    expect(() => quantileBinEdges(unweighted([]))).toThrow(RangeError);
    expect(() => binCounts(unweighted([]), [1])).toThrow(RangeError);
  });
});
