import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import type { FeatureVerdictState } from '../../functions/engine/verdicts/verdict-state.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { verdictStateName } from '../../functions/shared/verdict-context.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { clock, RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

// The data job's sequential verdict on dynalite and s3rver: evidence per (model, feature) kept in the state table
// between hourly runs, reported in report.json, a `sequential_drift_check` when a feature first alarms, and the
// evidence context on the event for the router's harm-aware severity.
const env = useHandlerEnvironment();
const model = seattleModel();
let training: SeattleRow[] = [];
const hour = (h: number) => `2026-03-01T${String(h).padStart(2, '0')}`;

const dataJob = (at: string) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  const handler = makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events,
    metrics,
    now: () => new Date(at),
    logger: recordingLogger(),
    verdictStates: adapters.detectors,
  });
  return { handler, events, metrics, adapters };
};

const baselineJob = async (version?: number) => {
  const adapters = env.adapters();
  await makeBaselineJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics: new RecordingMetrics(),
    now: () => new Date('2026-03-01T00:00:05Z'),
    logger: recordingLogger(),
  })({
    model: nameOf(model),
    trigger: {
      id: `b${version ?? 0}`,
      source: 'model-care',
      detailType: DETAIL_TYPES.baselineRequested,
      time: '2026-03-01T00:00:00Z',
      detail: { model: model.name, ...(version === undefined ? {} : { version }) },
    },
  });
};

/** 150 training rows, 15 °C warmer when `warmer`, posted to the capture API in the hour `h` */
const captureHour = async (h: number, warmer: boolean) => {
  const adapters = env.adapters();
  const time = clock(`${hour(h)}:05:00Z`);
  const api = makeCaptureApiHandler({
    routes: [captureRouteFor(model)],
    sink: makeDirectCaptureSink({ store: adapters.store, now: time.now, newId: randomUUID }),
    store: adapters.store,
    inference: { invokeEndpoint: () => Promise.reject(new Error('not used')) },
    metrics: new RecordingMetrics(),
    now: time.now,
    logger: recordingLogger(),
  });
  const rows = Array.from({ length: 150 }, (_, i) => training[(h * 150 + i) % training.length]!);
  const shift = (t: string) => String(Number(t) + (warmer ? 15 : 0));
  const records = rows.map((r) => ({
    request: {
      contentType: 'text/csv',
      data: [r.precipitation, shift(r.temp_max), shift(r.temp_min), r.wind].join(','),
    },
    response: { contentType: 'text/csv', data: r.weather },
  }));
  const answer = await api({
    rawPath: `/models/${model.name}/records`,
    requestContext: { http: { method: 'POST' } },
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ records }),
  });
  expect(answer.statusCode).toBe(200);
};

const runHour = async (h: number) => {
  const at = `${hour(h + 1)}:00:30Z`;
  const job = dataJob(at);
  const result = await job.handler(scheduleEvent(model, at));
  const report = JSON.parse(
    await job.adapters.store.getText(`reports/${model.name}/data/${hour(h)}:00:00Z/report.json`),
  );
  return { ...job, result, report };
};

const stateOf = async (feature: string) => {
  const item = await env.adapters().detectors.load(model.name, verdictStateName(feature));
  return item && { version: item.version, state: JSON.parse(item.stateJson) as FeatureVerdictState };
};

beforeAll(async () => {
  const rows = await seattleRows();
  training = rows.filter((r) => !r.date.startsWith('2015'));
  await env.adapters().storeFor(DATASETS_BUCKET).put('seattle/2012.csv', csvOf(training), 'text/csv');
  await baselineJob();
});

describe('the data job keeps sequential evidence per feature between runs', () => {
  it('stays quiet on windows like the baseline, then alarms once the temperatures shift', async () => {
    for (let h = 0; h < 3; h++) {
      await captureHour(h, false);
      const { report } = await runHour(h);
      expect(report.sequential).toMatchObject({ status: 'ok', alarm: false, alpha: 0.05, relevance: 0.03 });
    }
    let alarmedAt: number | undefined;
    let alarmed: string[] = [];
    let event: MonitoringViolationsDetail | undefined;
    for (let h = 3; h < 12 && alarmedAt === undefined; h++) {
      await captureHour(h, true);
      const { report, events, metrics } = await runHour(h);
      expect(metrics.runs[0]!.features!.find((f) => f.feature === 'temp_max')!.extra).toHaveProperty(
        'drift_evidence',
      );
      if (report.sequential.alarm) {
        alarmedAt = h;
        alarmed = report.sequential.newAlarms;
        event = events.events[0]!.detail as unknown as MonitoringViolationsDetail;
      }
    }
    expect(alarmedAt).toBeDefined();
    expect(alarmedAt!).toBeGreaterThan(3);
    const sequential = event!.violations.find((v) => v.constraintCheckType === 'sequential_drift_check');
    expect(sequential?.description).toMatch(
      /Sequential drift evidence: .* carry drift evidence beyond δ = 0.03/,
    );
    expect(event!.evidence).toEqual({
      driftEvidence: true,
      estimatedLoss: false,
      confirmedLoss: false,
      confirmedHarm: false,
    });
    // the warmer temperatures alarm, the untouched features do not
    expect(alarmed.length).toBeGreaterThan(0);
    expect(alarmed.every((f) => f === 'temp_max' || f === 'temp_min')).toBe(true);
    const temp = await stateOf(alarmed[0]!);
    expect(temp!.state.alarmedSince).toBe(`${hour(alarmedAt!)}:00:00Z`);
    expect(temp!.state.lastWindow).toBe(`${hour(alarmedAt!)}:00:00Z`);
    expect((await stateOf('wind'))!.state.alarmedSince).toBeNull();
  });

  it('does not count a window twice when it is run again', async () => {
    const before = await stateOf('temp_max');
    const { report } = await runHour(4);
    expect(report.sequential.status).toBe('repeat');
    expect(report.sequential.summary).toBe('window already counted: evidence unchanged');
    expect(await stateOf('temp_max')).toEqual(before);
  });

  it('leaves the evidence unchanged by an empty window, and says so', async () => {
    const before = await stateOf('temp_max');
    const { report } = await runHour(20);
    expect(report.sequential).toMatchObject({
      status: 'no-data',
      summary: 'no rows in the window: evidence unchanged',
    });
    expect((await stateOf('temp_max'))!.state.evidence).toEqual(before!.state.evidence);
  });

  it('starts afresh against a new baseline', async () => {
    await baselineJob(2);
    await captureHour(21, true);
    const { report } = await runHour(21);
    expect(report.sequential.status).toBe('ok');
    expect(report.sequential.alarm).toBe(false);
    for (const feature of report.sequential.features)
      expect(feature).toMatchObject({ evidence: 1, alarmedSince: null });
    expect((await stateOf('temp_max'))!.state.reference).toMatch(/baselines\/seattle\/2\/statistics\.json@2/);
  });
});
