import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  captureVariantPrefix,
  profileKey,
  quarantineKey,
  reasonSidecarKey,
} from '../../functions/adapters/s3-layout.ts';
import { makeSnsNotifier } from '../../functions/adapters/sns/sns-notifier.ts';
import { makeAlertRouterHandler } from '../../functions/alert-router/alert-router.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { captureLine } from '../../functions/capture-api/capture-line.ts';
import { makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import type { MonitoringViolationsDetail } from '../../functions/handler-kit/monitoring-violation.ts';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { clock, RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

const env = useHandlerEnvironment();
const model = seattleModel();
let rows2015: SeattleRow[] = [];

const dataJob = (overrides: { now?: () => Date } = {}) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const metrics = new RecordingMetrics();
  const logger = recordingLogger();
  const handler = makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events,
    metrics,
    now: overrides.now ?? (() => new Date('2026-03-01T11:00:30Z')),
    logger,
  });
  return { handler, events, metrics, logger, adapters };
};

/** posts rows to the capture API in records mode, as a model served elsewhere would, at `at` */
const captureRows = async (
  target: ModelConfig,
  rows: readonly SeattleRow[],
  at: string,
  perRequest = 100,
) => {
  const adapters = env.adapters();
  const time = clock(at);
  const api = makeCaptureApiHandler({
    routes: [captureRouteFor(target)],
    sink: makeDirectCaptureSink({ store: adapters.store, now: time.now, newId: randomUUID }),
    store: adapters.store,
    inference: { invokeEndpoint: () => Promise.reject(new Error('not used')) },
    metrics: new RecordingMetrics(),
    now: time.now,
    logger: recordingLogger(),
  });
  for (let i = 0; i < rows.length; i += perRequest) {
    const records = rows.slice(i, i + perRequest).map((r) => ({
      request: { contentType: 'text/csv', data: [r.precipitation, r.temp_max, r.temp_min, r.wind].join(',') },
      response: { contentType: 'text/csv', data: r.weather },
    }));
    const answer = await api({
      rawPath: `/models/${target.name}/records`,
      requestContext: { http: { method: 'POST' } },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    expect(answer.statusCode).toBe(200);
    time.advance(60_000);
  }
};

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  const adapters = env.adapters();
  await adapters
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
  const baseline = makeBaselineJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics: new RecordingMetrics(),
    now: () => new Date('2026-03-01T00:00:05Z'),
    logger: recordingLogger(),
  });
  await baseline({
    model: nameOf(model),
    trigger: {
      id: 'b1',
      source: 'model-care',
      detailType: DETAIL_TYPES.baselineRequested,
      time: '2026-03-01T00:00:00Z',
      detail: { model: model.name },
    },
  });
  await captureRows(model, rows2015, '2026-03-01T10:05:00Z');
});

describe('data job on a real dataset', () => {
  test('2015 capture against the 2012 baseline: run record, violations file and event', async () => {
    const { handler, events, metrics, adapters } = dataJob();
    const result = await handler(scheduleEvent(model, '2026-03-01T11:00:30Z'));

    expect(result).toMatchObject({
      model: 'seattle',
      runId: 'seattle/data/2026-03-01T10:00:00Z',
      window: { start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' },
      status: 'violations',
      rows: 365,
      malformed: 0,
      quarantined: 0,
      eventPublished: true,
    });

    const run = await adapters.runs.getRun('seattle', 'data', '2026-03-01T10:00:00Z');
    expect(run).toMatchObject({
      status: 'violations',
      rowCount: 365,
      reportKey: 'reports/seattle/data/2026-03-01T10:00:00Z/',
    });
    expect(run?.violationCount).toBe(result.violations);
    expect(run?.summary.driftedFeatures).toEqual(expect.arrayContaining(['temp_max', 'temp_min', 'weather']));

    const file = (await adapters.store.getJson(
      'reports/seattle/data/2026-03-01T10:00:00Z/constraint_violations.json',
    )) as { violations: { feature_name: string; constraint_check_type: string }[] };
    expect(file.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ feature_name: 'weather', constraint_check_type: 'baseline_drift_check' }),
        expect.objectContaining({ feature_name: '(dataset)', constraint_check_type: 'baseline_drift_check' }),
      ]),
    );
    const report = (await adapters.store.getJson(
      'reports/seattle/data/2026-03-01T10:00:00Z/report.json',
    )) as {
      dataset: { drifted: boolean; rowsBaseline: number };
    };
    expect(report.dataset).toMatchObject({ drifted: true, rowsBaseline: 366 });

    expect(events.events).toHaveLength(1);
    const [event] = events.events;
    expect(event?.detailType).toBe(DETAIL_TYPES.violationsDetected);
    const detail = event?.detail as unknown as MonitoringViolationsDetail;
    expect(detail).toMatchObject({
      model: 'seattle',
      job: 'data',
      runId: result.runId,
      reportUri: `s3://${BUCKET}/reports/seattle/data/2026-03-01T10:00:00Z/constraint_violations.json`,
      totalViolations: result.violations,
    });

    const series = await adapters.series.getSeries(
      'seattle',
      'temp_max',
      'baseline_drift',
      '2026-03-01T00:00:00Z',
      '2026-03-02T00:00:00Z',
    );
    expect(series).toHaveLength(1);
    expect(metrics.runs[0]).toMatchObject({ model: 'seattle', job: 'data', rowCount: 365, failed: false });
    expect(metrics.runs[0]?.features?.find((f) => f.feature === 'temp_max')?.baselineDrift).toBeGreaterThan(
      0,
    );
    expect(await adapters.store.exists(profileKey('seattle', '2026-03-01T10:00:00Z'))).toBe(true);
  });

  test('re-running the window replaces its results: one run record, one series point, same runId', async () => {
    const first = await dataJob().handler(scheduleEvent(model, '2026-03-01T11:00:30Z'));
    const { handler, events, adapters, logger } = dataJob({ now: () => new Date('2026-03-01T11:20:00Z') });
    const again = await handler(scheduleEvent(model, '2026-03-01T11:05:00Z'));
    expect(again).toEqual(first);
    const runs = await adapters.runs.listRuns(
      'seattle',
      'data',
      '2026-03-01T00:00:00Z',
      '2026-03-02T00:00:00Z',
    );
    expect(runs.filter((r) => r.windowStart === '2026-03-01T10:00:00Z')).toHaveLength(1);
    const series = await adapters.series.getSeries(
      'seattle',
      'wind',
      'completeness',
      '2026-03-01T00:00:00Z',
      '2026-03-02T00:00:00Z',
    );
    expect(series).toEqual([{ windowStart: '2026-03-01T10:00:00Z', value: 1 }]);
    expect(events.events[0]?.detail).toMatchObject({ runId: first.runId });
    // the hour was not read again: its stored profile still matched its objects
    const finished = logger.lines.find((l) => l.message === 'data run finished');
    expect(finished?.attributes[0]).toMatchObject({ hours: { fromProfiles: 1, fromCapture: 0 } });
  });
});

const line = (r: SeattleRow): string =>
  captureLine({
    eventId: randomUUID(),
    inferenceTime: new Date('2026-03-01T12:00:00Z'),
    request: {
      contentType: 'text/csv',
      body: Buffer.from([r.precipitation, r.temp_max, r.temp_min, r.wind].join(',')),
    },
    response: { contentType: 'text/csv', body: Buffer.from(r.weather) },
  });

describe('unreadable capture', () => {
  test('quarantines corrupt objects with their reason, counts malformed lines and checks the rest', async () => {
    const { handler, adapters } = dataJob({ now: () => new Date('2026-03-01T13:00:30Z') });
    const hour = `${captureVariantPrefix('seattle', 'AllTraffic')}2026/03/01/12/`;
    const good = rows2015.slice(0, 60).map(line);
    good.splice(10, 0, '{"captureData": {broken json\n');
    good.splice(20, 0, line({ ...rows2015[0]!, wind: '1,2' }));
    await adapters.store.put(
      `${hour}05-00-000-${randomUUID()}.jsonl`,
      good.join(''),
      'application/jsonlines',
    );
    const corrupt = gzipSync(rows2015.slice(0, 30).map(line).join('')).subarray(0, 40);
    const corruptKey = `${hour}10-00-000-${randomUUID()}.jsonl`;
    await adapters.store.put(corruptKey, corrupt, 'application/jsonlines');
    const garbageKey = `${hour}20-00-000-${randomUUID()}.jsonl`;
    await adapters.store.put(garbageKey, 'not json\n{"a": 1}\n', 'application/jsonlines');

    // two of the three objects are unreadable, more than the default guard's half: this model allows 90%
    const tolerant = seattleModel({ capture: { maxUnreadableShare: 0.9 } });
    const result = await handler(scheduleEvent(tolerant, '2026-03-01T13:00:30Z'));

    expect(result).toMatchObject({ rows: 60, malformed: 2, quarantined: 2 });
    expect(await adapters.store.exists(corruptKey)).toBe(false);
    expect(await adapters.store.exists(quarantineKey(corruptKey))).toBe(true);
    const sidecar = (await adapters.store.getJson(reasonSidecarKey(quarantineKey(corruptKey)))) as {
      reason: string;
    };
    expect(sidecar.reason).toContain('cannot gunzip');
    const garbage = (await adapters.store.getJson(reasonSidecarKey(quarantineKey(garbageKey)))) as {
      reason: string;
    };
    expect(garbage.reason).toMatch(/malformed record/);
    const run = await adapters.runs.getRun('seattle', 'data', '2026-03-01T12:00:00Z');
    expect(run).toMatchObject({ rowCount: 60, malformedCount: 2, quarantinedObjects: 2 });

    // a re-run finds the objects gone, and still reports them from the hour's stored profile
    const again = await handler(scheduleEvent(tolerant, '2026-03-01T13:00:30Z'));
    expect(again).toMatchObject({ rows: 60, malformed: 2, quarantined: 2 });
  });
});

describe('empty and odd windows', () => {
  test('an empty window is a no-data run and a violation of its own kind', async () => {
    const { handler, events, adapters } = dataJob({ now: () => new Date('2026-03-01T15:00:30Z') });
    const result = await handler(scheduleEvent(model, '2026-03-01T15:00:30Z'));
    expect(result).toMatchObject({ status: 'no-data', rows: 0, violations: 1, eventPublished: true });
    const detail = events.events[0]?.detail as unknown as MonitoringViolationsDetail;
    expect(detail.violations).toEqual([
      expect.objectContaining({ featureName: '(dataset)', constraintCheckType: 'no_data_check' }),
    ]);
    expect((await adapters.runs.getRun('seattle', 'data', '2026-03-01T14:00:00Z'))?.status).toBe('no-data');
  });

  test('a daily window merges stored hourly profiles and reads only hours whose capture changed', async () => {
    const daily = seattleModel({ name: 'seattle-daily', schedules: { data: 'rate(1 day)' } });
    const adapters = env.adapters();
    await makeBaselineJobHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      storeFor: adapters.storeFor,
      registry: adapters.registry,
      runs: adapters.runs,
      metrics: new RecordingMetrics(),
      now: () => new Date('2026-03-02T00:00:00Z'),
      logger: recordingLogger(),
    })(scheduleEvent(daily, '2026-03-02T00:00:00Z'));
    await captureRows(daily, rows2015.slice(0, 200), '2026-03-02T03:10:00Z', 50);
    await captureRows(daily, rows2015.slice(200, 300), '2026-03-02T07:30:00Z', 50);

    const { handler, logger } = dataJob({ now: () => new Date('2026-03-03T00:00:10Z') });
    const first = await handler(scheduleEvent(daily, '2026-03-03T00:00:10Z'));
    expect(first).toMatchObject({
      window: { start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' },
      rows: 300,
    });
    const second = await handler(scheduleEvent(daily, '2026-03-03T00:00:10Z'));
    expect(second).toEqual(first);
    const hours = logger.lines.filter((l) => l.message === 'data run finished').map((l) => l.attributes[0]);
    expect(hours).toEqual([
      expect.objectContaining({ hours: { fromProfiles: 0, fromCapture: 2 } }),
      expect.objectContaining({ hours: { fromProfiles: 2, fromCapture: 0 } }),
    ]);

    // capture arriving late into hour 07 makes that hour be read again; hour 03 still comes from its profile
    await captureRows(daily, rows2015.slice(300), '2026-03-02T07:50:00Z', 100);
    const third = await handler(scheduleEvent(daily, '2026-03-03T00:00:10Z'));
    expect(third.rows).toBe(365);
    expect(logger.lines.filter((l) => l.message === 'data run finished').at(-1)?.attributes[0]).toMatchObject(
      {
        hours: { fromProfiles: 1, fromCapture: 1 },
      },
    );
  });

  test('windows shorter than an hour split its capture by the time in each object name, and store no profile', async () => {
    const quarter = seattleModel({ name: 'seattle-15', schedules: { data: 'rate(15 minutes)' } });
    const adapters = env.adapters();
    await makeBaselineJobHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      storeFor: adapters.storeFor,
      registry: adapters.registry,
      runs: adapters.runs,
      metrics: new RecordingMetrics(),
      now: () => new Date('2026-03-06T00:00:00Z'),
      logger: recordingLogger(),
    })(scheduleEvent(quarter, '2026-03-06T00:00:00Z'));
    await captureRows(quarter, rows2015.slice(0, 40), '2026-03-06T10:05:00Z', 40);
    await captureRows(quarter, rows2015.slice(40, 100), '2026-03-06T10:20:00Z', 60);
    const { handler } = dataJob({ now: () => new Date('2026-03-06T10:30:05Z') });
    const first = await handler(scheduleEvent(quarter, '2026-03-06T10:15:05Z'));
    const second = await handler(scheduleEvent(quarter, '2026-03-06T10:30:05Z'));
    expect([first.window.start, first.rows]).toEqual(['2026-03-06T10:00:00Z', 40]);
    expect([second.window.start, second.rows]).toEqual(['2026-03-06T10:15:00Z', 60]);
    expect(await adapters.store.exists(profileKey('seattle-15', '2026-03-06T10:00:00Z'))).toBe(false);
  });

  test('a window named in the event is checked instead of the one that just closed', async () => {
    const { handler } = dataJob();
    const result = await handler(
      scheduleEvent(model, '2026-03-05T00:00:00Z', {
        window: { start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' },
      }),
    );
    expect(result).toMatchObject({ runId: 'seattle/data/2026-03-01T10:00:00Z', rows: 365 });
  });

  test('a model without a baseline: a failed run, recorded and counted, not retried', async () => {
    const { handler, metrics, adapters } = dataJob();
    const orphan = seattleModel({ name: 'orphan' });
    const result = await handler(scheduleEvent(orphan, '2026-03-01T11:00:30Z'));
    expect(result).toMatchObject({ status: 'failed', reportUri: null });
    expect((await adapters.runs.getRun('orphan', 'data', '2026-03-01T10:00:00Z'))?.status).toBe('failed');
    expect(metrics.runs).toEqual([expect.objectContaining({ model: 'orphan', failed: true })]);
  });

  test("compat.modelMonitorMetrics hands the run's features to the metrics with Model Monitor's dimensions", async () => {
    const { handler, metrics } = dataJob();
    // the same capture folder as the plain model, now behind an endpoint
    const compat = seattleModel({
      endpoint: { name: 'seattle-ep' },
      capture: { endpointName: 'seattle', variantName: 'AllTraffic' },
      compat: { modelMonitorMetrics: true, monitoringScheduleName: 'seattle-data-quality' },
    });
    await handler(scheduleEvent(compat, '2026-03-01T11:00:30Z'));
    expect(metrics.runs[0]).toMatchObject({
      model: 'seattle',
      rowCount: 365,
      modelMonitor: { endpoint: 'seattle-ep', schedule: 'seattle-data-quality' },
    });
    expect(metrics.runs[0]?.features?.length).toBeGreaterThan(0);
    nameOf(model);
  });
});

describe('malformed events', () => {
  test.each([
    ['no envelope', null, /^event: expected an object/],
    ['a bad trigger time', { ...scheduleEvent(model, 'yesterday') }, /^event\.trigger\.time: /],
    [
      'an empty model name',
      { ...scheduleEvent(model, '2026-03-01T11:00:30Z'), model: '' },
      /^event\.model: must be the name of a model/,
    ],
    [
      'a window with start after end',
      scheduleEvent(model, '2026-03-01T11:00:30Z', {
        window: { start: '2026-03-02T00:00:00Z', end: '2026-03-01T00:00:00Z' },
      }),
      /^event\.trigger\.detail\.window: start must be before end/,
    ],
    [
      "another model's detail",
      scheduleEvent(model, '2026-03-01T11:00:30Z', { model: 'churn' }),
      /^event\.trigger\.detail\.model: "churn"/,
    ],
  ])('fails on %s, naming the field', async (_name, event, message) => {
    const { handler } = dataJob();
    const error = await handler(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('from the data job to a person', () => {
  test("the run's event, delivered by its rule, becomes an info alert naming the drift: no loss is known", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { handler, events, adapters } = dataJob();
    await handler(scheduleEvent(model, '2026-03-01T11:00:30Z'));
    const [event] = events.events;
    const routerHandler = makeAlertRouterHandler({
      configs: knownModelConfigs,
      alerts: adapters.alerts,
      runs: adapters.runs,
      notifier: makeSnsNotifier(new SNSClient({}), { logger: recordingLogger() }),
      events: new RecordingPublisher(),
      topics: { info: 'arn:info', warning: 'arn:warning', critical: 'arn:critical' },
      links: { region: 'us-east-1', dashboardPrefix: 'ModelCare' },
      now: () => new Date('2026-03-01T11:01:00Z'),
      logger: recordingLogger(),
    });
    // what the Violations rule hands the router: the model's config and the event, as events.ts describes
    const routed = await routerHandler({
      model: nameOf(model),
      trigger: {
        id: 'evt-1',
        source: 'model-care',
        detailType: event?.detailType,
        time: '2026-03-01T11:00:31Z',
        detail: event?.detail,
      },
    });
    expect(routed.outcome).toBe('notified');
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    // harm-aware severity (issue 12): drift with no measured or estimated quality loss is recorded, not paged
    expect(input?.Subject).toMatch(/^\[INFO\] seattle: dataset drift, 60% of features; weather/);
    expect(input?.TopicArn).toBe('arn:info');
    expect(JSON.parse(input?.Message ?? '{}').email).toContain(
      'reports/seattle/data/2026-03-01T10:00:00Z/report.json',
    );
    sns.restore();
  });
});
