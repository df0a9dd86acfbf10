import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from '../../../functions/engine/stats/kolmogorov.ts';
import { ksPValue, ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { unweighted } from '../../../functions/engine/stats/weighted-sample.ts';
import { expectClose, reference, TINY_PROBABILITY } from './reference.ts';

const label = (n1: number, n2: number): string =>
  Math.max(n1, n2) <= 10_000 ? (n1 === n2 ? 'exact square' : 'exact strip') : 'asymptotic kstwo';

describe('ksPValue', () => {
  it.each(reference.ksPValueGrid.map((g) => [label(g.n1, g.n2), g.n1, g.n2, g.d, g.pValue] as const))(
    'matches scipy ks_2samp (%s) for n1=%i n2=%i d=%d',
    (_, n1, n2, d, expected) => {
      expectClose(ksPValue(d, n1, n2), expected, 1e-9, TINY_PROBABILITY);
    },
  );

  it.each(reference.ksSamples.map((c) => [c.name, c]))('matches ks_2samp end to end on data: %s', (_, c) => {
    const a = c.weightsA ? { values: c.a, weights: c.weightsA } : unweighted(c.a);
    const b = c.weightsB ? { values: c.b, weights: c.weightsB } : unweighted(c.b);
    expectClose(ksPValue(ksStatistic(a, b), c.n1, c.n2), c.pValue);
  });

  it('keeps tiny p-values relative, not absolute', () => {
    const tiny = reference.ksSamples.filter((c) => c.pValue < 1e-15);
    expect(tiny.length).toBeGreaterThanOrEqual(3);
    for (const c of tiny) expectClose(ksPValue(c.statistic, c.n1, c.n2), c.pValue, 1e-9, 0);
  });

  it('gives 1 for d <= 0 and the exact 2/C(n1+n2, n1) for d >= 1', () => {
    expect(ksPValue(0, 5, 7)).toBe(1);
    expect(ksPValue(-0.2, 20_000, 30_000)).toBe(1);
    expectClose(ksPValue(1, 2, 3), 2 / 10, 1e-14);
    expectClose(ksPValue(1, 4, 4), 2 / 70, 1e-14);
    expect(ksPValue(1.5, 2, 3)).toBe(ksPValue(1, 2, 3));
    // asymptotic branch: kstwo.sf(1, n) = 0, as the exact value has long underflowed
    expect(ksPValue(1, 20_000, 30_000)).toBe(0);
  });

  it('snaps d to the lattice h/lcm(n1, n2) on the exact branch', () => {
    // lcm(5, 7) = 35: 0.371 → round(12.985) = 13 → 13/35
    expect(ksPValue(0.371, 5, 7)).toBe(ksPValue(13 / 35, 5, 7));
  });

  it('rounds n1·n2/(n1+n2) half to even on the asymptotic branch', () => {
    // en = 10001·10001/20002 = 5000.5 → 5000, as numpy rounds (Math.round would give 5001)
    expect(ksPValue(0.03, 10_001, 10_001)).toBe(kolmogorovSf(5000, 0.03));
    expect(kolmogorovSf(5001, 0.03)).not.toBe(kolmogorovSf(5000, 0.03));
  });

  it('is non-increasing in d and symmetric in the sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const pLo = ksPValue(lo, n1, n2);
          const pHi = ksPValue(hi, n1, n2);
          expect(pHi).toBeLessThanOrEqual(pLo * (1 + 1e-12));
          expect(pLo).toBeGreaterThanOrEqual(0);
          expect(pLo).toBeLessThanOrEqual(1);
          expect(ksPValue(lo, n2, n1)).toBe(pLo);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is non-increasing in d on the asymptotic branch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_001, max: 60_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        (n1, n2, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          expect(ksPValue(hi, n1, n2)).toBeLessThanOrEqual(ksPValue(lo, n1, n2) * (1 + 1e-12));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each([
    ['n1 = 0', 0.1, 0, 5],
    ['n2 = 0', 0.1, 5, 0],
    ['a fractional size', 0.1, 2.5, 5],
    ['a negative size', 0.1, -3, 5],
    ['d = NaN', Number.NaN, 5, 5],
  ])('rejects %s', (_, d, n1, n2) => {
    expect(() => ksPValue(d, n1, n2)).toThrow(RangeError);
  });
});
