import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { BinaryAccumulator } from '../../../functions/engine/quality/binary-metrics.ts';
import { fairnessFromSegments, fairnessReport } from '../../../functions/engine/quality/fairness.ts';
import {
  binaryMetricsBySegment,
  multiclassMetricsBySegment,
  regressionMetricsBySegment,
  SegmentedAccumulator,
} from '../../../functions/engine/quality/segments.ts';
import { expectClose, loadReference } from './reference.ts';

interface FairnessReference {
  threshold: number;
  segments: string[];
  labels: number[];
  scores: number[];
  perGroup: Record<
    string,
    Record<'count' | 'accuracy' | 'precision' | 'recall' | 'f1' | 'aucRoc', number | null>
  >;
  positiveRates: Record<string, number>;
  truePositiveRates: Record<string, number>;
  demographicParityDifference: number;
  equalOpportunityDifference: number;
  excludedFromEqualOpportunity: string[];
}

const ref = loadReference<FairnessReference>('fairness_reference.json');

describe('binaryMetricsBySegment', () => {
  const bySegment = binaryMetricsBySegment(ref.scores, ref.labels, ref.segments, ref.threshold);

  it('has one entry per segment value, in code-point order', () => {
    expect(Object.keys(bySegment)).toEqual(Object.keys(ref.perGroup).sort());
  });

  it.each(Object.keys(ref.perGroup))('matches scikit-learn within segment "%s"', (segment) => {
    const got = bySegment[segment]!;
    const want = ref.perGroup[segment]!;
    const [[tn, fp], [fn, tp]] = got.confusionMatrix;
    expect(tn + fp + fn + tp).toBe(want.count);
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'aucRoc'] as const)
      expectClose(got[key], want[key]);
  });

  it('rejects segment arrays of another length', () => {
    expect(() => binaryMetricsBySegment([0.1, 0.2], [0, 1], ['a'])).toThrow(InputError);
  });

  it('rejects a non-string segment value', () => {
    expect(() => binaryMetricsBySegment([0.1], [0], [3 as unknown as string])).toThrow(InputError);
  });
});

describe('fairnessReport', () => {
  const report = fairnessReport(ref.scores, ref.labels, ref.segments, ref.threshold);

  it('matches the numpy demographic parity difference', () => {
    expectClose(report.demographicParityDifference, ref.demographicParityDifference);
    for (const g of report.groups) expectClose(g.positiveRate, ref.positiveRates[g.segment]!);
  });

  it('matches the numpy equal opportunity difference, leaving out a group with no positive', () => {
    expectClose(report.equalOpportunityDifference, ref.equalOpportunityDifference);
    expect(report.excludedFromEqualOpportunity).toEqual(ref.excludedFromEqualOpportunity);
    for (const g of report.groups) {
      if (g.truePositiveRate === null) expect(ref.truePositiveRates[g.segment]).toBeUndefined();
      else expectClose(g.truePositiveRate, ref.truePositiveRates[g.segment]!);
    }
  });

  it('is 0 for a single group and NaN with no data', () => {
    expect(fairnessReport([0.7, 0.2], [1, 0], ['a', 'a']).equalOpportunityDifference).toBe(0);
    expect(fairnessReport([], [], []).demographicParityDifference).toBeNaN();
  });

  it('ignores an empty segment accumulator', () => {
    const report = fairnessFromSegments({
      a: new BinaryAccumulator().addAll([0.9, 0.1], [1, 0]).metrics(),
      empty: new BinaryAccumulator().metrics(),
    });
    expect(report.groups.map((g) => g.segment)).toEqual(['a']);
  });
});

describe('SegmentedAccumulator', () => {
  it('merging any split gives the one-pass per-segment metrics', () => {
    const record = fc.tuple(
      fc.integer({ min: 0, max: 10 }).map((k) => k / 10),
      fc.constantFrom(0, 1),
      fc.constantFrom('x', 'y', 'z'),
    );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 100 }), fc.nat(), (data, cut) => {
        const k = cut % (data.length + 1);
        const fill = (rows: typeof data) => {
          const acc = new SegmentedAccumulator(() => new BinaryAccumulator());
          for (const [s, y, g] of rows) acc.segment(g).add(s, y);
          return acc;
        };
        const whole = fill(data).map((a) => a.metrics());
        const merged = fill(data.slice(0, k))
          .merge(fill(data.slice(k)))
          .map((a) => a.metrics());
        expect(merged).toEqual(whole);
      }),
    );
  });

  it('groups multiclass and regression metrics too', () => {
    const mc = multiclassMetricsBySegment(['a', 'b', 'a'], ['a', 'a', 'a'], ['s', 's', 't']);
    expect(mc.s?.accuracy).toBe(0.5);
    expect(mc.t?.labels).toEqual(['a']);
    const reg = regressionMetricsBySegment([1, 2, 3], [1, 2, 5], ['s', 's', 't']);
    expect(reg.s?.mae).toBe(0);
    expect(reg.t?.mae).toBe(2);
  });
});
