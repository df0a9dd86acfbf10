import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../functions/engine/profile/exact-sum.ts';

const sumOf = (values: number[]): number => {
  const sum = new ExactSum();
  for (const v of values) sum.add(v);
  return sum.value();
};

describe('ExactSum', () => {
  // cases from CPython's test_math.testFsum, whose expected values are exact by construction
  it.each([
    [[], 0],
    [[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 1],
    [[1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50], 1e-100],
    [[2.0 ** 53, -0.5, -(2.0 ** -54)], 2.0 ** 53 - 1.0],
    [[2.0 ** 53, 1.0, 2.0 ** -100], 2.0 ** 53 + 2.0],
    [[2.0 ** 53 + 10.0, 1.0, 2.0 ** -100], 2.0 ** 53 + 12.0],
    [[2.0 ** 53 - 4.0, 0.5, 2.0 ** -54], 2.0 ** 53 - 3.0],
    [[1.7976931348623157e308, -1.7976931348623157e308, 1], 1],
  ])('sums %j to exactly %s', (values, expected) => {
    expect(sumOf(values as number[])).toBe(expected);
  });

  it('gives the same result for every order and every grouping into merged parts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), {
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 59 }),
        (values, cut) => {
          const whole = sumOf(values);
          expect(sumOf([...values].reverse())).toBe(whole);
          const left = new ExactSum();
          const right = new ExactSum();
          values.forEach((v, i) => {
            (i < cut ? left : right).add(v);
          });
          right.addAll(left);
          expect(right.value()).toBe(whole);
          expect(ExactSum.fromJSON(JSON.parse(JSON.stringify(right.toJSON()))).value()).toBe(whole);
        },
      ),
    );
  });
});
