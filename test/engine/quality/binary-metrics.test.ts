import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import {
  BinaryAccumulator,
  type BinaryMetrics,
  binaryMetrics,
} from '../../../functions/engine/quality/binary-metrics.ts';
import { expectClose, loadReference } from './reference.ts';

interface BinaryCase {
  name: string;
  threshold: number;
  labels: number[];
  scores: number[];
  expected: Record<Exclude<keyof BinaryMetrics, 'confusionMatrix'>, number | null> & {
    confusionMatrix: number[][];
  };
}

const reference = loadReference<{ binary: BinaryCase[] }>('metrics_reference.json');
const rates = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'aucRoc',
  'prAuc',
  'logLoss',
  'brier',
  'tpr',
  'fpr',
] as const;

describe('binaryMetrics', () => {
  it.each(reference.binary)('matches scikit-learn on "$name"', (c) => {
    const got = binaryMetrics(c.scores, c.labels, c.threshold);
    for (const key of rates) expectClose(got[key], c.expected[key]);
    expect(got.confusionMatrix).toEqual(c.expected.confusionMatrix);
  });

  it('returns exactly the documented fields', () => {
    expect(Object.keys(binaryMetrics([0.2, 0.8], [0, 1])).sort()).toEqual(
      [...rates, 'confusionMatrix'].sort(),
    );
  });

  it('treats a score equal to the threshold as positive', () => {
    expect(binaryMetrics([0.5], [1], 0.5).confusionMatrix).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('accepts boolean labels', () => {
    expect(binaryMetrics([0.9, 0.1], [true, false]).accuracy).toBe(1);
  });

  it('reports NaN rates for an empty window', () => {
    const m = new BinaryAccumulator().metrics();
    expect(m.accuracy).toBeNaN();
    expect(m.aucRoc).toBeNaN();
    expect(m.confusionMatrix).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it.each([
    ['a score above 1', [1.2], [1]],
    ['a negative score', [-0.1], [0]],
    ['a NaN score', [Number.NaN], [0]],
    ['a label of 2', [0.4], [2]],
  ])('rejects %s', (_, scores, labels) => {
    expect(() => binaryMetrics(scores, labels)).toThrow(InputError);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => binaryMetrics([0.1, 0.2], [0])).toThrow(InputError);
  });

  it('rejects merging accumulators with different thresholds', () => {
    expect(() => new BinaryAccumulator(0.5).merge(new BinaryAccumulator(0.6))).toThrow(InputError);
  });

  it('rejects a stored state whose counts do not add up', () => {
    const json = new BinaryAccumulator().addAll([0.2, 0.7], [0, 1]).toJSON();
    expect(() => BinaryAccumulator.fromJSON({ ...json, tp: 5 })).toThrow(InputError);
  });
});

describe('BinaryAccumulator merge and persistence', () => {
  const records = fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 20 }).map((k) => k / 20),
      fc.constantFrom(0, 1),
    ),
    { minLength: 1, maxLength: 200 },
  );

  it('merging any split gives the one-pass metrics', () => {
    fc.assert(
      fc.property(records, fc.nat(), (data, cut) => {
        const k = cut % (data.length + 1);
        const whole = new BinaryAccumulator(0.5);
        for (const [s, y] of data) whole.add(s, y);
        const left = new BinaryAccumulator(0.5);
        const right = new BinaryAccumulator(0.5);
        data.forEach(([s, y], i) => {
          (i < k ? left : right).add(s, y);
        });
        expect(left.merge(right).metrics()).toEqual(whole.metrics());
      }),
    );
  });

  it('survives a JSON round trip', () => {
    fc.assert(
      fc.property(records, (data) => {
        const acc = new BinaryAccumulator(0.35);
        for (const [s, y] of data) acc.add(s, y);
        const back = BinaryAccumulator.fromJSON(JSON.parse(JSON.stringify(acc)));
        expect(back.metrics()).toEqual(acc.metrics());
        expect(back.count).toBe(data.length);
      }),
    );
  });

  it('AUC equals the Mann-Whitney probability that a positive outranks a negative (ties count half)', () => {
    fc.assert(
      fc.property(records, (data) => {
        const pos = data.filter(([, y]) => y === 1).map(([s]) => s);
        const neg = data.filter(([, y]) => y === 0).map(([s]) => s);
        fc.pre(pos.length > 0 && neg.length > 0);
        let wins = 0;
        for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
        const auc = binaryMetrics(
          data.map(([s]) => s),
          data.map(([, y]) => y),
        ).aucRoc;
        expect(auc).toBeCloseTo(wins / (pos.length * neg.length), 12);
      }),
    );
  });
});
