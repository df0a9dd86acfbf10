import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hourDifferences } from '../../../functions/engine/ab/hour-differences.ts';
import '../../support/fast-check-seed.ts';

describe('pairing two variants within an hour', () => {
  it.each<[string, number[], number[], number[]]>([
    ['one to one', [1, 0, 1], [0, 0, 1], [-1, 0, 0]],
    ['A larger: A in groups of two', [1, 1, 0, 1], [0, 1], [-1, 0.5]],
    ['B larger: B in groups of 1 and 2', [0, 1], [1, 0, 1], [1, -0.5]],
    ['no labels on one side', [1, 0], [], []],
  ])('%s', (_name, a, b, expected) => {
    expect(hourDifferences(a, b)).toEqual(expected);
  });

  it('uses every record once: the differences average to the hour’s difference of means when groups are equal (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.constantFrom(0, 1), { minLength: 100, maxLength: 100 }),
        fc.array(fc.constantFrom(0, 1), { minLength: 20, maxLength: 20 }),
        (pairs, ratio, poolA, poolB) => {
          const a = poolA.slice(0, pairs * ratio);
          const b = poolB.slice(0, pairs);
          const d = hourDifferences(a, b);
          const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
          expect(d).toHaveLength(pairs);
          expect(mean(d)).toBeCloseTo(mean(b) - mean(a), 12);
          for (const x of d) expect(Math.abs(x)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
