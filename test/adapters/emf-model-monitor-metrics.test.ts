import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { makeEmfRunMetrics } from '../../functions/adapters/cloudwatch/emf-run-metrics.ts';
import type { RunMetrics } from '../../functions/adapters/run-metrics.ts';
import { modelMonitorMetrics } from '../../functions/data-job/model-monitor-metrics.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { modelInput } from '../support/model-fixtures.ts';

/*
 * compat.modelMonitorMetrics: the namespace and dimensions are Model Monitor's as AWS documents them for
 * data-quality monitoring ("aws/sagemaker/Endpoints/data-metrics", dimensions Endpoint and MonitoringSchedule;
 * see /work/shared/fixtures/model-monitor/README.md), not taken from the code under test.
 */

interface EmfBlob {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

let lines: string[] = [];
beforeEach(() => {
  lines = [];
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
  rowCount: 10,
  malformedCount: 0,
  quarantinedObjects: 0,
  violationCount: 0,
  features: [
    { feature: 'age', baselineDrift: 0.42, completeness: 0.99, extra: { psi: 0.3 } },
    { feature: 'plan', baselineDrift: 0.05 },
  ],
  ...overrides,
});

describe("Model Monitor's metrics (compat.modelMonitorMetrics)", () => {
  test("also emits the features' drift and completeness in Model Monitor's namespace and dimensions", () => {
    makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(
      run({ modelMonitor: { endpoint: 'churn-ep', schedule: 'churn-data-quality' } }),
    );
    const compat = blobs().filter(
      (b) => b._aws.CloudWatchMetrics[0]?.Namespace === 'aws/sagemaker/Endpoints/data-metrics',
    );
    expect(compat).toHaveLength(1);
    const blob = compat[0]!;
    expect(blob._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Endpoint', 'MonitoringSchedule']]);
    expect(blob.Endpoint).toBe('churn-ep');
    expect(blob.MonitoringSchedule).toBe('churn-data-quality');
    expect(blob._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name).sort()).toEqual([
      'feature_baseline_drift_age',
      'feature_baseline_drift_plan',
      'feature_non_null_age',
    ]);
    expect(blob.feature_baseline_drift_age).toBe(0.42);
    expect(blob).not.toHaveProperty('Model');
  });

  test.each([
    ['without the setting', {}],
    ['for a quality run', { job: 'quality' as const, modelMonitor: { endpoint: 'e', schedule: 's' } }],
  ])('emits nothing in that namespace %s', (_case, overrides) => {
    makeEmfRunMetrics('ModelCare', { now: () => NOW }).publishRun(run(overrides));
    const namespaces = blobs().map((b) => b._aws.CloudWatchMetrics[0]?.Namespace);
    expect(namespaces).not.toContain('aws/sagemaker/Endpoints/data-metrics');
    expect(namespaces).toContain('ModelCare');
  });

  test.each([
    ['off by default', {}, {}],
    [
      'on, with the imported schedule name',
      { compat: { modelMonitorMetrics: true, monitoringScheduleName: 'churn-dq' } },
      { modelMonitor: { endpoint: 'churn-ep', schedule: 'churn-dq' } },
    ],
    [
      'on, without a schedule name',
      { compat: { modelMonitorMetrics: true } },
      { modelMonitor: { endpoint: 'churn-ep', schedule: 'model-care-churn' } },
    ],
  ])('a model config with compat %s', (_case, extra, expected) => {
    const model = parseModelConfig(
      { ...modelInput('churn'), endpoint: { name: 'churn-ep', variant: 'AllTraffic' }, ...extra },
      'test',
    );
    expect(modelMonitorMetrics(model)).toEqual(expected);
  });
});
