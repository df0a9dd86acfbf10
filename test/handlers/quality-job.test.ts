import { describe, expect, test } from 'vitest';
import type { EndpointHealth, EndpointMetrics } from '../../functions/adapters/endpoint-metrics.ts';
import { severityOf } from '../../functions/alert-router/severity-policy.ts';
import { Adwin, Ddm, PageHinkley } from '../../functions/engine/quality/index.ts';
import { makeGroundTruthIngestHandler } from '../../functions/ground-truth-ingest/ground-truth-ingest.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import { type Detection, feedErrors } from '../../functions/quality-job/concept-drift.ts';
import { makeQualityJobHandler } from '../../functions/quality-job/quality-job.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import {
  churnModel,
  type Prediction,
  seeded,
  writeCapture,
  writeLabels,
} from './support/quality-fixtures.ts';
import { scheduleEvent } from './support/seattle.ts';

const env = useHandlerEnvironment();

const qualityJob = (now: string, options: { segment?: string; endpointMetrics?: EndpointMetrics } = {}) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  const handler = makeQualityJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    detectors: adapters.detectors,
    registry: adapters.registry,
    events,
    metrics,
    now: () => new Date(now),
    logger: recordingLogger(),
    minLabelled: 10,
    ...(options.segment ? { segmentFeatureOf: () => options.segment } : {}),
    ...(options.endpointMetrics ? { endpointMetrics: options.endpointMetrics } : {}),
  });
  return { handler, events, metrics, adapters };
};

const reevaluation = (model: ModelConfig, window: { start: string; end: string }, time: string) => ({
  model: nameOf(model),
  trigger: {
    id: `re-${time}`,
    source: 'model-care',
    detailType: DETAIL_TYPES.qualityEvaluationRequested,
    time,
    detail: { model: model.name, window, reason: 'labels arrived' },
  },
});

const objectCreated = (model: ModelConfig, key: string, time: string) => ({
  model: nameOf(model),
  trigger: {
    id: `s3-${key}`,
    source: 'aws.s3',
    detailType: 'Object Created',
    time,
    detail: { bucket: { name: BUCKET }, object: { key, size: 10 } },
  },
});

/** predictions whose class (score >= 0.5) is right with the given probability */
const predictionsFor = (prefix: string, count: number, rightShare: number, random: () => number) =>
  Array.from({ length: count }, (_, i) => {
    const label = random() < 0.5 ? 1 : 0;
    const right = random() < rightShare;
    const predicted = right ? label : 1 - label;
    const score = predicted === 1 ? 0.55 + random() * 0.4 : 0.05 + random() * 0.4;
    const prediction: Prediction = {
      id: `${prefix}-${i}`,
      score,
      region: i % 2 === 0 ? 'north' : 'south',
      tenure: i % 48,
    };
    return { prediction, label, error: Number(predicted !== label) };
  });

describe('late labels', () => {
  test('labels arriving after a first evaluation re-open the window and change its metrics', async () => {
    const model = churnModel('late-labels', {
      thresholds: { quality: { accuracy: { threshold: 0.8, comparisonOperator: 'LessThanThreshold' } } },
    });
    const random = seeded(7);
    const good = predictionsFor('a', 100, 0.95, random);
    const bad = predictionsFor('b', 100, 0.3, random);
    const adapters = env.adapters();
    await writeCapture(
      adapters.store,
      model,
      [...good, ...bad].map((p) => p.prediction),
      '2026-03-01T10:05:00Z',
    );
    await writeLabels(
      adapters.store,
      model.name,
      good.map((p) => ({ id: p.prediction.id, label: p.label })),
      '2026-03-01T20:00:00Z',
    );

    const first = await qualityJob('2026-03-02T00:10:00Z').handler(
      scheduleEvent(model, '2026-03-02T00:10:00Z'),
    );
    expect(first).toMatchObject({
      window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
      status: 'ok',
      predictions: 200,
      labelled: 100,
      unmatched: { predictions: 100, labels: 0 },
      detectorsFed: 100,
    });
    expect(first.metrics.accuracy).toBeGreaterThan(0.9);

    // the rest of the labels arrive the next morning; ingest re-opens the evaluated window
    const lateKey = await writeLabels(
      adapters.store,
      model.name,
      bad.map((p) => ({ id: p.prediction.id, label: p.label })),
      '2026-03-02T05:30:00Z',
    );
    const bus = new RecordingPublisher();
    const ingest = makeGroundTruthIngestHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      runs: adapters.runs,
      events: bus,
      now: () => new Date('2026-03-02T05:31:00Z'),
      logger: recordingLogger(),
    });
    const ingested = await ingest(objectCreated(model, lateKey, '2026-03-02T05:31:00Z'));
    expect(ingested).toMatchObject({ status: 'accepted', labels: 100, malformed: 0 });
    expect(ingested.reopened).toEqual([{ start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' }]);
    expect(bus.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.qualityEvaluationRequested,
        detail: expect.objectContaining({ model: model.name, window: ingested.reopened[0] }),
      }),
    ]);

    const { handler, events, adapters: a } = qualityJob('2026-03-02T05:32:00Z');
    const request = bus.events[0]?.detail as { window: { start: string; end: string } };
    const second = await handler(reevaluation(model, request.window, '2026-03-02T05:32:00Z'));
    expect(second).toMatchObject({
      status: 'violations',
      labelled: 200,
      unmatched: { predictions: 0 },
      detectorsFed: 100,
    });
    expect(second.metrics.accuracy).toBeLessThan(0.8);
    expect(second.metrics.accuracy).not.toBe(first.metrics.accuracy);
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          featureName: 'accuracy',
          constraintCheckType: 'model_quality_check',
          threshold: 0.8,
        }),
      ]),
    );

    // the same request delivered again: same results, and no label is fed to the detectors twice
    const third = await handler(reevaluation(model, request.window, '2026-03-02T05:33:00Z'));
    expect(third).toMatchObject({ labelled: 200, detectorsFed: 0, metrics: second.metrics });
    const runs = await a.runs.listRuns(model.name, 'quality', '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.summary.conceptDrift).toMatchObject({ streamLength: 200 });
    const series = await a.series.getSeries(
      model.name,
      '(model)',
      'accuracy',
      '2026-03-01T00:00:00Z',
      '2026-03-02T00:00:00Z',
    );
    expect(series).toEqual([{ windowStart: '2026-03-01T00:00:00Z', value: second.metrics.accuracy }]);
  });
});

describe('concept-drift detectors across invocations', () => {
  test('state restored between runs gives the detections of one continuous run', async () => {
    const model = churnModel('drifting');
    const adapters = env.adapters();
    const random = seeded(42);
    const days = ['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04'];
    const stream: number[] = [];
    for (const [i, day] of days.entries()) {
      const rows = predictionsFor(`d${i}`, 400, i < 2 ? 0.92 : 0.45, random);
      await writeCapture(
        adapters.store,
        model,
        rows.map((r) => r.prediction),
        `${day}T09:00:00Z`,
      );
      await writeLabels(
        adapters.store,
        model.name,
        rows.map((r) => ({ id: r.prediction.id, label: r.label })),
        `${day}T18:00:00Z`,
      );
      stream.push(...rows.map((r) => r.error));
    }

    const detections: Detection[] = [];
    for (const day of days) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 + 600_000).toISOString();
      // a fresh handler each day, as a new Lambda container would be: only DynamoDB carries the state
      const { handler, adapters: a } = qualityJob(next);
      const result = await handler(scheduleEvent(model, next));
      expect(result.detectorsFed).toBe(400);
      const run = await a.runs.getRun(model.name, 'quality', `${day}T00:00:00Z`);
      const summary = run?.summary.conceptDrift as { detections: Detection[] } | undefined;
      detections.push(...(summary?.detections ?? []));
    }

    const continuous = feedErrors(
      { adwin: new Adwin(), ddm: new Ddm(), pageHinkley: new PageHinkley() },
      stream,
      0,
    );
    const drifts = continuous.detections.filter((d) => d.kind === 'drift');
    // the stream changes after 800 predictions: the detectors see it, at the same positions either way
    expect(drifts.length).toBeGreaterThan(0);
    expect(drifts.some((d) => d.position > 800)).toBe(true);
    expect(detections).toEqual(drifts);
  });
});

describe('without labels, segments and bad events', () => {
  test('predictions without labels get the label-free estimate and count as unmatched', async () => {
    const model = churnModel('unlabelled');
    const adapters = env.adapters();
    const rows = predictionsFor('u', 300, 0.9, seeded(3));
    await writeCapture(
      adapters.store,
      model,
      rows.map((r) => r.prediction),
      '2026-05-01T08:00:00Z',
    );
    const { handler, adapters: a, metrics } = qualityJob('2026-05-02T00:05:00Z');
    const result = await handler(scheduleEvent(model, '2026-05-02T00:05:00Z'));
    expect(result).toMatchObject({
      status: 'ok',
      predictions: 300,
      labelled: 0,
      unmatched: { predictions: 300 },
    });
    // CloudWatch gets the estimate too, for the dashboard's estimate-vs-measured widget
    expect(metrics.runs[0]?.modelMetrics?.estimated_accuracy).toBeGreaterThan(0.5);
    const run = await a.runs.getRun(model.name, 'quality', '2026-05-01T00:00:00Z');
    const estimate = run?.summary.estimate as { accuracy: { value: number; standardError: number } };
    expect(estimate.accuracy.value).toBeGreaterThan(0.5);
    expect(estimate.accuracy.standardError).toBeGreaterThan(0);
    const series = await a.series.getSeries(
      model.name,
      '(model)',
      'estimated_accuracy',
      '2026-05-01T00:00:00Z',
      '2026-05-02T00:00:00Z',
    );
    expect(series).toHaveLength(1);
  });

  test('a configured segment gives per-segment metrics and fairness gaps, alerted over the threshold', async () => {
    const model = churnModel('segmented');
    const adapters = env.adapters();
    const random = seeded(11);
    const rows = predictionsFor('s', 400, 0.9, random).map((r) => ({
      ...r,
      // the north region is predicted positive far more often
      prediction: { ...r.prediction, score: r.prediction.region === 'north' ? 0.9 : r.prediction.score },
    }));
    await writeCapture(
      adapters.store,
      model,
      rows.map((r) => r.prediction),
      '2026-05-03T08:00:00Z',
    );
    await writeLabels(
      adapters.store,
      model.name,
      rows.map((r) => ({ id: r.prediction.id, label: r.label })),
      '2026-05-03T12:00:00Z',
    );
    const {
      handler,
      events,
      adapters: a,
      metrics,
    } = qualityJob('2026-05-04T00:05:00Z', { segment: 'region' });
    const result = await handler(scheduleEvent(model, '2026-05-04T00:05:00Z'));
    expect(result.status).toBe('violations');
    // the gaps reach CloudWatch for the dashboard's fairness widget
    expect(metrics.runs[0]?.modelMetrics?.demographic_parity_difference).toBeGreaterThan(0.1);
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          featureName: 'demographic_parity_difference',
          constraintCheckType: 'fairness_check',
        }),
      ]),
    );
    const north = await a.series.getSeries(
      model.name,
      'region=north',
      'accuracy',
      '2026-05-03T00:00:00Z',
      '2026-05-04T00:00:00Z',
    );
    expect(north).toHaveLength(1);
  });

  test('fails on a malformed re-evaluation request, naming the field', async () => {
    const model = churnModel('bad-request');
    const error = await qualityJob('2026-05-04T00:05:00Z')
      .handler(reevaluation(model, { start: 'noon', end: '2026-05-04T00:00:00Z' }, '2026-05-04T00:05:00Z'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/^event\.trigger\.detail\.window\.start: /);
  });
});

/** an endpoint-metrics port answering with fixed figures and remembering what it was asked */
const fixedEndpointMetrics = (figures: Omit<EndpointHealth, 'endpoint' | 'variant' | 'start' | 'end'>) => {
  const calls: [string, string, string, string][] = [];
  const port: EndpointMetrics = {
    async getEndpointHealth(endpoint, variant, start, end) {
      calls.push([endpoint, variant, start.toISOString(), end.toISOString()]);
      return { endpoint, variant, start, end, ...figures };
    },
  };
  return { port, calls };
};

describe('segments from the model config', () => {
  test("the config's segment feature gives per-segment metrics and fairness gaps over its threshold", async () => {
    const model = churnModel('config-segment', {
      quality: { segmentFeature: 'region', fairnessThreshold: 0.05 },
    });
    const adapters = env.adapters();
    const rows = predictionsFor('c', 400, 0.9, seeded(11)).map((r) => ({
      ...r,
      prediction: { ...r.prediction, score: r.prediction.region === 'north' ? 0.9 : r.prediction.score },
    }));
    await writeCapture(
      adapters.store,
      model,
      rows.map((r) => r.prediction),
      '2026-05-05T08:00:00Z',
    );
    await writeLabels(
      adapters.store,
      model.name,
      rows.map((r) => ({ id: r.prediction.id, label: r.label })),
      '2026-05-05T12:00:00Z',
    );
    // no segment option: the job must take the feature and the threshold from the config
    const { handler, events, adapters: a } = qualityJob('2026-05-06T00:05:00Z');
    const result = await handler(scheduleEvent(model, '2026-05-06T00:05:00Z'));
    expect(result.status).toBe('violations');
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          featureName: 'demographic_parity_difference',
          constraintCheckType: 'fairness_check',
          threshold: 0.05,
        }),
      ]),
    );
    for (const region of ['north', 'south']) {
      const series = await a.series.getSeries(
        model.name,
        `region=${region}`,
        'accuracy',
        '2026-05-05T00:00:00Z',
        '2026-05-06T00:00:00Z',
      );
      expect(series).toHaveLength(1);
    }
  });

  test('a fairness threshold above the gap in the config raises no fairness violation', async () => {
    const model = churnModel('lenient-fairness', {
      quality: { segmentFeature: 'region', fairnessThreshold: 1 },
    });
    const adapters = env.adapters();
    const rows = predictionsFor('l', 200, 0.9, seeded(5)).map((r) => ({
      ...r,
      prediction: { ...r.prediction, score: r.prediction.region === 'north' ? 0.9 : r.prediction.score },
    }));
    await writeCapture(
      adapters.store,
      model,
      rows.map((r) => r.prediction),
      '2026-05-07T08:00:00Z',
    );
    await writeLabels(
      adapters.store,
      model.name,
      rows.map((r) => ({ id: r.prediction.id, label: r.label })),
      '2026-05-07T12:00:00Z',
    );
    const { handler, events, adapters: a } = qualityJob('2026-05-08T00:05:00Z');
    await handler(scheduleEvent(model, '2026-05-08T00:05:00Z'));
    const checks = events.events.flatMap((e) =>
      (e.detail as unknown as MonitoringViolationsDetail).violations.map((v) => v.constraintCheckType),
    );
    expect(checks).not.toContain('fairness_check');
    const gap = await a.series.getSeries(
      model.name,
      '(model)',
      'demographic_parity_difference',
      '2026-05-07T00:00:00Z',
      '2026-05-08T00:00:00Z',
    );
    expect(gap[0]?.value).toBeGreaterThan(0.05);
  });
});

describe('operational health', () => {
  const servedModel = (name: string) =>
    churnModel(name, {
      endpoint: { name: 'churn-ep' },
      // the fixtures write capture under the model's name
      capture: { endpointName: name },
      operational: { latencyP99Ms: 200, errorRate: 0.05, minInvocationsPerHour: 10 },
    });

  test('a p99 latency above the threshold publishes an operational_check violation, critical past the factor', async () => {
    const model = servedModel('slow-endpoint');
    const adapters = env.adapters();
    await writeCapture(
      adapters.store,
      model,
      predictionsFor('o', 50, 0.9, seeded(1)).map((r) => r.prediction),
      '2026-05-09T08:00:00Z',
    );
    const { port, calls } = fixedEndpointMetrics({
      invocations: 2400,
      invocation4xxErrors: 12,
      invocation5xxErrors: 12,
      modelLatencyP99Ms: 450,
      overheadLatencyP99Ms: 3,
    });
    const { handler, events, adapters: a } = qualityJob('2026-05-10T00:05:00Z', { endpointMetrics: port });
    const result = await handler(scheduleEvent(model, '2026-05-10T00:05:00Z'));

    expect(calls).toEqual([
      ['churn-ep', 'AllTraffic', '2026-05-09T00:00:00.000Z', '2026-05-10T00:00:00.000Z'],
    ]);
    expect(result).toMatchObject({ status: 'violations', predictions: 50 });
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    const operational = detail.violations.filter((v) => v.constraintCheckType === 'operational_check');
    // 1% errors and 100 invocations an hour are within their thresholds
    expect(operational).toEqual([
      expect.objectContaining({ featureName: 'model_latency_p99_ms', value: 450, threshold: 200 }),
    ]);
    // the router's policy: 450 / 200 >= the default critical factor of 2
    expect(severityOf(operational[0]!, model.alerts.criticalFactor)).toBe('critical');

    const run = await a.runs.getRun(model.name, 'quality', '2026-05-09T00:00:00Z');
    expect(run?.summary.operational).toEqual({
      status: 'checked',
      figures: {
        endpoint: 'churn-ep',
        variant: 'AllTraffic',
        invocations: 2400,
        invocationsPerHour: 100,
        invocation4xxErrors: 12,
        invocation5xxErrors: 12,
        errorRate: 0.01,
        modelLatencyP99Ms: 450,
        overheadLatencyP99Ms: 3,
      },
    });
    const latency = await a.series.getSeries(
      model.name,
      '(model)',
      'model_latency_p99_ms',
      '2026-05-09T00:00:00Z',
      '2026-05-10T00:00:00Z',
    );
    expect(latency).toEqual([{ windowStart: '2026-05-09T00:00:00Z', value: 450 }]);
  });

  test('an endpoint gone quiet violates the invocation floor and the error rate, even with no predictions', async () => {
    const model = servedModel('quiet-endpoint');
    const { port } = fixedEndpointMetrics({
      invocations: 48,
      invocation4xxErrors: 0,
      invocation5xxErrors: 24,
      modelLatencyP99Ms: 20,
      overheadLatencyP99Ms: 1,
    });
    const { handler, events } = qualityJob('2026-05-12T00:05:00Z', { endpointMetrics: port });
    const result = await handler(scheduleEvent(model, '2026-05-12T00:05:00Z'));
    expect(result).toMatchObject({ status: 'violations', predictions: 0 });
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations.map((v) => [v.featureName, v.value])).toEqual([
      ['error_rate', 0.5],
      ['invocations_per_hour', 2],
    ]);
  });

  test('without the port (the local twin) the checks are skipped and the run summary says so', async () => {
    const model = servedModel('twin-endpoint');
    const adapters = env.adapters();
    await writeCapture(
      adapters.store,
      model,
      predictionsFor('t', 20, 0.9, seeded(2)).map((r) => r.prediction),
      '2026-05-11T08:00:00Z',
    );
    const { handler, events, adapters: a } = qualityJob('2026-05-12T00:05:00Z');
    const result = await handler(scheduleEvent(model, '2026-05-12T00:05:00Z'));
    expect(result).toMatchObject({ status: 'ok', predictions: 20 });
    expect(events.events).toEqual([]);
    const run = await a.runs.getRun(model.name, 'quality', '2026-05-11T00:00:00Z');
    expect(run?.summary.operational).toEqual({
      status: 'skipped',
      reason: 'endpoint metrics are not available in this runtime',
    });
  });

  test('a model without operational thresholds makes no CloudWatch call', async () => {
    const model = churnModel('unwatched-endpoint', { endpoint: { name: 'churn-ep' } });
    const { port, calls } = fixedEndpointMetrics({
      invocations: 0,
      invocation4xxErrors: 0,
      invocation5xxErrors: 0,
      modelLatencyP99Ms: null,
      overheadLatencyP99Ms: null,
    });
    const { handler } = qualityJob('2026-05-12T00:05:00Z', { endpointMetrics: port });
    const result = await handler(scheduleEvent(model, '2026-05-12T00:05:00Z'));
    expect(result.status).toBe('no-data');
    expect(calls).toEqual([]);
  });
});
