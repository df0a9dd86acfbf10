import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareContingency, chiSquareSf } from '../../../functions/engine/stats/chi-square.ts';
import { expectClose, reference } from './reference.ts';

describe('chiSquareSf', () => {
  it.each(reference.chiSquareSf.map((g) => [g.dof, g.x, g.sf] as const))(
    'matches scipy chi2.sf with dof=%i at x=%d',
    (dof, x, sf) => {
      expectClose(chiSquareSf(x, dof), sf, 1e-9, 1e-300);
    },
  );

  it.each(reference.highPrecision.chiSquareSf.map((g) => [g.dof, g.x, g.sf] as const))(
    'is within 2e-13 of mpmath with dof=%i at x=%d',
    (dof, x, sf) => {
      expectClose(chiSquareSf(x, dof), sf, 2e-13);
    },
  );

  it('gives 1 at and below 0, and e^(−x/2) for 2 degrees of freedom', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-2, 3)).toBe(1);
    expectClose(chiSquareSf(7, 2), Math.exp(-3.5), 1e-15);
  });

  it.each([
    ['dof = 0', 1, 0],
    ['negative dof', 1, -2],
    ['infinite dof', 1, Number.POSITIVE_INFINITY],
    ['x = NaN', Number.NaN, 2],
  ])('rejects %s', (_, x, dof) => {
    expect(() => chiSquareSf(x, dof)).toThrow(RangeError);
  });
});

describe('chiSquareContingency', () => {
  it.each(reference.chiSquareContingency.map((c) => [c.name, c]))(
    'matches scipy chi2_contingency(correction=False): %s',
    (_, c) => {
      const result = chiSquareContingency(c.a, c.b);
      expect(result.dof).toBe(c.dof);
      expectClose(result.statistic, c.statistic, 1e-12, 1e-12);
      expectClose(result.pValue, c.pValue);
    },
  );

  it('drops columns empty in both samples and degenerates to (0, 1, 0) below two columns', () => {
    expect(chiSquareContingency([4, 0, 6], [5, 0, 5])).toEqual(chiSquareContingency([4, 6], [5, 5]));
    expect(chiSquareContingency([3, 0], [9, 0])).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  it('is invariant to swapping the samples and permuting categories, and scales with the counts', () => {
    const countsArb = fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 2, maxLength: 12 });
    fc.assert(
      fc.property(countsArb, countsArb, fc.integer({ min: 2, max: 9 }), (a0, b0, factor) => {
        const k = Math.min(a0.length, b0.length);
        const a = a0.slice(0, k);
        const b = b0.slice(0, k);
        const base = chiSquareContingency(a, b);
        expectClose(chiSquareContingency(b, a).statistic, base.statistic, 1e-12, 1e-12);
        expectClose(
          chiSquareContingency([...a].reverse(), [...b].reverse()).statistic,
          base.statistic,
          1e-12,
          1e-12,
        );
        const scaled = chiSquareContingency(
          a.map((x) => x * factor),
          b.map((x) => x * factor),
        );
        expectClose(scaled.statistic, base.statistic * factor, 1e-12, 1e-12);
        expect(base.pValue).toBeGreaterThanOrEqual(0);
        expect(base.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });

  it.each([
    ['different lengths', [1, 2], [1, 2, 3]],
    ['a negative count', [1, -2], [1, 2]],
    ['a NaN count', [1, Number.NaN], [1, 2]],
    ['an empty sample', [0, 0], [1, 2]],
  ])('rejects %s', (_, a, b) => {
    expect(() => chiSquareContingency(a, b)).toThrow(RangeError);
  });
});
