import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { makeEmfRunMetrics } from '../../functions/adapters/cloudwatch/emf-run-metrics.ts';
import { QUALITY_METRICS } from '../../functions/shared/config/vocabulary.ts';
import { declaredModelMetrics, declaredStackMetrics } from '../../functions/shared/telemetry.ts';

// the cost model prices the declared lists: the EMF publisher must emit nothing outside them
let written: string[] = [];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

interface Blob {
  Job?: string;
  Model?: string;
  Endpoint?: string;
  _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
}

const emitted = (): { scope: 'stack' | 'model' | 'model-monitor'; job?: string; name: string }[] =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((text) => text.includes('"_aws"'))
    .flatMap((text) => {
      const blob = JSON.parse(text) as Blob;
      const scope =
        blob.Endpoint !== undefined ? 'model-monitor' : blob.Model !== undefined ? 'model' : 'stack';
      return blob._aws.CloudWatchMetrics.flatMap((m) =>
        m.Metrics.map((metric) => ({ scope, job: blob.Job, name: metric.Name }) as const),
      );
    });

const summary = {
  model: 'churn',
  windowStart: new Date('2026-11-23T08:00:00Z'),
  rowCount: 10,
  malformedCount: 0,
  quarantinedObjects: 0,
  violationCount: 1,
  durationMs: 20,
};
const features = ['age', 'plan'];

const publishEveryRun = (modelMonitor: boolean): void => {
  const publisher = makeEmfRunMetrics('ModelCare', { now: () => new Date('2026-11-23T09:00:05Z') });
  publisher.publishRun({
    ...summary,
    job: 'data',
    features: features.map((feature) => ({
      feature,
      drifted: feature === 'age',
      baselineDrift: 0.2,
      completeness: 1,
      extra: { drift_evidence: 3 },
    })),
    ...(modelMonitor ? { modelMonitor: { endpoint: 'churn-endpoint', schedule: 'churn-data' } } : {}),
  });
  // every quality figure a binary model computes: only the declared ones may reach CloudWatch
  publisher.publishRun({
    ...summary,
    job: 'quality',
    modelMetrics: Object.fromEntries(
      [...QUALITY_METRICS.binary, 'estimated_accuracy', 'error_evidence'].map((m) => [m, 0.5]),
    ),
  });
  publisher.publishRun({ ...summary, job: 'baseline' });
  publisher.publishCapture({ model: 'churn', records: 3, at: summary.windowStart });
  publisher.publishRefusal({ model: 'churn', at: summary.windowStart });
};

test('every metric the handlers emit is declared, per model or once for the stack, and nothing more', () => {
  // Act
  publishEveryRun(false);

  // Assess
  const out = emitted();
  const perModel = new Set(out.filter((m) => m.scope === 'model').map((m) => m.name));
  expect(perModel).toEqual(new Set(declaredModelMetrics({ problemType: 'binary' }).map((m) => m.name)));
  expect(perModel.size).toBe(4);
  const stack = new Set(out.filter((m) => m.scope === 'stack').map((m) => `${m.job}/${m.name}`));
  expect(stack).toEqual(new Set(declaredStackMetrics().map((m) => `${m.job}/${m.name}`)));
  expect(out.filter((m) => m.scope === 'model-monitor')).toEqual([]);
});

test("compat.modelMonitorMetrics adds exactly Model Monitor's two metrics per feature to the model's list", () => {
  // Act
  publishEveryRun(true);

  // Assess
  const mirrored = new Set(
    emitted()
      .filter((m) => m.scope === 'model-monitor')
      .map((m) => m.name),
  );
  const declared = declaredModelMetrics({ problemType: 'binary', modelMonitorFeatures: features });
  const plain = new Set(declaredModelMetrics({ problemType: 'binary' }).map((m) => m.name));
  expect(mirrored).toEqual(new Set(declared.map((m) => m.name).filter((name) => !plain.has(name))));
  expect(mirrored.size).toBe(2 * features.length);
});
