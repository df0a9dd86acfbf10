import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toStatisticsFile } from '../../../functions/engine/baseline/write-statistics.ts';
import { assertFiniteNumbers, NonFiniteNumberError } from '../../../functions/engine/finite-json.ts';
import {
  DatasetProfile,
  type DatasetProfileJson,
} from '../../../functions/engine/profile/dataset-profile.ts';
import { FeatureProfile } from '../../../functions/engine/profile/feature-profile.ts';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../../../functions/engine/profile/profile-sources.ts';
import { MAX_PROFILED_MAGNITUDE } from '../../../functions/engine/profile/value-kind.ts';
import type { CellValue } from '../../../functions/engine/readers/types.ts';
import { chunked } from '../readers/support.ts';

/** every figure a verdict reads from a numeric feature */
const figures = (feature: FeatureProfile) => ({
  present: feature.present,
  kinds: { ...feature.kinds },
  count: feature.numeric.count,
  sum: feature.numeric.total,
  mean: feature.numeric.average,
  std: feature.numeric.populationStdDev,
  min: feature.numeric.min,
  max: feature.numeric.max,
  sample: feature.numeric.sketch.toWeightedSample(),
  categories: feature.categories.entries(),
});

const profileOf = (values: readonly CellValue[]): FeatureProfile => {
  const feature = new FeatureProfile('x');
  for (const value of values) feature.add(value);
  return feature;
};

const GOOD = ['1.5', '3.5', '4.5', '5.5'];

describe('a value that cannot be profiled is a malformed value', () => {
  it.each<[string, CellValue]>([
    ['an overflowing exponent', '1e309'],
    ['a negative overflowing exponent', '-1e309'],
    ['an integer of 400 digits', '9'.repeat(400)],
    ['a finite number past the range', '1e146'],
    ['JSON Infinity (1e309 as JSON.parse gives it)', Number.POSITIVE_INFINITY],
    ['JSON -Infinity', Number.NEGATIVE_INFINITY],
    ['a NaN that reached a cell', Number.NaN],
    ['a finite JSON number past the range', -1e300],
    ...['NaN', 'nan', 'NAN', 'Infinity', '-Infinity', '+inf', 'inf', '-Inf', 'INF', 'infinity'].map(
      (text): [string, CellValue] => [`the spelling ${text}`, text],
    ),
  ])('%s: counted, missing, and outside every figure', (_name, bad) => {
    const clean = profileOf(GOOD);
    const dirty = profileOf([GOOD[0]!, bad, ...GOOD.slice(1)]);
    expect(dirty.malformed).toBe(1);
    expect(dirty.missing).toBe(1);
    expect(figures(dirty)).toEqual(figures(clean));
    // the textbook figures of the four good values
    expect(dirty.numeric.average).toBe(3.75);
    expect(dirty.numeric.populationStdDev).toBeCloseTo(
      Math.sqrt((2.25 ** 2 + 0.25 ** 2 + 0.75 ** 2 + 1.75 ** 2) / 4),
      14,
    );
    expect(dirty.inferredType).toBe('Fractional');
  });

  it.each(['Nan', 'nAn', 'info', 'Inferno', 'in', '1e145', '-1e145'])('keeps %j as what it is', (text) => {
    const feature = profileOf([text]);
    expect(feature.malformed).toBe(0);
    expect(feature.present).toBe(1);
  });

  it('takes the largest magnitude it allows, and no overflow follows from it', () => {
    const extreme = MAX_PROFILED_MAGNITUDE;
    const feature = profileOf(Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? extreme : -extreme)));
    const merged = profileOf([extreme, -extreme])
      .merge(feature)
      .merge(profileOf([-extreme]));
    for (const f of [feature, merged]) {
      expect(Number.isFinite(f.numeric.total)).toBe(true);
      expect(Number.isFinite(f.numeric.populationStdDev)).toBe(true);
    }
    expect(feature.numeric.populationStdDev).toBeCloseTo(extreme, -130);
  });

  it('leaves the figures of the good values as they were, whatever bad values are mixed in', () => {
    const good = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    const bad = fc.oneof(
      fc.constantFrom<CellValue>(
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NaN,
        'NaN',
        '-inf',
        '1e999',
      ),
      fc.double({ min: 1e146, max: 1e300, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(good, fc.option(bad, { nil: undefined }))), (pairs) => {
        const clean = profileOf(pairs.map(([x]) => x));
        const dirty = profileOf(pairs.flatMap(([x, b]) => (b === undefined ? [x] : [b, x])));
        const badCount = pairs.filter(([, b]) => b !== undefined).length;
        expect(figures(dirty)).toEqual(figures(clean));
        expect([dirty.malformed, dirty.missing]).toEqual([badCount, badCount]);
      }),
      { numRuns: 200 },
    );
  });

  it('survives a merge and a JSON round trip, and counts of older profiles read as 0', () => {
    const profile = new DatasetProfile(['x']);
    profile.addRow(['1e309']);
    profile.addRow(['2']);
    const merged = DatasetProfile.fromJSON(JSON.parse(JSON.stringify(profile))).merge(profile);
    expect(merged.features[0]!.malformed).toBe(2);
    expect(merged.malformedValues).toBe(2);
    const older = profile.toJSON();
    delete older.features[0]!.malformed;
    expect(DatasetProfile.fromJSON(older).features[0]!.malformed).toBe(0);
  });
});

describe('profileSources lists each malformed value with its file, line and field', () => {
  it('and uses every other value of the record', async () => {
    const malformed = new MalformedLog();
    const text = 'x,y,cat\n1.5,10,a\n1e309,20,b\n3.5,NaN,a\n';
    const { profile } = await profileSources([{ name: 'w.csv', open: () => chunked(text) }], { malformed });
    expect(profile.rows).toBe(3);
    expect(malformed.count).toBe(0);
    expect(malformed.values).toBe(2);
    expect(malformed.lines()).toEqual([
      'w.csv:3 field "x": "1e309": not a finite number, value skipped',
      'w.csv:4 field "y": "NaN": not a finite number, value skipped',
    ]);
    const [x, y, cat] = profile.features;
    expect([x!.numeric.count, x!.numeric.total]).toEqual([2, 5]);
    expect([y!.numeric.count, y!.numeric.total]).toEqual([2, 30]);
    expect(cat!.present).toBe(3);
  });

  it('from capture lines read on the fast path', async () => {
    const line = (data: string, id: string) =>
      `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"${data}","encoding":"CSV"},"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.5","encoding":"CSV"}},"eventMetadata":{"eventId":"${id}"},"eventVersion":"0"}`;
    const text = [line('1,2', 'a'), line('3,4', 'b'), line('-1e309,6', 'c'), line('7,inf', 'd')].join('\n');
    const malformed = new MalformedLog();
    const { profile } = await profileSources([{ name: 'c.jsonl', open: () => chunked(text) }], {
      malformed,
      schema: { inputNames: ['a', 'b'] },
    });
    expect(profile.rows).toBe(4);
    expect(malformed.lines()).toEqual([
      'c.jsonl:3 field "a": "-1e309": not a finite number, value skipped',
      'c.jsonl:4 field "b": "inf": not a finite number, value skipped',
    ]);
    expect(profile.features.map((f) => f.numeric.total)).toEqual([11, 12, 2]);
  });
});

describe('never written with a non-finite number', () => {
  it('refuses, naming the path, a value JSON would turn into null', () => {
    expect(() => assertFiniteNumbers({ a: [1, { b: Number.NaN }] }, 'a test file')).toThrow(
      new NonFiniteNumberError('a test file', 'a[1].b', Number.NaN),
    );
    expect(() => assertFiniteNumbers({ a: [1, 2], b: null, c: 'Infinity' }, 'x')).not.toThrow();
  });

  it('guards a profile and a statistics file against a bug that lets one through', () => {
    const profile = new DatasetProfile(['x']);
    profile.addRow(['2']);
    // as a future bug might: a figure that is no longer finite
    (profile.features[0]!.numeric as unknown as { m2: number }).m2 = Number.POSITIVE_INFINITY;
    expect(() => profile.toJSON()).toThrow(NonFiniteNumberError);
    expect(() => toStatisticsFile(profile)).toThrow(
      /statistics\.json would be written with Infinity at features\[0\]/,
    );
  });

  it('writes an empty numeric feature without infinities: its extremes are null', () => {
    const profile = new DatasetProfile(['x']);
    profile.addRow([null]);
    const json = profile.toJSON();
    expect(json.features[0]!.numeric).toMatchObject({ count: 0, min: null, max: null });
    expect(DatasetProfile.fromJSON(json).features[0]!.numeric.min).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects a stored profile with a null where a number belongs, as an infinity was once stored', () => {
    const profile = new DatasetProfile(['x']);
    profile.addRow(['2']);
    const damaged = JSON.parse(JSON.stringify(profile)) as DatasetProfileJson;
    (damaged.features[0]!.numeric as { mean: number | null }).mean = null;
    expect(() => DatasetProfile.fromJSON(damaged)).toThrow(/damaged numeric profile/);
  });
});
