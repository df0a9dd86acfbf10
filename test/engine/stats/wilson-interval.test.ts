import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../functions/engine/stats/wilson-interval.ts';

interface WilsonCase {
  readonly successes: number;
  readonly n: number;
  readonly low: number;
  readonly high: number;
}
const reference = JSON.parse(
  readFileSync(new URL('../../reference/stats/wilson-reference.json', import.meta.url), 'utf8'),
) as { cases: WilsonCase[] };

describe('wilsonInterval', () => {
  it.each(reference.cases.map((c) => [c.successes, c.n, c]))(
    'matches scipy binomtest(%i, %i).proportion_ci(method="wilson")',
    (k, n, c) => {
      // Act
      const interval = wilsonInterval(k, n);
      // Assess
      expect(interval?.low).toBeCloseTo(c.low, 12);
      expect(interval?.high).toBeCloseTo(c.high, 12);
    },
  );

  it.each([
    ['no trials', 0, 0],
    ['more successes than trials', 5, 4],
    ['negative successes', -1, 4],
    ['a NaN count', Number.NaN, 4],
  ])('rejects %s', (_, k, n) => {
    expect(wilsonInterval(k, n)).toBeUndefined();
  });

  it('contains the observed proportion and stays within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 1_000_000 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([k, n]) => {
          const interval = wilsonInterval(k, n);
          expect(interval).toBeDefined();
          const p = k / n;
          expect(interval!.low).toBeGreaterThanOrEqual(0);
          expect(interval!.high).toBeLessThanOrEqual(1);
          expect(interval!.low).toBeLessThanOrEqual(p + 1e-12);
          expect(interval!.high).toBeGreaterThanOrEqual(p - 1e-12);
        },
      ),
    );
  });
});
