import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { makeEmfRunMetrics } from '../../functions/adapters/cloudwatch/emf-run-metrics.ts';
import { QUALITY_METRICS } from '../../functions/shared/config/vocabulary.ts';
import {
  declaredModelMetrics,
  FAIRNESS_METRICS,
  QUALITY_EXTRA_METRICS,
} from '../../functions/shared/telemetry.ts';

// the cost model prices the declared list: the EMF publisher must emit nothing outside it
let written: string[] = [];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const emitted = (): { job: string; name: string }[] =>
  written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((text) => text.includes('"_aws"'))
    .flatMap((text) => {
      const blob = JSON.parse(text) as {
        Job: string;
        _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
      };
      return blob._aws.CloudWatchMetrics.flatMap((m) =>
        m.Metrics.map((metric) => ({ job: blob.Job, name: metric.Name })),
      );
    });

test('every metric the handlers emit for a model is in its declared list', () => {
  // Prepare: a run with every per-feature figure and every quality figure a binary model can have
  const features = ['age', 'plan'];
  const declared = declaredModelMetrics({ features, qualityMetrics: QUALITY_METRICS.binary, fairness: true });
  const publisher = makeEmfRunMetrics('ModelCare', { now: () => new Date('2026-11-23T09:00:05Z') });
  const windowStart = new Date('2026-11-23T08:00:00Z');
  const summary = {
    model: 'churn',
    windowStart,
    rowCount: 10,
    malformedCount: 0,
    quarantinedObjects: 0,
    violationCount: 1,
    durationMs: 20,
  };

  // Act
  publisher.publishRun({
    ...summary,
    job: 'data',
    features: features.map((feature) => ({
      feature,
      baselineDrift: 0.2,
      completeness: 1,
      extra: { drift_evidence: 3 },
    })),
  });
  const qualityFigures = [...QUALITY_METRICS.binary, ...QUALITY_EXTRA_METRICS, ...FAIRNESS_METRICS];
  publisher.publishRun({
    ...summary,
    job: 'quality',
    modelMetrics: Object.fromEntries(qualityFigures.map((m) => [m, 0.5])),
  });
  publisher.publishRun({ ...summary, job: 'baseline' });
  publisher.publishCapture({ model: 'churn', records: 3, at: windowStart });
  publisher.publishRefusal({ model: 'churn', at: windowStart });

  // Assess
  const out = emitted();
  expect(out.length).toBeGreaterThan(0);
  const known = new Set(declared.map((m) => `${m.job}/${m.name}`));
  expect(out.filter((m) => !known.has(`${m.job}/${m.name}`))).toEqual([]);
  // and the list holds nothing that is never emitted
  expect(new Set(out.map((m) => `${m.job}/${m.name}`))).toEqual(known);
});
