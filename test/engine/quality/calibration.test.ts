import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import {
  HistogramCalibrator,
  type HistogramCalibratorJson,
  IsotonicCalibrator,
  type IsotonicCalibratorJson,
} from '../../../functions/engine/quality/calibration.ts';
import { type EstimateModel, expectClose, loadReference } from './reference.ts';

const { models } = loadReference<{ models: EstimateModel[] }>('estimate_reference.json');

describe('IsotonicCalibrator', () => {
  it.each(models)("matches sklearn's IsotonicRegression on $name", (m) => {
    const iso = IsotonicCalibrator.fit(m.reference.scores, m.reference.labels);
    m.analysis.scores.forEach((s, i) => {
      expectClose(iso.calibrate(s), m.isotonic[i]!);
    });
  });

  it('averages tied scores and pools violators', () => {
    const iso = IsotonicCalibrator.fit([0.1, 0.2, 0.2, 0.3, 0.4], [0, 1, 0, 0, 1]);
    // tie at 0.2 -> 0.5; then 0.5 > 0 at 0.3 pools to (0.5*2 + 0)/3
    expect(iso.toJSON()).toEqual({ kind: 'isotonic', x: [0.1, 0.2, 0.3, 0.4], y: [0, 1 / 3, 1 / 3, 1] });
    expect(iso.calibrate(0.35)).toBeCloseTo((1 / 3 + 1) / 2, 15);
    expect(iso.calibrate(0.05)).toBe(0); // clamped to the reference range
    expect(iso.calibrate(2)).toBe(1);
  });

  it('is non-decreasing and stays in [0, 1]', () => {
    const grid = fc.integer({ min: 0, max: 40 }).map((k) => k / 40);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(grid, fc.constantFrom(0, 1)), { minLength: 1, maxLength: 80 }),
        (data) => {
          const iso = IsotonicCalibrator.fit(
            data.map(([s]) => s),
            data.map(([, y]) => y),
          );
          let previous = -1;
          for (let k = 0; k <= 40; k++) {
            const p = iso.calibrate(k / 40);
            expect(p).toBeGreaterThanOrEqual(previous - 1e-15);
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(1);
            previous = p;
          }
        },
      ),
    );
  });

  it('survives a JSON round trip', () => {
    const m = models[0]!;
    const iso = IsotonicCalibrator.fit(m.reference.scores, m.reference.labels);
    const back = IsotonicCalibrator.fromJSON(JSON.parse(JSON.stringify(iso)));
    expect(m.analysis.scores.map((s) => back.calibrate(s))).toEqual(
      m.analysis.scores.map((s) => iso.calibrate(s)),
    );
  });

  it.each([
    ['no reference records', [], []],
    ['a score outside [0, 1]', [1.5], [1]],
    ['a label of 3', [0.5], [3]],
  ])('rejects fitting on %s', (_, scores, labels) => {
    expect(() => IsotonicCalibrator.fit(scores, labels)).toThrow(InputError);
  });

  it('rejects a stored state that is not monotone', () => {
    const bad: IsotonicCalibratorJson = { kind: 'isotonic', x: [0.1, 0.2], y: [0.9, 0.1] };
    expect(() => IsotonicCalibrator.fromJSON(bad)).toThrow(InputError);
  });
});

describe('HistogramCalibrator', () => {
  it.each(models)('matches the numpy histogram binning on $name', (m) => {
    const hist = HistogramCalibrator.fit(m.reference.scores, m.reference.labels, m.histogram.bins);
    expect(hist.toJSON().binMeans.map((v) => (v === null ? null : Number(v.toPrecision(15))))).toEqual(
      m.histogram.binMeans.map((v) => (v === null ? null : Number(v.toPrecision(15)))),
    );
    m.analysis.scores.forEach((s, i) => {
      expectClose(hist.calibrate(s), m.histogram.calibrated[i]!);
    });
  });

  it('leaves scores in an empty bin unchanged and puts 1.0 in the last bin', () => {
    const hist = HistogramCalibrator.fit([0.05, 0.95, 1], [0, 1, 0], 10);
    expect(hist.calibrate(0.55)).toBe(0.55);
    expect(hist.calibrate(1)).toBe(0.5);
  });

  it('survives a JSON round trip', () => {
    const hist = HistogramCalibrator.fit([0.05, 0.95], [0, 1], 4);
    expect(HistogramCalibrator.fromJSON(JSON.parse(JSON.stringify(hist))).toJSON()).toEqual(hist.toJSON());
  });

  it('rejects a bin count that is not a positive integer', () => {
    expect(() => HistogramCalibrator.fit([0.5], [1], 0)).toThrow(InputError);
  });

  it('rejects a stored state with a bin mean above 1', () => {
    const bad: HistogramCalibratorJson = { kind: 'histogram', binMeans: [0.2, 1.5] };
    expect(() => HistogramCalibrator.fromJSON(bad)).toThrow(InputError);
  });
});
