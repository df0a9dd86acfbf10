import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ldexp, log1pmx, roundHalfEven, twoProductError } from '../../../functions/engine/stats/numeric.ts';
import { expectClose } from './reference.ts';

describe('roundHalfEven', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [5000.5, 5000],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999, 2],
    [2.5001, 3],
    [7, 7],
  ])('rounds %d to %d, as numpy', (x, y) => {
    expect(roundHalfEven(x)).toBe(y);
  });
});

describe('twoProductError', () => {
  it('recovers the bits a rounded product lost', () => {
    // (2^27 + 1)² = 2^54 + 2^28 + 1; the nearest double drops the 1
    const a = 2 ** 27 + 1;
    expect(a * a).toBe(2 ** 54 + 2 ** 28);
    expect(twoProductError(a, a)).toBe(1);
    // 0.1·3 exactly (by Python fractions) minus its rounded double
    expect(twoProductError(0.1, 3)).toBe(-2.7755575615628914e-17);
  });

  it('is 0 for products of small integers, which are exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1e6, max: 1e6 }), (a, b) => {
        expect(twoProductError(a, b)).toBe(0);
      }),
    );
  });
});

describe('ldexp', () => {
  it('scales by powers of two beyond the double exponent range', () => {
    expect(ldexp(1, -1074)).toBe(Number.MIN_VALUE);
    expect(ldexp(2 ** 200, -1250)).toBe(2 ** -1050);
    expect(ldexp(2 ** -600, 1500)).toBe(2 ** 900);
    expect(ldexp(3, 0)).toBe(3);
  });
});

describe('log1pmx', () => {
  it('follows −x²/2 + x³/3 − x⁴/4 for tiny x, where log1p(x) − x has no digits left', () => {
    for (const x of [1e-8, -1e-8, 1e-5, -3e-6]) {
      expectClose(log1pmx(x), -(x * x) / 2 + (x * x * x) / 3 - (x * x * x * x) / 4, 1e-14);
    }
  });

  it('agrees with log1p(x) − x where that is well conditioned, on both sides of the 0.5 switch', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.9, max: 10, noNaN: true }), (x) => {
        fc.pre(Math.abs(x) > 0.05);
        expectClose(log1pmx(x), Math.log1p(x) - x, 1e-13);
      }),
    );
  });
});
