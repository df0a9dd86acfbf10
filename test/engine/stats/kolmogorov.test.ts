import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from '../../../functions/engine/stats/kolmogorov.ts';
import { smirnovSf } from '../../../functions/engine/stats/smirnov.ts';
import { expectClose, reference, TINY_PROBABILITY } from './reference.ts';

describe('kolmogorovSf (scipy.stats.kstwo.sf)', () => {
  const branches = [...new Set(reference.kstwoSf.map((g) => g.branch))];

  it('covers every branch of scipy _kolmogn', () => {
    expect(branches.sort()).toEqual(
      [
        '2*smirnov',
        '2*smirnov (x>=0.5)',
        'durbin',
        'pelz-good',
        'pomeranz',
        'ruben-gambino high',
        'ruben-gambino low',
        't<=0.5',
        'x<=0',
        'x>=1',
        'zero',
      ].sort(),
    );
  });

  it.each(reference.kstwoSf.map((g) => [g.branch, g.n, g.x, g.sf] as const))(
    'matches scipy on the %s branch: n=%i x=%d',
    (_, n, x, sf) => {
      expectClose(kolmogorovSf(n, x), sf, 1e-9, TINY_PROBABILITY);
    },
  );

  it('is a survival function: 1 at 0, 0 at 1, non-increasing in between', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const sLo = kolmogorovSf(n, lo);
          expect(sLo).toBeGreaterThanOrEqual(0);
          expect(sLo).toBeLessThanOrEqual(1);
          expect(kolmogorovSf(n, hi)).toBeLessThanOrEqual(sLo * (1 + 1e-12));
        },
      ),
      { numRuns: 300 },
    );
    expect(kolmogorovSf(7, 0)).toBe(1);
    expect(kolmogorovSf(7, 1)).toBe(0);
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects n = %d', (n) => {
    expect(() => kolmogorovSf(n, 0.1)).toThrow(RangeError);
  });
});

describe('smirnovSf (scipy.special.smirnov)', () => {
  it.each(reference.smirnovSf.map((g) => [g.n, g.x, g.sf] as const))(
    'matches scipy: n=%i x=%d',
    (n, x, sf) => {
      expectClose(smirnovSf(n, x), sf, 1e-9, TINY_PROBABILITY);
    },
  );

  it('is NaN outside its domain, as scipy', () => {
    expect(smirnovSf(5, -0.1)).toBeNaN();
    expect(smirnovSf(5, 1.1)).toBeNaN();
    expect(smirnovSf(0, 0.5)).toBeNaN();
  });
});
