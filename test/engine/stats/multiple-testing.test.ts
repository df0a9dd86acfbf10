import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../functions/engine/stats/multiple-testing.ts';
import { expectClose, reference } from './reference.ts';

describe('benjaminiHochberg', () => {
  it.each(reference.benjaminiHochberg.map((c, i) => [i, c]))(
    'matches the statsmodels fdr_bh rule (numpy), case %i',
    (_, c) => {
      const adjusted = benjaminiHochberg(c.pValues);
      expect(adjusted).toHaveLength(c.adjusted.length);
      for (const [i, a] of adjusted.entries()) expectClose(a, c.adjusted[i]!, 1e-15);
    },
  );

  it('works the textbook example', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([0.02, 0.04, 0.04, 0.02]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('never lowers a p-value, caps at 1 and keeps the order of the p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (ps) => {
        const adjusted = benjaminiHochberg(ps);
        ps.forEach((p, i) => {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]!).toBeLessThanOrEqual(1);
          ps.forEach((q, j) => {
            if (p < q) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!);
          });
        });
      }),
    );
  });

  it.each([
    ['a negative value', [0.1, -0.1]],
    ['a value above 1', [1.5]],
    ['NaN', [Number.NaN]],
  ])('rejects %s', (_, ps) => {
    expect(() => benjaminiHochberg(ps)).toThrow(RangeError);
  });
});
