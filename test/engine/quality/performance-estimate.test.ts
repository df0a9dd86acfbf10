import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { binaryMetrics } from '../../../functions/engine/quality/binary-metrics.ts';
import { IsotonicCalibrator } from '../../../functions/engine/quality/calibration.ts';
import {
  estimateBinaryPerformance,
  estimateFromProbabilities,
  PerformanceEstimator,
} from '../../../functions/engine/quality/performance-estimate.ts';
import { type EstimateModel, loadReference } from './reference.ts';

const { models } = loadReference<{ models: EstimateModel[] }>('estimate_reference.json');
const metricNames = ['accuracy', 'precision', 'recall', 'f1'] as const;

/** every (model, chunk) pair of the breast-cancer reference */
const chunkCases = models.flatMap((m) =>
  m.chunks.map((c) => ({ model: m, chunk: c, label: `${m.name} [${c.start}, ${c.end})` })),
);

const isotonicFor = (m: EstimateModel) => IsotonicCalibrator.fit(m.reference.scores, m.reference.labels);

describe('estimateBinaryPerformance on breast cancer (logistic regression, out-of-fold scores)', () => {
  it.each(chunkCases)(
    'with isotonic calibration, is within 3 standard errors of the realised metrics on $label',
    ({ model, chunk }) => {
      const scores = model.analysis.scores.slice(chunk.start, chunk.end);
      const estimate = estimateBinaryPerformance(scores, {
        threshold: model.threshold,
        calibrator: isotonicFor(model),
      });
      expect(estimate.count).toBe(50);
      for (const name of metricNames) {
        const { value, standardError } = estimate[name];
        expect(Math.abs(value - chunk.realised[name])).toBeLessThanOrEqual(3 * standardError + 1e-12);
      }
    },
  );

  it.each(models[0]!.chunks)(
    'the default model is calibrated enough to be within 3 SE uncalibrated, [$start, $end)',
    (chunk) => {
      const model = models[0]!;
      const estimate = estimateBinaryPerformance(model.analysis.scores.slice(chunk.start, chunk.end));
      for (const name of metricNames) {
        const { value, standardError } = estimate[name];
        expect(Math.abs(value - chunk.realised[name])).toBeLessThanOrEqual(3 * standardError);
      }
    },
  );

  it('calibration removes most of the bias of the under-confident model (C = 0.01)', () => {
    const model = models.find((m) => m.name === 'logistic-C0.01')!;
    const iso = isotonicFor(model);
    let rawError = 0;
    let calibratedError = 0;
    for (const chunk of model.chunks) {
      const scores = model.analysis.scores.slice(chunk.start, chunk.end);
      const realised = chunk.realised.accuracy;
      rawError += Math.abs(estimateBinaryPerformance(scores).accuracy.value - realised);
      calibratedError += Math.abs(
        estimateBinaryPerformance(scores, { calibrator: iso }).accuracy.value - realised,
      );
    }
    expect(calibratedError).toBeLessThan(rawError / 2);
  });

  it('the decisions come from the raw scores, the expectations from the calibrated ones', () => {
    const model = models[0]!;
    const scores = model.analysis.scores.slice(0, 50);
    const est = estimateBinaryPerformance(scores, { calibrator: isotonicFor(model) });
    const predictedPositive = scores.filter((s) => s >= 0.5).length;
    const [[, efp], [, etp]] = est.expectedConfusionMatrix;
    expect(efp + etp).toBeCloseTo(predictedPositive, 12);
  });
});

/** a small seeded generator (mulberry32), so the simulation below is reproducible */
const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('PerformanceEstimator', () => {
  it('is unbiased, and its standard errors match the spread of simulated labels', () => {
    const random = mulberry32(7);
    const p = Array.from({ length: 400 }, () => random());
    const predicted = p.map((x) => (x >= 0.5 ? 1 : 0));
    const estimate = estimateFromProbabilities(p, predicted);
    const draws: Record<(typeof metricNames)[number], number[]> = {
      accuracy: [],
      precision: [],
      recall: [],
      f1: [],
    };
    for (let r = 0; r < 2000; r++) {
      const labels = p.map((x) => (random() < x ? 1 : 0));
      const realised = binaryMetrics(
        predicted.map((y) => y),
        labels,
        0.5,
      );
      for (const name of metricNames) draws[name].push(realised[name]);
    }
    for (const name of metricNames) {
      const xs = draws[name];
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
      const { value, standardError } = estimate[name];
      // the mean of 2000 draws is within about 4 of its own standard errors of the estimate
      expect(Math.abs(mean - value)).toBeLessThan(4 * (sd / Math.sqrt(xs.length)) + 0.002);
      expect(standardError / sd).toBeGreaterThan(0.9);
      expect(standardError / sd).toBeLessThan(1.1);
    }
  });

  it('is exact with certain probabilities', () => {
    const est = estimateFromProbabilities([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]);
    expect(est.expectedConfusionMatrix).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(est.accuracy).toEqual({ value: 0.6, standardError: 0 });
    expect(est.precision).toEqual({ value: 2 / 3, standardError: 0 });
  });

  it('reports 0 with no error where a denominator is 0, and NaN when empty', () => {
    const est = estimateFromProbabilities([0.3, 0.2], [0, 0]);
    expect(est.precision).toEqual({ value: 0, standardError: 0 });
    expect(new PerformanceEstimator().estimate().accuracy.value).toBeNaN();
  });

  it('merging any split and a JSON round trip give the one-pass estimate', () => {
    const p = fc.integer({ min: 0, max: 100 }).map((k) => k / 100);
    fc.assert(
      fc.property(fc.array(p, { maxLength: 120 }), fc.nat(), (ps, cut) => {
        const k = cut % (ps.length + 1);
        const whole = new PerformanceEstimator();
        for (const x of ps) whole.add(x);
        const left = new PerformanceEstimator();
        const right = new PerformanceEstimator();
        ps.forEach((x, i) => {
          (i < k ? left : right).add(x);
        });
        const restored = PerformanceEstimator.fromJSON(JSON.parse(JSON.stringify(right)));
        expect(left.merge(restored).estimate()).toEqual(whole.estimate());
      }),
    );
  });

  it.each([
    ['a probability above 1', () => new PerformanceEstimator().add(1.2)],
    ['a decision of 2', () => new PerformanceEstimator().add(0.4, 2)],
    ['a NaN score', () => estimateBinaryPerformance([Number.NaN])],
    ['mismatched arrays', () => estimateFromProbabilities([0.1], [])],
    [
      'merging different thresholds',
      () => new PerformanceEstimator(0.5).merge(new PerformanceEstimator(0.7)),
    ],
  ])('rejects %s', (_, call) => {
    expect(call).toThrow(InputError);
  });
});
