import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovLimitSf, ksPValueAsymptotic } from '../../../functions/engine/stats/ks-asymptotic.ts';

// scipy.stats.kstwo.sf at the same (d, en), from test/reference/stats/make_ks_asymptotic_reference.py
const reference = JSON.parse(readFileSync('test/reference/stats/ks-asymptotic-reference.json', 'utf8')) as {
  cases: Array<{ d: number; n1: number; n2: number; pValue: number }>;
};

describe('ksPValueAsymptotic', () => {
  it.each(reference.cases)(
    'is within 2e-3 absolute of scipy, 5% relative (10% below p = 1e-6), at d=$d, n1=$n1, n2=$n2',
    (c) => {
      const p = ksPValueAsymptotic(c.d, c.n1, c.n2);
      expect(Math.abs(p - c.pValue)).toBeLessThan(2e-3);
      expect(Math.abs(p - c.pValue) / c.pValue).toBeLessThan(c.pValue >= 1e-6 ? 0.05 : 0.1);
    },
  );

  it('joins its two series smoothly and falls from 1 to 0', () => {
    expect(kolmogorovLimitSf(0)).toBe(1);
    expect(Math.abs(kolmogorovLimitSf(1.18 - 1e-9) - kolmogorovLimitSf(1.18))).toBeLessThan(1e-8);
    // the Kolmogorov distribution's 5% critical value is 1.3581
    expect(kolmogorovLimitSf(1.3581)).toBeCloseTo(0.05, 4);
    let previous = 1;
    for (let lambda = 0.1; lambda < 4; lambda += 0.05) {
      const q = kolmogorovLimitSf(lambda);
      expect(q).toBeLessThanOrEqual(previous);
      previous = q;
    }
  });

  it('rejects empty samples', () => {
    expect(() => ksPValueAsymptotic(0.1, 0, 10)).toThrow(RangeError);
  });
});
