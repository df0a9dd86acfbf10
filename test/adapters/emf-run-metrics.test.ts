import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { makeEmfRunMetrics } from '../../functions/adapters/cloudwatch/emf-run-metrics.ts';
import type { RunMetrics } from '../../functions/adapters/run-metrics.ts';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, RUN_METRIC_NAMES } from '../../functions/shared/telemetry.ts';

interface EmfBlob {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  // Powertools writes EMF through its own Console bound to process.stdout
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const blobs = (): EmfBlob[] =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as EmfBlob);

const NOW = new Date('2026-11-23T09:00:05Z');
const run = (overrides: Partial<RunMetrics> = {}): RunMetrics => ({
  model: 'churn',
  job: 'data',
  windowStart: new Date('2026-11-23T08:00:00Z'),
  rowCount: 1200,
  malformedCount: 3,
  quarantinedObjects: 1,
  violationCount: 2,
  durationMs: 2750,
  features: [
    { feature: 'age', baselineDrift: 0.42, completeness: 0.99, extra: { psi: 0.3 } },
    { feature: 'plan', baselineDrift: 0.05 },
  ],
  modelMetrics: { accuracy: 0.91 },
  ...overrides,
});

describe('EMF run metrics', () => {
  test("emits Model Monitor's per-feature names and ours, with Model and Job, at the window start", () => {
    const result = makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(run());
    expect(result).toEqual({ published: 11, skipped: [] });
    const [blob, ...rest] = blobs();
    expect(rest).toHaveLength(0);
    expect(blob?._aws.Timestamp).toBe(Date.parse('2026-11-23T08:00:00Z'));
    expect(blob?._aws.CloudWatchMetrics[0]?.Namespace).toBe('ModelCare');
    expect(blob?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Model', 'Job']]);
    expect(blob).toMatchObject({
      Model: 'churn',
      Job: 'data',
      windowStart: '2026-11-23T08:00:00.000Z',
      rows_processed: 1200,
      malformed_records: 3,
      quarantined_objects: 1,
      constraint_violations: 2,
      run_duration: 2750,
      run_failures: 0,
      feature_baseline_drift_age: 0.42,
      feature_non_null_age: 0.99,
      feature_psi_age: 0.3,
      feature_baseline_drift_plan: 0.05,
      accuracy: 0.91,
    });
    const units = Object.fromEntries(
      blob?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => [m.Name, m.Unit]) ?? [],
    );
    expect(units).toMatchObject({
      rows_processed: 'Count',
      run_duration: 'Milliseconds',
      feature_baseline_drift_age: 'None',
    });
    expect(blob).not.toHaveProperty('service');
  });

  test('splits more than 100 metrics into blobs that all keep the dimensions', () => {
    const features = Array.from({ length: 120 }, (_, i) => ({ feature: `f${i}`, baselineDrift: i / 1000 }));
    const result = makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ features, modelMetrics: {} }),
    );
    expect(result.published).toBe(126);
    const all = blobs();
    expect(all.map((b) => b._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([100, 26]);
    for (const b of all) {
      expect(b.Model).toBe('churn');
      expect(b._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Model', 'Job']]);
    }
    expect(all[1]?.feature_baseline_drift_f119).toBe(0.119);
  });

  test('each run flushes on its own: nothing of one run leaks into the next', () => {
    const publisher = makeEmfRunMetrics('ModelCare', {
      metrics: new Metrics({ namespace: 'X' }),
      now: () => NOW,
    });
    publisher.publishRun(run({ model: 'a', features: [], modelMetrics: { auc: 0.8 } }));
    publisher.publishRun(run({ model: 'b', features: [], modelMetrics: {} }));
    const [first, second] = blobs();
    expect(first?.Model).toBe('a');
    expect(second?.Model).toBe('b');
    expect(second).not.toHaveProperty('auc');
  });

  test('skips non-finite values and reports them instead of emitting nulls', () => {
    const result = makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ features: [{ feature: 'age', baselineDrift: Number.NaN, completeness: 1 }], modelMetrics: {} }),
    );
    expect(result.skipped).toEqual(['feature_baseline_drift_age: non-finite value NaN']);
    const [blob] = blobs();
    expect(blob).not.toHaveProperty('feature_baseline_drift_age');
    expect(blob?.feature_non_null_age).toBe(1);
  });

  test('a failed run emits run_failures 1 under the telemetry contract names and dimensions', () => {
    makeEmfRunMetrics(undefined, { now: () => NOW }).publishRun(
      run({ failed: true, features: [], modelMetrics: {} }),
    );
    const [blob] = blobs();
    expect(blob?._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(blob).toMatchObject({ Model: 'churn', Job: 'data', [RUN_METRIC_NAMES.failures]: 1 });
  });

  test('capture writes emit captured_records with Job=capture', () => {
    const at = new Date('2026-11-23T08:59:00Z');
    const result = makeEmfRunMetrics(METRICS_NAMESPACE, { now: () => NOW }).publishCapture({
      model: 'churn',
      records: 7,
      at,
    });
    expect(result).toEqual({ published: 1, skipped: [] });
    const [blob] = blobs();
    expect(blob?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      [METRIC_DIMENSIONS.model, METRIC_DIMENSIONS.job],
    ]);
    expect(blob).toMatchObject({ Model: 'churn', Job: 'capture', [RUN_METRIC_NAMES.captured]: 7 });
    expect(blob?._aws.Timestamp).toBe(at.getTime());
  });

  test('a refused producer emits refused_producers 1 with Job=capture', () => {
    const at = new Date('2026-11-23T08:59:00Z');
    const result = makeEmfRunMetrics(METRICS_NAMESPACE, { now: () => NOW }).publishRefusal({
      model: 'churn',
      at,
    });
    expect(result).toEqual({ published: 1, skipped: [] });
    const [blob] = blobs();
    expect(blob?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      [METRIC_DIMENSIONS.model, METRIC_DIMENSIONS.job],
    ]);
    expect(blob).toMatchObject({ Model: 'churn', Job: 'capture', refused_producers: 1 });
  });

  test('does not stamp a window older than CloudWatch accepts (a backfill lands at emit time)', () => {
    makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ windowStart: new Date('2026-10-01T00:00:00Z'), features: [], modelMetrics: {} }),
    );
    const [blob] = blobs();
    expect(blob?._aws.Timestamp).not.toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(blob?.windowStart).toBe('2026-10-01T00:00:00.000Z');
  });
});
