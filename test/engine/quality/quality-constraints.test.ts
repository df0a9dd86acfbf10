import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { binaryMetrics } from '../../../functions/engine/quality/binary-metrics.ts';
import { checkQualityConstraints } from '../../../functions/engine/quality/check-quality-constraints.ts';
import { loadQualityConstraints } from '../../../functions/engine/quality/load-quality-constraints.ts';
import { multiclassMetrics } from '../../../functions/engine/quality/multiclass-metrics.ts';
import {
  qualityStatistics,
  readQualityStatistics,
} from '../../../functions/engine/quality/quality-statistics.ts';
import { RegressionAccumulator } from '../../../functions/engine/quality/regression-metrics.ts';
import { suggestQualityConstraints } from '../../../functions/engine/quality/suggest-quality-constraints.ts';
import { expectClose, loadReference } from './reference.ts';

const fixture = (name: string): string =>
  readFileSync(
    fileURLToPath(new URL(`../../reference/quality/model-monitor/model_quality--${name}`, import.meta.url)),
    'utf8',
  );

/** the fixture CSV: header F1..F7,Label,Prediction */
const baseline = (() => {
  const [header, ...lines] = fixture('baseline_dataset.csv').trim().split('\n');
  const cols = header!.split(',');
  const label = cols.indexOf('Label');
  const prediction = cols.indexOf('Prediction');
  const rows = lines.map((l) => l.split(',').map(Number));
  return { actual: rows.map((r) => r[label]!), predicted: rows.map((r) => r[prediction]!) };
})();
const statistics = readQualityStatistics(JSON.parse(fixture('statistics.json')), 'statistics.json');
const mmConstraints = JSON.parse(fixture('constraints.json'));
const sklearn = loadReference<{ fixture: { expected: { r2: number } } }>('metrics_reference.json').fixture;

const fixtureAccumulator = () => new RegressionAccumulator().addAll(baseline.actual, baseline.predicted);

describe('Model Monitor regression fixture', () => {
  it('our mae, mse and rmse equal its statistics file', () => {
    const m = fixtureAccumulator().metrics();
    expect(statistics.problem).toBe('Regression');
    expect(statistics.itemCount).toBe(baseline.actual.length);
    expectClose(m.mae, statistics.values.mae!, 14);
    expectClose(m.mse, statistics.values.mse!, 14);
    expectClose(m.rmse, statistics.values.rmse!, 14);
  });

  it('its r2 is r2_score(prediction, label); ours is the textbook r2_score(label, prediction)', () => {
    const acc = fixtureAccumulator();
    expectClose(acc.modelMonitorR2(), statistics.values.r2!, 14);
    expectClose(acc.metrics().r2, sklearn.expected.r2);
    expect(acc.metrics().r2).toBeCloseTo(-0.3351, 4);
  });

  it("loads its constraints and flags Model Monitor's swapped r2", () => {
    const loaded = loadQualityConstraints(mmConstraints, { file: 'constraints.json' });
    expect(loaded.problem).toBe('Regression');
    expect(loaded.constraints.map((c) => [c.metric, c.key, c.operator])).toEqual([
      ['mae', 'mae', 'GreaterThanThreshold'],
      ['mse', 'mse', 'GreaterThanThreshold'],
      ['rmse', 'rmse', 'GreaterThanThreshold'],
      ['r2', 'r2', 'LessThanThreshold'],
    ]);
    expect(loaded.constraints.find((c) => c.metric === 'r2')?.swappedR2).toBe(true);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain('arguments swapped');
  });

  it('the baseline itself does not violate its own constraints', () => {
    const acc = fixtureAccumulator();
    const loaded = loadQualityConstraints(mmConstraints);
    const result = checkQualityConstraints(acc.metrics(), loaded, { modelMonitorR2: acc.modelMonitorR2() });
    expect(result).toEqual({ violations: [], skipped: [] });
  });

  it('skips the imported r2 when its swapped counterpart is not supplied', () => {
    const result = checkQualityConstraints(
      fixtureAccumulator().metrics(),
      loadQualityConstraints(mmConstraints),
    );
    expect(result.violations).toEqual([]);
    expect(result.skipped.map((s) => s.metric_name)).toEqual(['r2']);
  });

  it("reports worse errors in Model Monitor's violation format", () => {
    const worse = new RegressionAccumulator().addAll(
      baseline.actual,
      baseline.predicted.map((p) => p + 1),
    );
    const result = checkQualityConstraints(worse.metrics(), loadQualityConstraints(mmConstraints), {
      modelMonitorR2: worse.modelMonitorR2(),
    });
    expect(result.violations.map((v) => v.metric_name)).toEqual(['mae', 'mse', 'rmse', 'r2']);
    const mae = result.violations[0]!;
    expect(mae.constraint_check_type).toBe('GreaterThanThreshold');
    expect(mae.description).toBe(
      `Metric mae with ${worse.metrics().mae} was GreaterThanThreshold 0.5040653554420981`,
    );
  });
});

describe('suggestQualityConstraints', () => {
  const binary = binaryMetrics([0.2, 0.6, 0.6, 0.9, 0.1, 0.4], [0, 0, 1, 1, 0, 1]);

  it('sets each threshold to the baseline value, alarming in the worse direction', () => {
    const json = suggestQualityConstraints(binary, 'BinaryClassification');
    expect(json.version).toBe(0);
    expect(json.binary_classification_constraints).toEqual({
      accuracy: { threshold: binary.accuracy, comparison_operator: 'LessThanThreshold' },
      precision: { threshold: binary.precision, comparison_operator: 'LessThanThreshold' },
      recall: { threshold: binary.recall, comparison_operator: 'LessThanThreshold' },
      f1: { threshold: binary.f1, comparison_operator: 'LessThanThreshold' },
      auc: { threshold: binary.aucRoc, comparison_operator: 'LessThanThreshold' },
      true_positive_rate: { threshold: binary.tpr, comparison_operator: 'LessThanThreshold' },
      false_positive_rate: { threshold: binary.fpr, comparison_operator: 'GreaterThanThreshold' },
    });
  });

  it('adds the metrics Model Monitor lacks only when asked', () => {
    const json = suggestQualityConstraints(binary, 'BinaryClassification', { extended: true });
    expect(json.binary_classification_constraints?.log_loss).toEqual({
      threshold: binary.logLoss,
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(json.binary_classification_constraints?.pr_auc?.comparison_operator).toBe('LessThanThreshold');
  });

  it('leaves out a metric that is undefined on the baseline', () => {
    const oneClass = binaryMetrics([0.2, 0.7], [0, 0]);
    expect(
      suggestQualityConstraints(oneClass, 'BinaryClassification').binary_classification_constraints,
    ).not.toHaveProperty('auc');
  });

  it('writes multiclass constraints under Model Monitor names', () => {
    const m = multiclassMetrics(['a', 'b', 'a'], ['a', 'b', 'b']);
    expect(
      Object.keys(
        suggestQualityConstraints(m, 'MulticlassClassification').multiclass_classification_constraints ?? {},
      ),
    ).toEqual(['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1']);
  });

  it('marks its textbook r2 so that loading it back does not flag it as swapped', () => {
    const metrics = fixtureAccumulator().metrics();
    const loaded = loadQualityConstraints(suggestQualityConstraints(metrics, 'Regression'));
    const r2 = loaded.constraints.find((c) => c.metric === 'r2');
    expect(r2?.swappedR2).toBeUndefined();
    expect(r2?.threshold).toBe(metrics.r2);
    expect(loaded.warnings).toEqual([]);
    expect(checkQualityConstraints(metrics, loaded)).toEqual({ violations: [], skipped: [] });
  });

  it('lets the caller force the r2 reading', () => {
    const loaded = loadQualityConstraints(mmConstraints, { r2: 'textbook' });
    expect(loaded.constraints.some((c) => c.swappedR2)).toBe(false);
  });
});

describe('checkQualityConstraints', () => {
  it('skips metrics it cannot evaluate instead of dropping them', () => {
    const oneClass = binaryMetrics([0.2, 0.7], [0, 0]);
    const loaded = loadQualityConstraints({
      version: 0,
      binary_classification_constraints: {
        auc: { threshold: 0.8, comparison_operator: 'LessThanThreshold' },
        f2: { threshold: 0.5, comparison_operator: 'LessThanThreshold' },
        accuracy: { threshold: 0.9, comparison_operator: 'LessThanOrEqualToThreshold' },
      },
    });
    const result = checkQualityConstraints(oneClass, loaded);
    expect(result.skipped.map((s) => s.metric_name)).toEqual(['auc', 'f2']);
    expect(result.violations).toEqual([
      {
        metric_name: 'accuracy',
        constraint_check_type: 'LessThanOrEqualToThreshold',
        description: 'Metric accuracy with 0.5 was LessThanOrEqualToThreshold 0.9',
      },
    ]);
  });

  it.each([
    ['GreaterThanOrEqualToThreshold', 0.5, 1],
    ['GreaterThanThreshold', 0.5, 0],
    ['LessThanThreshold', 0.5, 0],
    ['LessThanOrEqualToThreshold', 0.5, 1],
  ])('%s against a value equal to %s gives %i violation(s)', (operator, threshold, count) => {
    const loaded = loadQualityConstraints({
      version: 0,
      binary_classification_constraints: { accuracy: { threshold, comparison_operator: operator } },
    });
    expect(checkQualityConstraints(binaryMetrics([0.9, 0.9], [1, 0]), loaded).violations).toHaveLength(count);
  });

  it('ignores rounding noise but not a real breach', () => {
    const loaded = loadQualityConstraints({
      version: 0,
      regression_constraints: { mae: { threshold: 0.5, comparison_operator: 'GreaterThanThreshold' } },
    });
    const at = (mae: number) =>
      checkQualityConstraints({ mae, mse: 0, rmse: 0, r2: 1, mape: 0 }, loaded).violations.length;
    expect(at(0.5 + 1e-15)).toBe(0);
    expect(at(0.5 + 1e-6)).toBe(1);
    expect(
      checkQualityConstraints({ mae: 0.5 + 1e-15, mse: 0, rmse: 0, r2: 1, mape: 0 }, loaded, {
        relativeTolerance: 0,
      }).violations,
    ).toHaveLength(1);
  });
});

describe('loadQualityConstraints', () => {
  it.each([
    ['a non-object', 42],
    ['no section', { version: 0 }],
    [
      'two sections',
      {
        regression_constraints: {},
        binary_classification_constraints: {},
      },
    ],
    [
      'an unknown operator',
      { regression_constraints: { mae: { threshold: 1, comparison_operator: 'Above' } } },
    ],
    [
      'a string threshold',
      { regression_constraints: { mae: { threshold: 'NaN', comparison_operator: 'GreaterThanThreshold' } } },
    ],
    ['a metric that is not an object', { regression_constraints: { mae: 3 } }],
  ])('rejects %s', (_, json) => {
    expect(() => loadQualityConstraints(json, { file: 'bad.json' })).toThrow(InputError);
  });

  it('names the file and field in the error', () => {
    expect(() =>
      loadQualityConstraints(
        { regression_constraints: { mae: { threshold: null, comparison_operator: 'GreaterThanThreshold' } } },
        { file: 'c.json' },
      ),
    ).toThrow('c.json field "regression_constraints.mae.threshold"');
  });
});

describe('qualityStatistics', () => {
  it("writes the binary confusion matrix as Model Monitor's docs show it (outer key = true label)", () => {
    // the docs' example: tn 1, fp 2, fn 0, tp 1
    const m = binaryMetrics([0.2, 0.9, 0.8, 0.7], [0, 0, 0, 1]);
    const json = qualityStatistics(m, 'BinaryClassification', 4);
    const section = json.binary_classification_metrics as Record<string, unknown>;
    expect(section.confusion_matrix).toEqual({ '0': { '0': 1, '1': 2 }, '1': { '0': 0, '1': 1 } });
    expect(section.accuracy).toEqual({ value: 0.5, standard_deviation: 'NaN' });
    expect(section.precision).toEqual({ value: 1 / 3, standard_deviation: 'NaN' });
  });

  it('reads back what it writes', () => {
    const m = multiclassMetrics(['x', 'y', 'y'], ['x', 'x', 'y']);
    const back = readQualityStatistics(
      JSON.parse(JSON.stringify(qualityStatistics(m, 'MulticlassClassification', 3))),
    );
    expect(back).toEqual({
      problem: 'MulticlassClassification',
      itemCount: 3,
      values: {
        accuracy: m.accuracy,
        weighted_precision: m.weightedPrecision,
        weighted_recall: m.weightedRecall,
        weighted_f1: m.weightedF1,
      },
    });
  });

  it('rejects a statistics file without a metrics section', () => {
    expect(() => readQualityStatistics({ version: 0 })).toThrow(InputError);
  });
});
