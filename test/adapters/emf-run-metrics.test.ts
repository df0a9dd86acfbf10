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

const dimensionsOf = (blob: EmfBlob | undefined) => blob?._aws.CloudWatchMetrics[0]?.Dimensions;
const namesOf = (blob: EmfBlob | undefined) =>
  blob?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name).sort() ?? [];

describe('EMF run metrics (issue 13: a few per model, the rest per stack)', () => {
  test('a data run: counts once per stack (Job), drifted share and largest evidence per model (Model)', () => {
    const result = makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({
        features: [
          { feature: 'age', baselineDrift: 0.42, drifted: true, extra: { drift_evidence: 31.5 } },
          { feature: 'plan', baselineDrift: 0.05, drifted: false, extra: { drift_evidence: 2 } },
          { feature: 'tenure', drifted: false },
          { feature: 'region', drifted: false },
        ],
      }),
    );
    expect(result).toEqual({ published: 8, skipped: [] });
    const [stack, model, ...rest] = blobs();
    expect(rest).toHaveLength(0);
    expect(stack?._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(dimensionsOf(stack)).toEqual([[METRIC_DIMENSIONS.job]]);
    expect(stack).toMatchObject({
      Job: 'data',
      windowStart: '2026-11-23T08:00:00.000Z',
      rows_processed: 1200,
      malformed_records: 3,
      quarantined_objects: 1,
      constraint_violations: 2,
      run_duration: 2750,
      run_failures: 0,
    });
    expect(stack).not.toHaveProperty('Model');
    expect(dimensionsOf(model)).toEqual([[METRIC_DIMENSIONS.model]]);
    expect(model).toMatchObject({ Model: 'churn', drifted_share: 0.25, max_evidence: 31.5 });
    expect(namesOf(model)).toEqual(['drifted_share', 'max_evidence']);
    expect(model?._aws.Timestamp).toBe(Date.parse('2026-11-23T08:00:00Z'));
    expect(JSON.stringify(blobs())).not.toContain('feature_');
    expect(stack).not.toHaveProperty('service');
  });

  test('a data run of 1,000 features still emits two per-model metrics', () => {
    const features = Array.from({ length: 1000 }, (_, i) => ({
      feature: `f${i}`,
      baselineDrift: i / 1000,
      drifted: i < 100,
    }));
    makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(run({ features }));
    const perModel = blobs().filter((b) => b.Model === 'churn');
    expect(perModel).toHaveLength(1);
    expect(namesOf(perModel[0])).toEqual(['drifted_share']);
    expect(perModel[0]?.drifted_share).toBe(0.1);
  });

  test.each([
    [{ accuracy: 0.91, estimated_accuracy: 0.88, aucRoc: 0.8, f1: 0.7 }, ['accuracy', 'estimated_accuracy']],
    [{ rmse: 3.2, mae: 2.1, r2: 0.6 }, ['rmse']],
  ])('a quality run emits only the primary metric and its estimate per model: %o', (modelMetrics, names) => {
    makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ job: 'quality', features: [], modelMetrics }),
    );
    const model = blobs().find((b) => b.Model === 'churn');
    expect(namesOf(model)).toEqual(names);
  });

  test('each run flushes on its own: nothing of one run leaks into the next', () => {
    const publisher = makeEmfRunMetrics('ModelCare', {
      metrics: new Metrics({ namespace: 'X' }),
      now: () => NOW,
    });
    publisher.publishRun(run({ model: 'a', job: 'quality', features: [], modelMetrics: { accuracy: 0.8 } }));
    publisher.publishRun(run({ model: 'b', job: 'quality', features: [], modelMetrics: {} }));
    const perModel = blobs().filter((b) => b.Model !== undefined);
    expect(perModel.map((b) => b.Model)).toEqual(['a']);
    const stackBlobs = blobs().filter((b) => b.Job === 'quality');
    expect(stackBlobs).toHaveLength(2);
    expect(stackBlobs[1]).not.toHaveProperty('accuracy');
  });

  test('skips non-finite values and reports them instead of emitting nulls', () => {
    const result = makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ job: 'quality', features: [], modelMetrics: { accuracy: Number.NaN, estimated_accuracy: 0.9 } }),
    );
    expect(result.skipped).toEqual(['accuracy: non-finite value NaN']);
    const model = blobs().find((b) => b.Model === 'churn');
    expect(model).not.toHaveProperty('accuracy');
    expect(model?.estimated_accuracy).toBe(0.9);
  });

  test('a failed run emits run_failures 1 per stack and nothing per model', () => {
    makeEmfRunMetrics(undefined, { now: () => NOW }).publishRun(
      run({ failed: true, features: [{ feature: 'age', drifted: true }], modelMetrics: {} }),
    );
    const all = blobs();
    expect(all).toHaveLength(1);
    expect(all[0]?._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
    expect(all[0]).toMatchObject({ Job: 'data', [RUN_METRIC_NAMES.failures]: 1 });
  });

  test.each([
    [
      'captured_records',
      (p: ReturnType<typeof makeEmfRunMetrics>, at: Date) =>
        p.publishCapture({ model: 'churn', records: 7, at }),
      7,
    ],
    [
      'refused_producers',
      (p: ReturnType<typeof makeEmfRunMetrics>, at: Date) => p.publishRefusal({ model: 'churn', at }),
      1,
    ],
  ])('the capture API emits %s once per stack, with Job=capture', (name, publish, value) => {
    const at = new Date('2026-11-23T08:59:00Z');
    const result = publish(makeEmfRunMetrics(METRICS_NAMESPACE, { now: () => NOW }), at);
    expect(result).toEqual({ published: 1, skipped: [] });
    const [blob] = blobs();
    expect(dimensionsOf(blob)).toEqual([[METRIC_DIMENSIONS.job]]);
    expect(blob).toMatchObject({ Job: 'capture', [name]: value });
    expect(blob).not.toHaveProperty('Model');
    expect(blob?._aws.Timestamp).toBe(at.getTime());
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
