import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { compareCodePoints } from '../../../functions/engine/quality/label-order.ts';
import {
  MulticlassAccumulator,
  type MulticlassMetrics,
  multiclassMetrics,
} from '../../../functions/engine/quality/multiclass-metrics.ts';
import { expectClose, loadReference } from './reference.ts';

interface MulticlassCase {
  name: string;
  yTrue: string[];
  yPred: string[];
  expected: Record<Exclude<keyof MulticlassMetrics, 'confusionMatrix' | 'labels'>, number> & {
    confusionMatrix: number[][];
    labels: string[];
  };
}

const reference = loadReference<{ multiclass: MulticlassCase[] }>('metrics_reference.json');
const rates = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'weightedPrecision',
  'weightedRecall',
  'weightedF1',
] as const;

describe('multiclassMetrics', () => {
  it.each(reference.multiclass)('matches scikit-learn on "$name"', (c) => {
    const got = multiclassMetrics(c.yTrue, c.yPred);
    for (const key of rates) expectClose(got[key], c.expected[key]);
    expect(got.labels).toEqual(c.expected.labels);
    expect(got.confusionMatrix).toEqual(c.expected.confusionMatrix);
  });

  it('returns exactly the documented fields', () => {
    expect(Object.keys(multiclassMetrics(['a'], ['b'])).sort()).toEqual(
      [...rates, 'confusionMatrix', 'labels'].sort(),
    );
  });

  it('orders labels by code point, not UTF-16 unit', () => {
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+FF21 by code point
    expect(['\u{1F600}', '\uFF21'].sort(compareCodePoints)).toEqual(['\uFF21', '\u{1F600}']);
  });

  it('reports NaN rates for an empty window', () => {
    const m = new MulticlassAccumulator().metrics();
    expect(m.accuracy).toBeNaN();
    expect(m.labels).toEqual([]);
  });

  it('rejects non-string labels', () => {
    expect(() => multiclassMetrics([1 as unknown as string], ['1'])).toThrow(InputError);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => multiclassMetrics(['a', 'b'], ['a'])).toThrow(InputError);
  });

  it('merging any split and a JSON round trip give the one-pass metrics', () => {
    const label = fc.constantFrom('x', 'y', 'z', 'w');
    fc.assert(
      fc.property(fc.array(fc.tuple(label, label), { maxLength: 150 }), fc.nat(), (data, cut) => {
        const k = cut % (data.length + 1);
        const whole = new MulticlassAccumulator().addAll(
          data.map(([a]) => a),
          data.map(([, p]) => p),
        );
        const left = new MulticlassAccumulator().addAll(
          data.slice(0, k).map(([a]) => a),
          data.slice(0, k).map(([, p]) => p),
        );
        const right = MulticlassAccumulator.fromJSON(
          JSON.parse(
            JSON.stringify(
              new MulticlassAccumulator().addAll(
                data.slice(k).map(([a]) => a),
                data.slice(k).map(([, p]) => p),
              ),
            ),
          ),
        );
        expect(left.merge(right).metrics()).toEqual(whole.metrics());
      }),
    );
  });
});
