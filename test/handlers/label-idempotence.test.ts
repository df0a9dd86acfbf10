import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { reportPrefix } from '../../functions/adapters/s3-layout.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import { makeGroundTruthIngestHandler } from '../../functions/ground-truth-ingest/ground-truth-ingest.ts';
import { makeQualityJobHandler } from '../../functions/quality-job/quality-job.ts';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { clock, noWait, RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { churnModel, type Prediction, seeded, writeCapture } from './support/quality-fixtures.ts';
import { scheduleEvent } from './support/seattle.ts';

const env = useHandlerEnvironment();
const WINDOW = { start: '2026-05-01T00:00:00Z', end: '2026-05-02T00:00:00Z' };

const qualityJob = (now: string) => {
  const adapters = env.adapters();
  return makeQualityJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    detectors: adapters.detectors,
    registry: adapters.registry,
    events: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    now: () => new Date(now),
    logger: recordingLogger(),
    minLabelled: 10,
  });
};

/** posts labels to the capture API's labels route at `at`, as a label producer would */
const postLabels = async (model: ModelConfig, labels: { id: string; label: number }[], at: string) => {
  const adapters = env.adapters();
  const time = clock(at);
  const api = makeCaptureApiHandler({
    routes: [captureRouteFor(model)],
    sink: makeDirectCaptureSink({ store: adapters.store, now: time.now, newId: randomUUID }),
    store: adapters.store,
    inference: { invokeEndpoint: () => Promise.reject(new Error('not used')) },
    metrics: new RecordingMetrics(),
    now: time.now,
    logger: recordingLogger(),
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: noWait },
  });
  const answer = await api({
    rawPath: `/models/${model.name}/labels`,
    requestContext: { http: { method: 'POST' } },
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ labels: labels.map((l) => ({ inferenceId: l.id, label: l.label })) }),
  });
  expect(answer.statusCode).toBe(200);
};

const reportOf = async (model: ModelConfig) =>
  (await env.adapters().store.getJson(`${reportPrefix(model.name, 'quality', WINDOW.start)}report.json`)) as {
    labels: { duplicates: number; conflicts: number; conflictSamples: { id: string }[] };
    estimate: { count: number; accuracy: { value: number; standardError: number } };
    conceptDrift: { fed: number; streamLength: number };
  };

describe('labels are idempotent per inference id: the first stored label wins', () => {
  test('the same 200 labels posted twice feed the detectors 200 times; a later correction changes nothing but a count', async () => {
    // Prepare: 200 predictions, and a replay of the first 50 capture records (same inference ids)
    const model = churnModel('labelled-twice');
    const random = seeded(11);
    const predictions: Prediction[] = Array.from({ length: 200 }, (_, i) => ({
      id: `inf-${i}`,
      score: random(),
      region: i % 2 === 0 ? 'north' : 'south',
      tenure: i % 48,
    }));
    const labels = predictions.map((p) => ({ id: p.id, label: Number(random() < p.score) }));
    const store = env.adapters().store;
    await writeCapture(store, model, predictions, '2026-05-01T10:05:00Z');
    await writeCapture(store, model, predictions.slice(0, 50), '2026-05-01T10:35:00Z');
    await postLabels(model, labels, '2026-05-01T20:00:00Z');
    await postLabels(model, labels, '2026-05-01T20:01:00Z');

    // Act: the scheduled run of the day
    const first = await qualityJob('2026-05-02T00:10:00Z')(scheduleEvent(model, '2026-05-02T00:10:00Z'));

    // Assess: each id once, in the metrics, the detectors and the label-free estimate
    expect(first).toMatchObject({ predictions: 200, labelled: 200, detectorsFed: 200 });
    const firstReport = await reportOf(model);
    expect(firstReport.conceptDrift.streamLength).toBe(200);
    expect(firstReport.labels).toMatchObject({ duplicates: 200, conflicts: 0 });
    expect(firstReport.estimate.count).toBe(200);

    // Prepare: the producer sends all 200 once more, 20 of them with the other class (a correction, or a forgery)
    const corrected = labels.map((l, i) => (i < 20 ? { ...l, label: 1 - l.label } : l));
    await postLabels(model, corrected, '2026-05-02T05:30:00Z');
    let lateKey = '';
    for await (const info of store.list(`ground-truth/${model.name}/2026/05/02/05/`)) lateKey = info.key;
    const bus = new RecordingPublisher();
    const ingested = await makeGroundTruthIngestHandler({
      configs: knownModelConfigs,
      store,
      bucket: BUCKET,
      runs: env.adapters().runs,
      events: bus,
      now: () => new Date('2026-05-02T05:31:00Z'),
      logger: recordingLogger(),
    })({
      model: nameOf(model),
      trigger: {
        id: 's3-late',
        source: 'aws.s3',
        detailType: 'Object Created',
        time: '2026-05-02T05:31:00Z',
        detail: { bucket: { name: BUCKET }, object: { key: lateKey, size: 10 } },
      },
    });
    expect(ingested.reopened).toEqual([WINDOW]);

    // Act: the re-evaluation ingest asked for
    const again = await qualityJob('2026-05-02T05:32:00Z')({
      model: nameOf(model),
      trigger: {
        id: 're-1',
        source: 'model-care',
        detailType: DETAIL_TYPES.qualityEvaluationRequested,
        time: '2026-05-02T05:32:00Z',
        detail: { model: model.name, window: WINDOW, reason: 'labels arrived' },
      },
    });

    // Assess: nothing fed, the verdict stands, and the contradicting labels are counted and named
    expect(again).toMatchObject({ labelled: 200, detectorsFed: 0, metrics: first.metrics });
    const againReport = await reportOf(model);
    expect(againReport.conceptDrift.streamLength).toBe(200);
    expect(againReport.labels).toMatchObject({ duplicates: 380, conflicts: 20 });
    expect(againReport.labels.conflictSamples.map((c) => c.id)).toEqual(labels.slice(0, 10).map((l) => l.id));
    const run = await env.adapters().runs.getRun(model.name, 'quality', WINDOW.start);
    expect(run?.summary.repeatedLabels).toEqual({ duplicates: 380, conflicts: 20 });
  });
});
