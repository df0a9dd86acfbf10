import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jensenShannonDistance,
  klDivergence,
  linfDistance,
  PROPORTION_EPSILON,
  psi,
  smoothedProportions,
} from '../../../functions/engine/stats/divergences.ts';
import { expectClose, reference } from './reference.ts';

const countsPairArb = fc
  .integer({ min: 1, max: 15 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: k, maxLength: k }),
      fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: k, maxLength: k }),
    ),
  )
  .filter(([p, q]) => p.some((x) => x > 0) && q.some((x) => x > 0));

describe('histogram divergences', () => {
  it('use the smoothing epsilon the reference used', () => {
    expect(PROPORTION_EPSILON).toBe(reference.proportionEpsilon);
  });

  describe.each(reference.divergences.map((c) => [c.name, c]))('match the reference: %s', (_, c) => {
    it('linf (numpy)', () => expectClose(linfDistance(c.p, c.q), c.linf, 1e-12, 1e-15));
    it('psi (numpy, documented smoothing)', () => expectClose(psi(c.p, c.q), c.psi, 1e-12, 1e-15));
    it('kl (scipy entropy of the smoothed proportions)', () =>
      expectClose(klDivergence(c.p, c.q), c.kl, 1e-12, 1e-15));
    it('jensen-shannon (scipy jensenshannon)', () =>
      expectClose(jensenShannonDistance(c.p, c.q), c.jensenShannon, 1e-12, 1e-12));
  });

  it('smooths by flooring proportions at epsilon and renormalising', () => {
    const s = smoothedProportions([0, 1, 3]);
    const floored = [PROPORTION_EPSILON, 0.25, 0.75];
    const total = floored.reduce((x, y) => x + y, 0);
    for (const [i, f] of floored.entries()) expectClose(s[i]!, f / total, 1e-15);
  });

  it('are zero for proportional histograms and keep their ranges and symmetries', () => {
    fc.assert(
      fc.property(countsPairArb, fc.integer({ min: 1, max: 7 }), ([p, q], factor) => {
        const scaled = p.map((x) => x * factor);
        expect(linfDistance(p, scaled)).toBeLessThanOrEqual(1e-15);
        expect(Math.abs(psi(p, scaled))).toBeLessThanOrEqual(1e-14);
        expect(Math.abs(klDivergence(p, scaled))).toBeLessThanOrEqual(1e-14);
        expect(jensenShannonDistance(p, scaled)).toBeLessThanOrEqual(1e-7);

        const js = jensenShannonDistance(p, q);
        expect(js).toBe(jensenShannonDistance(q, p));
        expect(js).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-15);
        expectClose(psi(p, q), psi(q, p), 1e-12, 1e-15);
        expect(psi(p, q)).toBeGreaterThanOrEqual(0);
        expect(klDivergence(p, q)).toBeGreaterThanOrEqual(-1e-15);
        const linf = linfDistance(p, q);
        expect(linf).toBeGreaterThanOrEqual(0);
        expect(linf).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('give the known values of disjoint histograms', () => {
    expect(linfDistance([5, 0], [0, 5])).toBe(1);
    expectClose(jensenShannonDistance([5, 0], [0, 5]), Math.sqrt(Math.LN2), 1e-15);
  });

  it.each([
    ['different lengths', [1, 2], [1, 2, 3]],
    ['no bins', [], []],
    ['an all-zero histogram', [0, 0], [1, 2]],
    ['a negative count', [1, -1], [1, 2]],
    ['a NaN count', [1, Number.NaN], [1, 2]],
  ])('reject %s', (_, p, q) => {
    for (const f of [linfDistance, psi, klDivergence, jensenShannonDistance]) {
      expect(() => f(p, q)).toThrow(RangeError);
      expect(() => f(q, p)).toThrow(RangeError);
    }
  });
});
