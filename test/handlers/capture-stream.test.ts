import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import type { CaptureStream } from '../../functions/adapters/capture-stream.ts';
import { captureHourPrefix } from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { CaptureWriteError, makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import {
  makeRoutedCaptureSink,
  makeStreamCaptureSink,
} from '../../functions/capture-api/stream-capture-sink.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { captureRouteFor } from '../../functions/shared/config/capture-routes.ts';
import { STREAM_FOLDER_FIELD } from '../../functions/shared/config/capture-transport.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { LocalCaptureStream } from '../../local/capture/local-capture-stream.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { clock, noWait, RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

/*
 * The `capture.transport: stream` path on the local twin's emulators. There is no Firehose emulator: the stream is
 * LocalCaptureStream, which partitions and buffers as the delivery stream is configured to and writes into
 * s3rver. Not emulated: Firehose's own delivery retries and at-least-once duplicates, its jq engine (the keys are
 * read from the same field the jq query names), and SSE-KMS on delivery; the stream's CloudFormation is checked by
 * test/lib/capture-stream.test.ts with cfn-lint and cdk-nag instead.
 */

const env = useHandlerEnvironment();
const model = seattleModel({ capture: { transport: 'stream' } });
let rows2015: SeattleRow[] = [];
let written: { keys: string[]; objects: number } = { keys: [], objects: 0 };

beforeAll(async () => {
  const rows = await seattleRows();
  rows2015 = rows.filter((r) => r.date.startsWith('2015'));
  const adapters = env.adapters();
  await adapters
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
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

  // the capture API as the Lambda wires it: the streamed route's lines go to the stream, one request a minute
  const time = clock('2026-03-01T10:05:00Z');
  const stream = new LocalCaptureStream({ store: adapters.store, now: time.now });
  const route = captureRouteFor(model);
  const api = makeCaptureApiHandler({
    routes: [route],
    sink: makeRoutedCaptureSink(
      makeDirectCaptureSink({ store: adapters.store, now: time.now, newId: randomUUID }),
      makeStreamCaptureSink({ stream }),
    ),
    store: adapters.store,
    inference: { invokeEndpoint: () => Promise.reject(new Error('not used')) },
    metrics: new RecordingMetrics(),
    now: time.now,
    logger: recordingLogger(),
  });
  for (let i = 0; i < rows2015.length; i += 100) {
    const records = rows2015.slice(i, i + 100).map((r) => ({
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
    time.advance(60_000);
  }
  await stream.flush();
  const keys: string[] = [];
  for await (const object of adapters.store.list(
    captureHourPrefix('seattle', 'AllTraffic', new Date('2026-03-01T10:00:00Z')),
  ))
    keys.push(object.key);
  written = { keys, objects: stream.objectsWritten };
});

describe('capture.transport: stream on the local twin', () => {
  test('the route says stream, and four requests become one object in the hour folder', () => {
    expect(captureRouteFor(model).transport).toBe('stream');
    expect(captureRouteFor(seattleModel()).transport).toBeUndefined();
    expect(written.objects).toBe(1);
    expect(written.keys).toHaveLength(1);
    expect(written.keys[0]).toMatch(/^capture\/seattle\/AllTraffic\/2026\/03\/01\/10\/[^/]+\.jsonl$/);
  });

  test('the data job reads what the stream wrote: every row, drift judged as on the api path', async () => {
    const adapters = env.adapters();
    const result = await makeDataJobHandler({
      configs: knownModelConfigs,
      store: adapters.store,
      bucket: BUCKET,
      runs: adapters.runs,
      series: adapters.series,
      events: new RecordingPublisher(),
      metrics: new RecordingMetrics(),
      now: () => new Date('2026-03-01T11:00:30Z'),
      logger: recordingLogger(),
    })(scheduleEvent(model, '2026-03-01T11:00:30Z'));
    expect(result).toMatchObject({ status: 'violations', rows: 365, malformed: 0, quarantined: 0 });
  });
});

describe('stream capture sink', () => {
  const location = { endpointName: 'churn-xgboost', variantName: 'AllTraffic' };
  const line = '{"captureData":{},"eventMetadata":{"eventId":"e1"},"eventVersion":"0"}\n';

  test('tags each line with its folder and puts again only what the stream refused', async () => {
    const calls: string[][] = [];
    const stream: CaptureStream = {
      async putRecords(records) {
        calls.push([...records]);
        return calls.length === 1 ? [1] : [];
      },
    };
    const sink = makeStreamCaptureSink({
      stream,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: noWait },
    });
    await sink.write(location, [line, line.replace('e1', 'e2')]);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([calls[0]?.[1]]);
    const tagged = JSON.parse(calls[0]?.[0] ?? '{}') as Record<string, unknown>;
    expect(tagged[STREAM_FOLDER_FIELD]).toEqual({ endpoint: 'churn-xgboost', variant: 'AllTraffic' });
    expect(tagged.eventMetadata).toEqual({ eventId: 'e1' });
  });

  test('rejects with CaptureWriteError when the stream keeps refusing', async () => {
    const stream: CaptureStream = { putRecords: async (records) => records.map((_, i) => i) };
    const sink = makeStreamCaptureSink({
      stream,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: noWait },
    });
    await expect(sink.write(location, [line])).rejects.toThrow(CaptureWriteError);
  });

  test('rejects records with no folder into the error prefix, outside capture/', async () => {
    const puts: string[] = [];
    const stream = new LocalCaptureStream({
      store: { put: async (key: string) => void puts.push(key) } as never,
      now: () => new Date('2026-03-01T10:00:00Z'),
    });
    await stream.putRecords(['not json\n', line]);
    await stream.flush();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatch(/^capture-errors\/processing-failed\/2026\/03\/01\//);
  });
});
