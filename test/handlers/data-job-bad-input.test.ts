import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { captureVariantPrefix, profileKey } from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { captureLine } from '../../functions/capture-api/capture-line.ts';
import { makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { DatasetProfile, type DatasetProfileJson } from '../../functions/engine/profile/dataset-profile.ts';
import { baselineKeys, writeBaselinePointer } from '../../functions/handler-kit/baseline-pointer.ts';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { knownModelConfigs } from '../support/known-model-configs.ts';
import { clock, RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

/** Issue 11, items 4-6, in the data job against s3rver and dynalite. */

const env = useHandlerEnvironment();
let rows2015: SeattleRow[] = [];

const dataJob = (now: string) => {
  const adapters = env.adapters();
  const metrics = new RecordingMetrics();
  const logger = recordingLogger();
  const handler = makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events: new RecordingPublisher(),
    metrics,
    now: () => new Date(now),
    logger,
  });
  return { handler, metrics, logger, adapters };
};

const buildBaseline = async (model: ModelConfig) => {
  const adapters = env.adapters();
  await makeBaselineJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics: new RecordingMetrics(),
    now: () => new Date('2026-04-01T00:00:05Z'),
    logger: recordingLogger(),
  })(scheduleEvent(model, '2026-04-01T00:00:00Z'));
};

/** posts rows to the capture API, records mode, as a model served elsewhere would; every post answers 200 */
const postRows = async (model: ModelConfig, rows: readonly SeattleRow[], at: string) => {
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
  });
  const records = rows.map((r) => ({
    request: { contentType: 'text/csv', data: [r.precipitation, r.temp_max, r.temp_min, r.wind].join(',') },
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

interface StoredReport {
  dataset: { rowsCurrent: number; malformedValues: number; unreadableFiles: number };
  features: Array<{ name: string; malformedValues: number; currentCount: number }>;
  malformedSamples: string[];
  unreadableSamples: string[];
}

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  await env
    .adapters()
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
});

describe('4. non-finite numbers', () => {
  const model = seattleModel({ name: 'seattle-inf' });
  const window = { start: '2026-04-01T10:00:00Z', end: '2026-04-01T11:00:00Z' };
  const rows = () => rows2015.slice(0, 60);
  const withBadValues = () =>
    rows().map((r, i) =>
      i === 7 ? { ...r, precipitation: '1e309' } : i === 21 ? { ...r, temp_max: 'NaN' } : r,
    );

  beforeAll(async () => {
    await buildBaseline(model);
    await postRows(model, withBadValues(), '2026-04-01T10:05:00Z');
  });

  test('a window holding 1e309 and NaN: every row checked, the values counted per feature and listed', async () => {
    const { handler, adapters } = dataJob('2026-04-01T11:00:30Z');
    const result = await handler(scheduleEvent(model, '2026-04-01T11:00:30Z'));
    expect(result.status).not.toBe('failed');
    expect(result.rows).toBe(60);

    const report = (await adapters.store.getJson(
      `reports/seattle-inf/data/${window.start}/report.json`,
    )) as StoredReport;
    expect(report.dataset).toMatchObject({ rowsCurrent: 60, malformedValues: 2 });
    const byName = new Map(report.features.map((f) => [f.name, f]));
    expect(byName.get('precipitation')).toMatchObject({ malformedValues: 1, currentCount: 59 });
    expect(byName.get('temp_max')).toMatchObject({ malformedValues: 1, currentCount: 59 });
    expect(byName.get('wind')).toMatchObject({ malformedValues: 0, currentCount: 60 });
    expect(report.malformedSamples).toEqual(
      expect.arrayContaining([
        // records mode writes one capture line per record: the 8th and the 22nd
        expect.stringMatching(
          /\.jsonl:8 field "precipitation": "1e309": not a finite number, value skipped$/,
        ),
        expect.stringMatching(/\.jsonl:22 field "temp_max": "NaN": not a finite number, value skipped$/),
      ]),
    );
  });

  test("the hour's stored profile holds only finite numbers, and the good values' figures", async () => {
    const { adapters } = dataJob('2026-04-01T11:00:30Z');
    const text = await adapters.store.getText(profileKey('seattle-inf', window.start));
    const document = JSON.parse(text) as { profile: DatasetProfileJson };
    // fromJSON refuses a null where a figure belongs
    const profile = DatasetProfile.fromJSON(document.profile);
    const precipitation = profile.feature('precipitation')!;
    expect(precipitation.malformed).toBe(1);
    const good = rows()
      .filter((_, i) => i !== 7)
      .map((r) => Number(r.precipitation));
    expect(precipitation.numeric.count).toBe(59);
    expect(precipitation.numeric.total).toBeCloseTo(
      good.reduce((s, v) => s + v, 0),
      9,
    );
    expect(precipitation.numeric.max).toBe(Math.max(...good));
    expect(text).not.toMatch(/"(mean|m2)":null/);
    for (const feature of document.profile.features.filter((f) => f.numeric.count > 0))
      expect([feature.numeric.min, feature.numeric.max].every(Number.isFinite)).toBe(true);
  });

  test('a stored profile damaged by an infinity (a null where a number belongs) is rebuilt from the capture', async () => {
    const { handler, adapters, logger } = dataJob('2026-04-01T11:30:00Z');
    const key = profileKey('seattle-inf', window.start);
    const document = (await adapters.store.getJson(key)) as { profile: DatasetProfileJson };
    const good = await handler(scheduleEvent(model, '2026-04-01T11:00:30Z'));
    // as the job wrote it before: mean, sum and max of precipitation saved as null
    const damaged = document.profile.features.find((f) => f.name === 'precipitation')!;
    Object.assign(damaged.numeric, { mean: null, max: null, sum: [null, 0] });
    await adapters.store.put(key, JSON.stringify(document), 'application/json');

    const again = await handler(scheduleEvent(model, '2026-04-01T11:00:30Z'));
    expect(again).toEqual(good);
    const finished = logger.lines
      .filter((l) => l.message === 'data run finished')
      .map((l) => l.attributes[0]);
    expect(finished.at(-1)).toMatchObject({ hours: { fromProfiles: 0, fromCapture: 1 } });
  });
});

describe('5. one bad object does not sink a window', () => {
  test('report.json counts and names the unreadable object, as the CLI does a file', async () => {
    const model = seattleModel({ name: 'seattle-gz' });
    await buildBaseline(model);
    const { handler, adapters } = dataJob('2026-04-01T13:00:30Z');
    const hour = `${captureVariantPrefix('seattle-gz', 'AllTraffic')}2026/04/01/12/`;
    const line = (r: SeattleRow): string =>
      captureLine({
        eventId: randomUUID(),
        inferenceTime: new Date('2026-04-01T12:00:00Z'),
        request: {
          contentType: 'text/csv',
          body: Buffer.from([r.precipitation, r.temp_max, r.temp_min, r.wind].join(',')),
        },
        response: { contentType: 'text/csv', body: Buffer.from(r.weather) },
      });
    await adapters.store.put(
      `${hour}05-00-000-${randomUUID()}.jsonl`,
      rows2015.slice(0, 40).map(line).join(''),
      'application/jsonlines',
    );
    const corrupt = `${hour}10-00-000-${randomUUID()}.jsonl`;
    await adapters.store.put(
      corrupt,
      gzipSync(rows2015.slice(0, 30).map(line).join('')).subarray(0, 40),
      'application/jsonlines',
    );

    const result = await handler(scheduleEvent(model, '2026-04-01T13:00:30Z'));
    expect(result).toMatchObject({ rows: 40, quarantined: 1 });
    const report = (await adapters.store.getJson(
      'reports/seattle-gz/data/2026-04-01T12:00:00Z/report.json',
    )) as StoredReport;
    expect(report.dataset.unreadableFiles).toBe(1);
    expect(report.unreadableSamples).toEqual([`${corrupt}: cannot gunzip: unexpected end of file`]);
  });
});

describe('6. empty baselines', () => {
  test('a baseline of 0 rows: a failed run naming it, no verdict, no capture read, not retried', async () => {
    const model = seattleModel({ name: 'seattle-empty' });
    const { handler, metrics, adapters } = dataJob('2026-04-01T11:00:30Z');
    const { statisticsKey, constraintsKey } = baselineKeys(model.name, 0);
    // what the baseline job wrote for a header-only dataset before it refused one
    await adapters.store.put(
      statisticsKey,
      JSON.stringify({
        version: 0,
        dataset: { item_count: 0 },
        features: ['precipitation', 'temp_max', 'temp_min', 'wind', 'weather'].map((name) => ({
          name,
          inferred_type: 'Unknown',
          string_statistics: { common: { num_present: 0, num_missing: 0 } },
        })),
      }),
      'application/json',
    );
    await adapters.store.put(
      constraintsKey,
      JSON.stringify({ version: 0, features: [] }),
      'application/json',
    );
    await writeBaselinePointer(adapters.store, {
      formatVersion: 1,
      model: model.name,
      version: 0,
      statisticsKey,
      constraintsKey,
      datasetUri: 's3://team-datasets/seattle/empty.csv',
      rows: 0,
      createdAt: '2026-04-01T00:00:00Z',
    });
    await postRows(model, rows2015.slice(0, 20), '2026-04-01T10:05:00Z');

    const result = await handler(scheduleEvent(model, '2026-04-01T11:00:30Z'));

    expect(result).toMatchObject({ status: 'failed', rows: 0, reportUri: null });
    const run = await adapters.runs.getRun('seattle-empty', 'data', '2026-04-01T10:00:00Z');
    expect(run?.status).toBe('failed');
    expect(run?.summary.error).toHaveProperty(
      'errorMessage',
      `${statisticsKey} field "dataset.item_count": the baseline has 0 rows: nothing to judge a window against; ` +
        'rebuild it from a dataset with rows',
    );
    expect(metrics.runs).toEqual([expect.objectContaining({ model: 'seattle-empty', failed: true })]);
    expect(await adapters.store.exists('reports/seattle-empty/data/2026-04-01T10:00:00Z/report.json')).toBe(
      false,
    );
    expect(await adapters.store.exists(profileKey('seattle-empty', '2026-04-01T10:00:00Z'))).toBe(false);
  });
});
