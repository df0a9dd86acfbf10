import { beforeAll, describe, expect, test } from 'vitest';
import { makeDynamoLockRepository } from '../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { captureVariantPrefix, runReportKeys } from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { makeLateCaptureHandler } from '../../functions/late-capture/late-capture.ts';
import { DETAIL_TYPES, type WindowDueDetail } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { faultyLine } from './support/capture-faults.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, TABLE_NAMES, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

// Late capture (issue 10.3) on real parts: s3rver, dynalite (models, runs and the state table's locks), the data
// job and the late-capture function. A file landing in hour 10 after hour 10 was judged re-opens it; the re-run
// replaces the verdict under the same keys and counts the late rows.
const env = useHandlerEnvironment();
const model = seattleModel();
const HOUR = `${captureVariantPrefix('seattle', 'AllTraffic')}2026/03/01/10/`;
const WINDOW = '2026-03-01T10:00:00Z';
let rows2015: SeattleRow[] = [];

const objectKey = (minute: number, n: number) =>
  `${HOUR}${String(minute).padStart(2, '0')}-00-000-0000000${n}-aaaa-4bbb-8ccc-dddddddddddd.jsonl`;
const putObject = (key: string, rows: readonly SeattleRow[]) =>
  env.adapters().store.put(key, rows.map((r) => faultyLine(r)).join(''), 'application/jsonlines');

/** S3's `Object Created` as EventBridge delivers it */
const objectCreated = (key: string, time: string, id = `s3-${time}`) => ({
  version: '0',
  id,
  'detail-type': 'Object Created',
  source: 'aws.s3',
  account: '123456789012',
  time,
  region: 'us-east-1',
  resources: [`arn:aws:s3:::${BUCKET}`],
  detail: { bucket: { name: BUCKET }, object: { key, size: 1 } },
});

const lateCapture = (now: string) => {
  const events = new RecordingPublisher();
  const ddb = env.dynamo.documentClient;
  const handler = makeLateCaptureHandler({
    models: makeDynamoModelStore(TABLE_NAMES.models, ddb),
    runs: env.adapters().runs,
    locks: makeDynamoLockRepository(TABLE_NAMES.state, ddb),
    events,
    stackBucket: BUCKET,
    dispatchEveryMinutes: 5,
    now: () => new Date(now),
    logger: recordingLogger(),
  });
  return { handler, events };
};

const dataJob = (now: string) => {
  const adapters = env.adapters();
  return makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    now: () => new Date(now),
    logger: recordingLogger(),
  });
};

/** the data job's input for a `Window Due`, as the rule that routes it delivers the model and the window */
const windowDueInput = (detail: WindowDueDetail, time: string) => ({
  model: detail.model,
  trigger: { id: `due-${time}`, source: 'model-care', detailType: DETAIL_TYPES.windowDue, time, detail },
});

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  const adapters = env.adapters();
  await adapters
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
  await makeDynamoModelStore(TABLE_NAMES.models, env.dynamo.documentClient).put(model, { principal: 'test' });
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
      id: 'b1',
      source: 'model-care',
      detailType: DETAIL_TYPES.baselineRequested,
      time: '2026-03-01T00:00:00Z',
      detail: { model: model.name },
    },
  });
  for (let n = 0; n < 6; n++) await putObject(objectKey(n * 5, n), rows2015.slice(n * 20, (n + 1) * 20));
});

describe('a capture file landing in an already judged window', () => {
  test('re-opens it once per judged run, and the replaced verdict counts the late rows', async () => {
    // Prepare: hour 10 judged at 11:10 with the 120 rows there were
    const first = await dataJob('2026-03-01T11:10:30Z')(scheduleEvent(model, '2026-03-01T11:10:30Z'));
    expect(first).toMatchObject({ rows: 120, status: expect.any(String) });
    const reportKey = runReportKeys('seattle', 'data', WINDOW).report;

    // Act: a file of hour 10 lands at 11:20, another at 11:21, before any re-run
    const late = objectKey(55, 7);
    await putObject(late, rows2015.slice(200, 240));
    const opened = lateCapture('2026-03-01T11:20:05Z');
    const result = await opened.handler(objectCreated(late, '2026-03-01T11:20:00Z'));
    const later = objectKey(56, 8);
    await putObject(later, rows2015.slice(240, 250));
    const second = lateCapture('2026-03-01T11:21:05Z');
    const debounced = await second.handler(objectCreated(later, '2026-03-01T11:21:00Z'));

    // Assess: one Window Due for hour 10, naming the file; the second file waits for that re-run
    expect(result).toEqual({ model: 'seattle', reopened: ['2026-03-01T10:00:00.000Z'], debounced: [] });
    expect(opened.events.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.windowDue,
        detail: {
          model: 'seattle',
          configVersion: 1,
          job: 'data',
          window: { start: WINDOW, end: '2026-03-01T11:00:00Z' },
          reason: `late capture ${late}`,
        },
      }),
    ]);
    expect(debounced).toEqual({ model: 'seattle', reopened: [], debounced: ['2026-03-01T10:00:00.000Z'] });
    expect(second.events.events).toEqual([]);

    // the re-run (as the Window Due rule delivers it) replaces the verdict under the same key, counting both files
    const due = opened.events.events[0]?.detail as unknown as WindowDueDetail;
    const rerun = await dataJob('2026-03-01T11:25:00Z')(windowDueInput(due, '2026-03-01T11:25:00Z'));
    expect(rerun).toMatchObject({ rows: 170, runId: first.runId });
    const report = (await env.adapters().store.getJson(reportKey)) as { run: { objects: number } };
    expect(report.run.objects).toBe(8);
    expect((await env.adapters().runs.getRun('seattle', 'data', WINDOW))?.rowCount).toBe(170);

    // a file landing after the re-run started re-opens the window again: its run never listed it
    const last = objectKey(57, 9);
    await putObject(last, rows2015.slice(250, 255));
    const third = lateCapture('2026-03-01T11:30:05Z');
    expect(await third.handler(objectCreated(last, '2026-03-01T11:30:00Z'))).toMatchObject({
      reopened: ['2026-03-01T10:00:00.000Z'],
    });
  });

  test('ignores a redelivered event of a file the re-run already listed', async () => {
    // the 11:20 file again, after the 11:25 re-run: that run started after the object was created
    const again = lateCapture('2026-03-01T11:40:00Z');

    const result = await again.handler(
      objectCreated(objectKey(55, 7), '2026-03-01T11:20:00Z', 's3-redelivered'),
    );

    expect(result).toEqual({ model: 'seattle', reopened: [], debounced: [] });
    expect(again.events.events).toEqual([]);
  });

  test('rejects an event that is not S3 Object Created, naming the field', async () => {
    await expect(
      lateCapture('2026-03-01T11:40:00Z').handler({ id: 'x', time: 'now', detail: {} }),
    ).rejects.toThrow(/^event\.time: /);
  });
});
