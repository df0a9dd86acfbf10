import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import type { CellValue } from '../../../functions/engine/readers/types.ts';

const cell = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.integer({ min: -50, max: 50 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.integer({ min: -9, max: 9 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }).map((x) => x.toFixed(2)),
  fc.constantFrom('rain', 'sun', 'fog', 'snow', 'drizzle'),
);
const rows = fc.array(fc.tuple(cell, cell, cell), { maxLength: 300 });

const profileOf = (data: CellValue[][]): DatasetProfile => {
  const profile = new DatasetProfile(['a', 'b', 'c']);
  for (const row of data) profile.addRow(row);
  return profile;
};

/** the fields that must merge exactly, as plain data */
const exactView = (profile: DatasetProfile) =>
  profile.features.map((f) => ({
    present: f.present,
    missing: f.missing,
    kinds: f.kinds,
    count: f.numeric.count,
    min: f.numeric.min,
    max: f.numeric.max,
    sum: f.numeric.total,
    mean: f.numeric.average,
    categories: f.categories.entries(),
    other: f.categories.other,
    // below k = 2048 values the sketch holds the data itself, so it must match exactly too
    sample: f.numeric.sketch.toWeightedSample(),
  }));

describe('DatasetProfile', () => {
  it('profiles a small table by hand-checked figures', () => {
    const profile = profileOf([
      ['1', 'rain', null],
      ['2.5', 'sun', ''],
      ['x', 'rain', 4],
    ]);
    const [a, b, c] = profile.features;
    expect(profile.rows).toBe(3);
    expect(a!.inferredType).toBe('String');
    expect(a!.kinds).toEqual({ integral: 1, fractional: 1, string: 1 });
    expect(a!.numeric.total).toBe(3.5);
    expect(b!.inferredType).toBe('String');
    expect(b!.categories.entries()).toEqual([
      ['rain', 2],
      ['sun', 1],
    ]);
    expect(c!.inferredType).toBe('Integral');
    expect(c!.missing).toBe(2);
    expect(c!.present).toBe(1);
  });

  it('merges two parts into exactly the profile of the whole (counts, min, max, sum, mean, categories)', () => {
    fc.assert(
      fc.property(rows, rows, (left, right) => {
        const whole = profileOf([...left, ...right]);
        const merged = profileOf(left).merge(profileOf(right));
        expect(exactView(merged)).toEqual(exactView(whole));
        expect(merged.rows).toBe(whole.rows);
        merged.features.forEach((f, i) => {
          const expected = whole.features[i]!.numeric.populationStdDev;
          const actual = f.numeric.populationStdDev;
          if (Number.isNaN(expected)) expect(actual).toBeNaN();
          else
            expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
        });
      }),
    );
  });

  it('merges associatively and commutatively', () => {
    fc.assert(
      fc.property(rows, rows, rows, (x, y, z) => {
        const leftFirst = profileOf(x).merge(profileOf(y)).merge(profileOf(z));
        const rightFirst = profileOf(x).merge(profileOf(y).merge(profileOf(z)));
        const swapped = profileOf(z).merge(profileOf(y)).merge(profileOf(x));
        expect(exactView(rightFirst)).toEqual(exactView(leftFirst));
        expect(exactView(swapped)).toEqual(exactView(leftFirst));
      }),
      { numRuns: 50 },
    );
  });

  it('survives a JSON round trip unchanged', () => {
    fc.assert(
      fc.property(rows, (data) => {
        const profile = profileOf(data);
        const copy = DatasetProfile.fromJSON(JSON.parse(JSON.stringify(profile.toJSON())));
        expect(exactView(copy)).toEqual(exactView(profile));
      }),
      { numRuns: 50 },
    );
  });

  it('computes the population standard deviation as numpy.std does', () => {
    // numpy.std([2, 4, 4, 4, 5, 5, 7, 9]) == 2.0 (the textbook example)
    const profile = profileOf([2, 4, 4, 4, 5, 5, 7, 9].map((x) => [x, null, null]));
    expect(profile.features[0]!.numeric.populationStdDev).toBe(2);
  });

  it('rejects merging profiles of different columns', () => {
    expect(() => profileOf([]).merge(new DatasetProfile(['a', 'b']))).toThrow(/different columns/);
  });

  it('rejects duplicate column names', () => {
    expect(() => new DatasetProfile(['a', 'a'])).toThrow(/duplicate column name "a"/);
  });
});
