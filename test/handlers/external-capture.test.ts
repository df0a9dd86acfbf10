import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeCaptureSources } from '../../functions/adapters/capture-source.ts';
import type { ObjectStore } from '../../functions/adapters/object-store.ts';
import {
  captureVariantPrefix,
  QUARANTINE_ROOT,
  reasonSidecarKey,
  runReportKeys,
} from '../../functions/adapters/s3-layout.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { externalQuarantineKey } from '../../functions/data-job/quarantine-objects.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { type CaptureFault, faultyLine } from './support/capture-faults.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, scheduleEvent, seattleModel, seattleRows } from './support/seattle.ts';

// Capture where a live endpoint's Data Capture already writes (issue 10): a second bucket on the same s3rver,
// read through the model's capture source, judged exactly as the same bytes in the stack bucket are.
const env = useHandlerEnvironment();
const OWNER_BUCKET = 'acme-capture';
const ownStack = seattleModel({ name: 'seattle' });
const elsewhere = seattleModel({
  name: 'seattle-owned',
  // another endpoint name than the stack model's: read from the wrong bucket, it would find no capture at all
  capture: { s3Uri: `s3://${OWNER_BUCKET}/datacapture`, endpointName: 'seattle-live' },
});
/** hour 10 of 2026-03-01: 8 objects of 20 rows, one written with a request field the config does not list */
const FAULTS: CaptureFault[] = [
  'none',
  'none',
  'none',
  'extra-request-field',
  'none',
  'none',
  'none',
  'none',
];
const HOUR_PATH = '2026/03/01/10/';
const NOW = '2026-03-01T11:00:30Z';

const owner = (): ObjectStore => env.adapters().storeFor(OWNER_BUCKET);
const keysUnder = async (store: ObjectStore, prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const info of store.list(prefix)) keys.push(info.key);
  return keys;
};

const dataJob = () => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const handler = makeDataJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    // as the cloud wires it, with the emulator's client standing in for the model's access role
    captureSources: makeCaptureSources({ store: adapters.store, bucket: BUCKET }, (bucket) =>
      adapters.storeFor(bucket),
    ),
    runs: adapters.runs,
    series: adapters.series,
    events,
    metrics: new RecordingMetrics(),
    now: () => new Date(NOW),
    logger: recordingLogger(),
  });
  return { handler, events, adapters };
};

let objectNames: string[] = [];

beforeAll(async () => {
  const rows = await seattleRows();
  const rows2015: SeattleRow[] = rows.filter((r) => r.date.startsWith('2015'));
  await env.s3.client.send(new CreateBucketCommand({ Bucket: OWNER_BUCKET }));
  const adapters = env.adapters();
  await adapters
    .storeFor(DATASETS_BUCKET)
    .put('seattle/2012.csv', csvOf(rows.filter((r) => r.date.startsWith('2012'))), 'text/csv');
  for (const model of [ownStack, elsewhere]) {
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
        id: `b-${model.name}`,
        source: 'model-care',
        detailType: DETAIL_TYPES.baselineRequested,
        time: '2026-03-01T00:00:00Z',
        detail: { model: model.name },
      },
    });
  }
  // the same bytes under the same names in both places, as SageMaker names them
  objectNames = FAULTS.map(
    (_, i) => `${String(i * 5).padStart(2, '0')}-00-000-0000000${i}-aaaa-4bbb-8ccc-dddddddddddd.jsonl`,
  );
  for (const [i, fault] of FAULTS.entries()) {
    const body = rows2015
      .slice(i * 20, (i + 1) * 20)
      .map((r) => faultyLine(r, fault))
      .join('');
    const name = objectNames[i] ?? '';
    await adapters.store.put(
      `${captureVariantPrefix('seattle', 'AllTraffic')}${HOUR_PATH}${name}`,
      body,
      'application/jsonlines',
    );
    await owner().put(
      `datacapture/seattle-live/AllTraffic/${HOUR_PATH}${name}`,
      body,
      'application/jsonlines',
    );
  }
});

describe('capture in a bucket the stack does not own', () => {
  test('gives the same verdict as the same capture in the stack bucket, and leaves every object in place', async () => {
    // Prepare
    const ownerKeys = await keysUnder(owner(), 'datacapture/');
    const { handler, adapters } = dataJob();

    // Act
    const fromStack = await handler(scheduleEvent(ownStack, NOW));
    const fromOwner = await handler(scheduleEvent(elsewhere, NOW));

    // Assess: one verdict, whichever bucket held the capture
    const counts = ({ status, rows, malformed, quarantined, violations }: typeof fromStack) => ({
      status,
      rows,
      malformed,
      quarantined,
      violations,
    });
    expect(counts(fromOwner)).toEqual(counts(fromStack));
    expect(fromOwner).toMatchObject({ rows: 140, quarantined: 1 });
    const violationsOf = async (model: string) =>
      adapters.store.getText(runReportKeys(model, 'data', '2026-03-01T10:00:00Z').violations);
    expect(await violationsOf('seattle-owned')).toBe(await violationsOf('seattle'));
    const featuresOf = async (model: string) =>
      (
        (await adapters.store.getJson(runReportKeys(model, 'data', '2026-03-01T10:00:00Z').report)) as {
          features: unknown;
        }
      ).features;
    expect(await featuresOf('seattle-owned')).toEqual(await featuresOf('seattle'));

    // the owner's bucket: not one object moved or deleted
    expect(await keysUnder(owner(), 'datacapture/')).toEqual(ownerKeys);
    // the unreadable one copied to our quarantine with its reason
    const bad = `datacapture/seattle-live/AllTraffic/${HOUR_PATH}${objectNames[3]}`;
    const copy = externalQuarantineKey(OWNER_BUCKET, bad);
    expect(await adapters.store.getText(copy)).toBe(await owner().getText(bad));
    expect(await adapters.store.getJson(reasonSidecarKey(copy))).toMatchObject({
      source: `s3://${OWNER_BUCKET}/${bad}`,
      leftInPlace: true,
      reason: expect.stringContaining('expected 4 fields, found 5'),
    });
    // while the stack bucket's own unreadable object was moved, as before
    const ownBad = `${captureVariantPrefix('seattle', 'AllTraffic')}${HOUR_PATH}${objectNames[3]}`;
    expect(await adapters.store.exists(ownBad)).toBe(false);
    expect(await adapters.store.exists(`${QUARANTINE_ROOT}${ownBad}`)).toBe(true);
  });

  test('a second run of the window copies the unreadable object again, still leaving the original', async () => {
    const { handler, adapters } = dataJob();
    const bad = `datacapture/seattle-live/AllTraffic/${HOUR_PATH}${objectNames[3]}`;

    const again = await handler(scheduleEvent(elsewhere, NOW));

    expect(again).toMatchObject({ rows: 140, quarantined: 1 });
    expect(await owner().exists(bad)).toBe(true);
    expect(await adapters.store.exists(externalQuarantineKey(OWNER_BUCKET, bad))).toBe(true);
  });
});
