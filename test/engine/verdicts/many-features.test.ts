import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustRunningMaximum,
  eBenjaminiHochberg,
  familyWiseAlarms,
} from '../../../functions/engine/verdicts/many-features.ts';
import { sketchAwareKsPValue } from '../../../functions/engine/verdicts/sketch-ks.ts';
import { verdictsReference } from './support/reference-figures.ts';

describe('decisions across features', () => {
  it.each(verdictsReference.eBH.map((c, i) => [i, c] as const))(
    'e-BH case %s rejects what the reference implementation rejects',
    (_, c) => {
      expect(eBenjaminiHochberg(c.evidence, c.alpha)).toEqual(c.rejected);
    },
  );

  it('family-wise alarms need m/α each', () => {
    expect(familyWiseAlarms([100, 99.9, 5], 0.03)).toEqual([true, false, false]);
  });

  it('e-BH rejects at least what the family-wise rule does (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (e) => {
          const ebh = eBenjaminiHochberg(e, 0.05);
          familyWiseAlarms(e, 0.05).forEach((fw, i) => {
            if (fw) expect(ebh[i]).toBe(true);
          });
        },
      ),
    );
  });

  it('the adjuster integrates to one against 1/x² and maps 1 to 0', () => {
    // ∫_1^X (sqrt(x) − 1)/x² dx = 2 − 2/sqrt(X) − 1 + 1/X → 1, by the trapezoid rule on a log grid
    let integral = 0;
    const steps = 200_000;
    const top = Math.log(1e12);
    for (let i = 0; i < steps; i++) {
      const a = Math.exp((i / steps) * top);
      const b = Math.exp(((i + 1) / steps) * top);
      integral += ((adjustRunningMaximum(a) / a ** 2 + adjustRunningMaximum(b) / b ** 2) / 2) * (b - a);
    }
    expect(integral).toBeCloseTo(1, 4);
    expect(adjustRunningMaximum(1)).toBe(0);
    expect(adjustRunningMaximum(0.5)).toBe(0);
  });
});

describe('the sketch-aware KS p-value', () => {
  it.each(verdictsReference.sketchKs.map((c) => [c.d, c.n1, c.n2, c.exact1, c.exact2, c.p] as const))(
    'D = %s, n = %s and %s (exact %s, %s) gives scipy kstwobign at the reduced D, plus η',
    (d, n1, n2, exact1, exact2, p) => {
      expect(sketchAwareKsPValue(d, { n: n1, exact: exact1 }, { n: n2, exact: exact2 })).toBeCloseTo(p, 8);
    },
  );
});
