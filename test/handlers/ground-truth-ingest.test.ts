import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { quarantineKey, reasonSidecarKey } from '../../functions/adapters/s3-layout.ts';
import { makeGroundTruthIngestHandler } from '../../functions/ground-truth-ingest/ground-truth-ingest.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { windowsForLabelHour } from '../../functions/handler-kit/label-horizon.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { churnModel, writeLabels } from './support/quality-fixtures.ts';

const env = useHandlerEnvironment();

const ingest = (now: string, horizonHours?: number) => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const handler = makeGroundTruthIngestHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    events,
    now: () => new Date(now),
    logger: recordingLogger(),
    ...(horizonHours === undefined ? {} : { labelHorizonHours: horizonHours }),
  });
  return { handler, events, adapters };
};

const created = (model: ModelConfig, key: string, bucket = BUCKET) => ({
  model: nameOf(model),
  trigger: {
    id: 'e1',
    source: 'aws.s3',
    detailType: 'Object Created',
    time: '2026-06-03T05:00:00Z',
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: 1, etag: 'x' },
      reason: 'PutObject',
    },
  },
});

const evaluated = async (model: string, start: string, end: string, status: 'ok' | 'no-data' = 'ok') => {
  await env.adapters().runs.putRun({
    model,
    job: 'quality',
    windowStart: start,
    windowEnd: end,
    status,
    rowCount: 0,
    malformedCount: 0,
    quarantinedObjects: 0,
    violationCount: 0,
    startedAt: end,
    finishedAt: end,
    summary: {},
  });
};

describe('the label-horizon rule', () => {
  test.each([
    // labels at 05:xx with a 48 h horizon belong to predictions from 05:00 two days before, in daily windows
    ['2026-06-03T05:00:00Z', 48, 1440, ['2026-06-01', '2026-06-02', '2026-06-03']],
    ['2026-06-03T00:00:00Z', 24, 1440, ['2026-06-02', '2026-06-03']],
    ['2026-06-03T05:00:00Z', 2, 60, ['03:00', '04:00', '05:00']],
  ])('labels of hour %s (horizon %i h, windows of %i min)', (hour, horizon, period, expected) => {
    const windows = windowsForLabelHour(new Date(hour), horizon, period).map((w) => w.start.toISOString());
    expect(windows.map((w) => (period === 60 ? w.slice(11, 16) : w.slice(0, 10)))).toEqual(expected);
  });
});

describe('ground-truth ingest', () => {
  test('re-opens the evaluated windows the labels can belong to, not the unevaluated or empty ones', async () => {
    const model = churnModel('gt-reopen');
    await evaluated(model.name, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z');
    await evaluated(model.name, '2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z', 'no-data');
    const { handler, events, adapters } = ingest('2026-06-03T05:10:00Z');
    const key = await writeLabels(
      adapters.store,
      model.name,
      [
        { id: 'p1', label: 1 },
        { id: 'p2', label: 0 },
      ],
      '2026-06-03T05:00:00Z',
    );
    const result = await handler(created(model, key));
    expect(result).toEqual({
      key,
      status: 'accepted',
      labels: 2,
      malformed: 0,
      reopened: [{ start: '2026-06-01T00:00:00Z', end: '2026-06-02T00:00:00Z' }],
    });
    expect(events.events).toEqual([
      {
        detailType: 'Quality Evaluation Requested',
        detail: {
          model: model.name,
          window: { start: '2026-06-01T00:00:00Z', end: '2026-06-02T00:00:00Z' },
          reason: `labels arrived in ${key}`,
        },
        time: new Date('2026-06-03T05:10:00Z'),
      },
    ]);
  });

  test("takes the label horizon from the model's config: labels too late for a window do not re-open it", async () => {
    const model = churnModel('gt-horizon', { quality: { labelHorizonHours: 12 } });
    await evaluated(model.name, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z');
    await evaluated(model.name, '2026-06-02T00:00:00Z', '2026-06-03T00:00:00Z');
    const { handler, adapters } = ingest('2026-06-03T05:10:00Z');
    const key = await writeLabels(
      adapters.store,
      model.name,
      [{ id: 'p1', label: 1 }],
      '2026-06-03T05:00:00Z',
    );
    // 48 h (the default) would re-open both; 12 h reaches back only to predictions made after 2026-06-02T17:00
    const result = await handler(created(model, key));
    expect(result.reopened).toEqual([{ start: '2026-06-02T00:00:00Z', end: '2026-06-03T00:00:00Z' }]);
  });

  test("takes the model from the key when the stack's one ground-truth rule sends only the trigger", async () => {
    const model = churnModel('gt-by-key');
    const { handler, adapters } = ingest('2026-06-03T05:10:00Z');
    const key = 'ground-truth/gt-by-key/2026/06/03/05/labels.jsonl';
    await adapters.store.put(
      key,
      '{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"a"},"eventVersion":"0"}\n',
      'application/jsonlines',
    );
    const { trigger } = created(model, key);
    expect(await handler({ trigger })).toMatchObject({ key, status: 'accepted', labels: 1 });
  });

  test('counts malformed lines and keeps the object', async () => {
    const model = churnModel('gt-malformed');
    const { handler, adapters } = ingest('2026-06-03T05:10:00Z');
    const key = 'ground-truth/gt-malformed/2026/06/03/05/mixed.jsonl';
    await adapters.store.put(
      key,
      '{"groundTruthData":{"data":"1","encoding":"CSV"},"eventMetadata":{"eventId":"a"},"eventVersion":"0"}\n{"groundTruthData":{"data":"1","encoding":"XML"},"eventMetadata":{"eventId":"b"},"eventVersion":"0"}\n{broken\n',
      'application/jsonlines',
    );
    expect(await handler(created(model, key))).toMatchObject({ status: 'accepted', labels: 1, malformed: 2 });
    expect(await adapters.store.exists(key)).toBe(true);
  });

  test.each([
    [
      'a corrupt gzip',
      'ground-truth/gt-q/2026/06/03/05/corrupt.jsonl.gz',
      gzipSync('{"a":1}\n').subarray(0, 12),
      /cannot gunzip/,
    ],
    [
      'an object whose every record is malformed',
      'ground-truth/gt-q/2026/06/03/05/bad.jsonl',
      '{"groundTruthData":1,"eventMetadata":{}}\n',
      /every record malformed/,
    ],
    [
      'an object outside the hour partitions',
      'ground-truth/gt-q/labels.jsonl',
      '{}\n',
      /not under ground-truth\/gt-q\/yyyy\/mm\/dd\/hh\//,
    ],
  ])('quarantines %s with its reason', async (_name, key, body, reason) => {
    const model = churnModel('gt-q');
    const { handler, events, adapters } = ingest('2026-06-03T05:10:00Z');
    await adapters.store.put(key, body, 'application/jsonlines');
    const result = await handler(created(model, key));
    expect(result.status).toBe('quarantined');
    expect(events.events).toHaveLength(0);
    expect(await adapters.store.exists(key)).toBe(false);
    const sidecar = (await adapters.store.getJson(reasonSidecarKey(quarantineKey(key)))) as {
      reason: string;
    };
    expect(sidecar.reason).toMatch(reason);
  });

  test.each([
    [
      'another bucket',
      (m: ModelConfig) => created(m, 'ground-truth/gt-ev/2026/06/03/05/x.jsonl', 'elsewhere'),
      /^event\.trigger\.detail\.bucket\.name: /,
    ],
    [
      "another model's prefix",
      (m: ModelConfig) => created(m, 'ground-truth/other/2026/06/03/05/x.jsonl'),
      /^event\.trigger\.detail\.object\.key: /,
    ],
    [
      'no object key',
      (m: ModelConfig) => ({
        ...created(m, 'x'),
        trigger: { ...created(m, 'x').trigger, detail: { bucket: { name: BUCKET } } },
      }),
      /^event\.trigger\.detail\.object: /,
    ],
  ])('fails on an event for %s, naming the field', async (_name, build, message) => {
    const model = churnModel('gt-ev');
    const error = await ingest('2026-06-03T05:10:00Z')
      .handler(build(model))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(message);
  });
});
