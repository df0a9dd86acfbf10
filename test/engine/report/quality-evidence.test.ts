import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BinaryMetrics } from '../../../functions/engine/quality/binary-metrics.ts';
import type { QualityEvaluation } from '../../../functions/engine/quality/evaluate-quality.ts';
import type { PerformanceEstimate } from '../../../functions/engine/quality/performance-estimate.ts';
import { qualityEvidence } from '../../../functions/engine/report/quality-evidence.ts';

const wilsonReference = JSON.parse(
  readFileSync(new URL('../../reference/stats/wilson-reference.json', import.meta.url), 'utf8'),
) as { cases: { successes: number; n: number; low: number; high: number }[] };
const scipy81of263 = wilsonReference.cases.find((c) => c.successes === 81 && c.n === 263)!;

/** binary metrics from a confusion matrix, by the textbook definitions */
const binary = (tn: number, fp: number, fn: number, tp: number): BinaryMetrics => {
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  return {
    accuracy: (tn + tp) / (tn + fp + fn + tp),
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall),
    aucRoc: 0.8,
    prAuc: 0.7,
    logLoss: 0.4,
    brier: 0.1,
    tpr: recall,
    fpr: fp / (fp + tn),
    confusionMatrix: [
      [tn, fp],
      [fn, tp],
    ],
  };
};

const evaluation = (metrics: BinaryMetrics, segments?: Record<string, BinaryMetrics>): QualityEvaluation => ({
  problem: 'binary',
  rows: metrics.confusionMatrix.flat().reduce((a, b) => a + b, 0),
  unmatched: { predictions: 0, labels: 0 },
  duplicateIds: 0,
  invalid: 0,
  metrics,
  ...(segments ? { segments } : {}),
});

describe('qualityEvidence', () => {
  it('gives accuracy with its labels count and the Wilson interval of scipy for the same counts', () => {
    // Prepare: 81 right of 263 (the scipy reference case in test/reference/stats/wilson-reference.json)
    const e = evaluation(binary(40, 100, 82, 41));
    // Act
    const evidence = qualityEvidence(e, { metric: 'accuracy', lowerIsBetter: false });
    // Assess
    expect(evidence?.headline.labelled).toBe(263);
    expect(evidence?.headline.value).toBeCloseTo(81 / 263, 12);
    expect(evidence?.headline.interval?.low).toBeCloseTo(scipy81of263.low, 12);
    expect(evidence?.headline.interval?.high).toBeCloseTo(scipy81of263.high, 12);
  });

  it('gives no interval for a metric that is not a proportion of counted predictions', () => {
    const evidence = qualityEvidence(evaluation(binary(40, 10, 10, 40)), {
      metric: 'aucRoc',
      lowerIsBetter: false,
    });
    expect(evidence?.headline).toEqual({ metric: 'aucRoc', value: 0.8, labelled: 100 });
  });

  it('lists only the segments worse than the whole, worst first, in the metric direction', () => {
    // Prepare: overall accuracy 0.8; segment a 0.6, b 0.9, c 0.7
    const e = evaluation(binary(40, 10, 10, 40), {
      a: binary(3, 2, 2, 3),
      b: binary(45, 5, 5, 45),
      c: binary(35, 15, 15, 35),
    });
    // Act
    const higherBetter = qualityEvidence(e, { metric: 'accuracy', lowerIsBetter: false });
    const lowerBetter = qualityEvidence(e, { metric: 'accuracy', lowerIsBetter: true });
    // Assess
    expect(higherBetter?.segments.map((s) => s.segment)).toEqual(['a', 'c']);
    expect(higherBetter?.segments[0]?.worseBy).toBeCloseTo(0.2, 12);
    expect(higherBetter?.segments[0]?.labelled).toBe(10);
    expect(lowerBetter?.segments.map((s) => s.segment)).toEqual(['b']);
  });

  it('puts the label-free estimate beside the figure with a 1.96-standard-error interval, clipped to [0, 1]', () => {
    const estimate = {
      accuracy: { value: 0.9, standardError: 0.1 },
    } as unknown as PerformanceEstimate;
    const evidence = qualityEvidence(evaluation(binary(40, 10, 10, 40)), {
      metric: 'accuracy',
      lowerIsBetter: false,
      estimate,
    });
    expect(evidence?.estimate?.value).toBe(0.9);
    expect(evidence?.estimate?.interval.low).toBeCloseTo(0.9 - 1.959963984540054 * 0.1, 12);
    expect(evidence?.estimate?.interval.high).toBe(1);
  });

  it('rejects a metric the evaluation does not have', () => {
    expect(
      qualityEvidence(evaluation(binary(1, 1, 1, 1)), { metric: 'rmse', lowerIsBetter: true }),
    ).toBeUndefined();
  });
});
