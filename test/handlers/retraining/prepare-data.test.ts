import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeS3StoreFor } from '../../../functions/adapters/s3/s3-object-store.ts';
import { captureObjectKey, groundTruthHourPrefix } from '../../../functions/adapters/s3-layout.ts';
import {
  InsufficientDataError,
  makePrepareDataHandler,
} from '../../../functions/retraining/prepare-data/prepare-data.ts';
import { trainingJobName } from '../../../functions/retraining/shared/training-layout.ts';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import type { AcquireLockResult, PrepareDataResult } from '../../../functions/shared/retraining-contract.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { useS3rver } from '../../support/s3rver.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, stepModel } from './support/step-fixtures.ts';

const STORE = 'capture-store';
const SOURCES = 'sources';
const REGISTRY = 'prep-registry';
const s3 = useS3rver([STORE, SOURCES]);
const dynalite = useDynalite([{ name: REGISTRY }]);

const lock: AcquireLockResult = {
  acquired: true,
  reason: 'acquired',
  lockId: 'l',
  expiresAt: '2026-11-24T08:00:00Z',
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const prepare = (model: ModelConfig, name = 'exec-1') => {
  const handler = makePrepareDataHandler({
    storeFor: makeS3StoreFor(s3.current.client),
    captureBucket: STORE,
    registry: makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient),
    logger: recordingLogger(),
  });
  return handler({ model, execution: execution(name), lock });
};

const read = async (uri: string) => {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  return makeS3StoreFor(s3.current.client)(bucket!).getText(key!);
};
const put = (bucket: string, key: string, text: string) =>
  makeS3StoreFor(s3.current.client)(bucket).put(key, text, 'text/plain');

/** n rows `label,x1,x2` with labels alternating so both classes are present */
const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `${(i + from) % 2},${(i + from) / 10},${i % 7}\n`).join('');

describe('prepare-data', () => {
  test('writes the channels, a stratified holdout, the baseline dataset and a manifest with hashes', async () => {
    const model = stepModel(
      { name: 'prep-a' },
      {
        inputChannels: [
          { name: 'train', s3Uri: `s3://${SOURCES}/prep-a/train/` },
          { name: 'validation', s3Uri: `s3://${SOURCES}/prep-a/validation.csv` },
        ],
        holdoutFraction: 0.25,
      },
    );
    const part1 = `label,x1,x2\n${rows(20)}`;
    const part2 = `${rows(19, 20)}1,2.5\n`; // the last row lacks a field
    await put(SOURCES, 'prep-a/train/part-1.csv', part1);
    await put(SOURCES, 'prep-a/train/part-2.csv', part2);
    await put(SOURCES, 'prep-a/validation.csv', rows(6));

    const result = await prepare(model);

    const jobName = trainingJobName('prep-a', execution('exec-1'));
    const root = `s3://${STORE}/training/prep-a/${jobName}/`;
    expect(result).toEqual({
      jobName,
      channelUris: { train: `${root}channels/train/`, validation: `${root}channels/validation/` },
      // the training job's InputDataConfig as the one state machine hands it to SageMaker
      inputDataConfig: ['train', 'validation'].map((name) => ({
        ChannelName: name,
        ContentType: 'text/csv',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix' as const,
            S3Uri: `${root}channels/${name}/`,
            S3DataDistributionType: 'FullyReplicated' as const,
          },
        },
      })),
      manifestUri: `${root}manifest.json`,
      manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordCount: 45,
      baselineDatasetUri: `${root}baseline/dataset.csv`,
      holdout: {
        inputUri: `${root}holdout/features/`,
        labelsUri: `${root}holdout/labels.csv`,
        contentType: 'text/csv',
        challengerTransformJobName: `${jobName}-c`,
        challengerOutputUri: `${root}holdout/challenger/`,
        championTransformJobName: `${jobName}-p`,
        championOutputUri: `${root}holdout/champion/`,
      },
      championModelName: null,
      championVersion: null,
      encoder: {
        uri: `s3://${STORE}/training/prep-a/artifacts/${jobName}/encoder.json`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    } satisfies PrepareDataResult);

    const train = (await read(`${root}channels/train/part-00000.csv`)).trim().split('\n');
    const features = (await read(`${root}holdout/features/part-00000.csv`)).trim().split('\n');
    const labels = (await read(`${root}holdout/labels.csv`)).trim().split('\n');
    expect(train).toHaveLength(29);
    expect(features).toHaveLength(10);
    expect(labels).toHaveLength(10);
    expect(labels.filter((l) => l === '1')).toHaveLength(5); // stratified: half of each class's quarter
    expect(features[0]!.split(',')).toHaveLength(2);
    expect(train[0]!.split(',')).toHaveLength(3);
    // holdout and training rows never overlap
    const held = new Set(features);
    expect(train.filter((line) => held.has(line.slice(line.indexOf(',') + 1)))).toEqual([]);
    expect((await read(`${root}channels/validation/part-00000.csv`)).trim().split('\n')).toHaveLength(6);
    expect((await read(result.baselineDatasetUri)).split('\n')[0]).toBe('x1,x2');

    const manifestText = await read(result.manifestUri);
    expect(sha256(manifestText)).toBe(result.manifestSha256);
    const manifest = JSON.parse(manifestText);
    expect(manifest.sources).toEqual([
      expect.objectContaining({ channel: 'train', sha256: sha256(part1), records: 20, malformed: 0 }),
      expect.objectContaining({ channel: 'train', sha256: sha256(part2), records: 19, malformed: 1 }),
      expect.objectContaining({ channel: 'validation', records: 6 }),
    ]);
    expect(manifest.skipped.samples[0]).toMatchObject({
      line: 20,
      reason: expect.stringMatching(/expected 3 fields/),
    });
    expect(manifest.training).toEqual({
      image: model.retraining!.trainingImage,
      hyperparameters: { depth: '3' },
      instanceType: 'ml.m5.xlarge',
      instanceCount: 1,
    });
    expect(manifest.capture.window).toEqual({
      start: '2026-11-16T08:00:00.000Z',
      end: '2026-11-23T08:00:00.000Z',
    });
  });

  test('joins recent capture with its ground truth into the first channel; positive labels become 1', async () => {
    const model = stepModel(
      { name: 'prep-b', positiveLabel: 'yes' },
      { inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES}/prep-b/` }] },
    );
    await put(SOURCES, 'prep-b/data.csv', 'yes,1,1\nno,0,0\nyes,1,2\nno,0,3\n');
    const at = new Date('2026-11-23T05:10:00Z');
    const capture = [1, 2, 3, 4]
      .map((i) =>
        JSON.stringify({
          captureData: {
            endpointInput: {
              observedContentType: 'text/csv',
              mode: 'INPUT',
              data: `${i},${i * 10}`,
              encoding: 'CSV',
            },
            endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.4', encoding: 'CSV' },
          },
          eventMetadata: { eventId: `e${i}`, inferenceTime: `2026-11-23T05:1${i}:00Z` },
          eventVersion: '0',
        }),
      )
      .join('\n');
    await put(
      STORE,
      captureObjectKey('churn-ep', 'AllTraffic', at, '0a0b0c0d-0000-4000-8000-000000000001'),
      capture,
    );
    const truth = ['yes', 'no', 'yes']
      .map((label, i) =>
        JSON.stringify({
          groundTruthData: { data: label, encoding: 'CSV' },
          eventMetadata: { eventId: `e${i + 1}` },
          eventVersion: '0',
        }),
      )
      .join('\n');
    await put(STORE, `${groundTruthHourPrefix('prep-b', new Date('2026-11-23T07:00:00Z'))}gt.jsonl`, truth);
    // capture from after the execution started is not part of it
    await put(
      STORE,
      captureObjectKey(
        'churn-ep',
        'AllTraffic',
        new Date('2026-11-23T09:00:00Z'),
        '0a0b0c0d-0000-4000-8000-000000000002',
      ),
      capture,
    );

    const result = await prepare({ ...model, endpoint: { name: 'churn-ep', variant: 'AllTraffic' } });

    const manifest = JSON.parse(await read(result.manifestUri));
    expect(manifest.capture).toMatchObject({
      capturedRecords: 4,
      labelledRecords: 3,
      unmatchedPredictions: 1,
      unmatchedLabels: 0,
      timeRange: { first: '2026-11-23T05:11:00Z', last: '2026-11-23T05:13:00Z' },
    });
    expect(manifest.capture.objects).toHaveLength(1);
    expect(manifest.labelCounts).toEqual({ '1': 4, '0': 3 });
    expect(result.recordCount).toBe(7);
    const train = await read(`${result.channelUris.train}part-00000.csv`);
    const held = await read(result.holdout.labelsUri);
    const all = `${train}${held}`;
    expect(all).not.toMatch(/yes|no/);
    expect(train.split('\n').filter(Boolean).length + held.split('\n').filter(Boolean).length).toBe(7);
  });

  test.each([
    ['training-set' as const, ['0,0', '0,3', '1,1', '1,10', '1,2', '2,20', '3,30']],
    ['recent-capture' as const, ['1,10', '2,20', '3,30']],
  ])(
    'baseline.afterRetraining %s: the new baseline holds what the promoted model is judged against',
    async (after, expected) => {
      const name = `prep-${after}`;
      const model = stepModel(
        { name, baseline: { datasetUri: 's3://team-datasets/x.csv', header: false, afterRetraining: after } },
        { inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES}/${name}/` }] },
      );
      await put(SOURCES, `${name}/data.csv`, '1,1,1\n0,0,0\n1,1,2\n0,0,3\n');
      const endpoint = `ep-${after}`;
      const capture = [1, 2, 3]
        .map((i) =>
          JSON.stringify({
            captureData: {
              endpointInput: {
                observedContentType: 'text/csv',
                mode: 'INPUT',
                data: `${i},${i * 10}`,
                encoding: 'CSV',
              },
              endpointOutput: {
                observedContentType: 'text/csv',
                mode: 'OUTPUT',
                data: '0.4',
                encoding: 'CSV',
              },
            },
            eventMetadata: { eventId: `${after}-${i}`, inferenceTime: `2026-11-23T05:1${i}:00Z` },
            eventVersion: '0',
          }),
        )
        .join('\n');
      await put(
        STORE,
        captureObjectKey(
          endpoint,
          'AllTraffic',
          new Date('2026-11-23T05:10:00Z'),
          '0a0b0c0d-0000-4000-8000-000000000003',
        ),
        capture,
      );
      const truth = [1, 2, 3]
        .map((i) =>
          JSON.stringify({
            groundTruthData: { data: '1', encoding: 'CSV' },
            eventMetadata: { eventId: `${after}-${i}` },
            eventVersion: '0',
          }),
        )
        .join('\n');
      await put(STORE, `${groundTruthHourPrefix(name, new Date('2026-11-23T07:00:00Z'))}gt.jsonl`, truth);

      const result = await prepare({ ...model, endpoint: { name: endpoint, variant: 'AllTraffic' } });

      const baseline = (await read(result.baselineDatasetUri)).trim().split('\n');
      if (after === 'recent-capture') expect(baseline.sort()).toEqual(expected);
      else {
        // the training rows: everything but the holdout
        expect(baseline.length).toBeLessThan(7);
        expect(baseline.every((row) => expected.includes(row))).toBe(true);
      }
    },
  );

  test('splits the same way for the same execution, and differently for another', async () => {
    const model = stepModel(
      { name: 'prep-c' },
      { inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES}/prep-c/` }] },
    );
    await put(SOURCES, 'prep-c/data.csv', rows(200));
    const first = await prepare(model, 'exec-1');
    const firstHoldout = await read(`${first.holdout.inputUri}part-00000.csv`);
    const retried = await prepare(model, 'exec-1');
    expect(retried).toEqual(first);
    expect(await read(`${retried.holdout.inputUri}part-00000.csv`)).toBe(firstHoldout);
    const other = await prepare(model, 'exec-2');
    expect(other.jobName).not.toBe(first.jobName);
    expect(await read(`${other.holdout.inputUri}part-00000.csv`)).not.toBe(firstHoldout);
  });

  test('names the champion to score against from the registry', async () => {
    const model = stepModel(
      { name: 'prep-d' },
      { inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES}/prep-d/` }] },
    );
    await put(SOURCES, 'prep-d/data.csv', rows(10));
    const registry = makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient);
    await registry.registerVersion('prep-d', {
      version: 3,
      createdAt: '2026-11-01T00:00:00Z',
      artifactUri: 's3://b/m.tar.gz',
      sagemakerModelName: 'prep-d-v3',
      evaluation: {},
    });
    await registry.setChampion('prep-d', 3, null);
    expect(await prepare(model)).toMatchObject({ championModelName: 'prep-d-v3', championVersion: 3 });
  });

  test('fails when there is too little labelled data to train and hold out', async () => {
    const model = stepModel(
      { name: 'prep-e' },
      { inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES}/prep-e/` }] },
    );
    await put(SOURCES, 'prep-e/data.csv', '1,0.5,1\n');
    await expect(prepare(model)).rejects.toThrow(InsufficientDataError);
  });

  test('gives the longest model name a job name within SageMaker’s 63 characters', () => {
    const name = trainingJobName('m'.repeat(32), execution('x', '2026-01-02T03:04:05.678Z'));
    expect(name).toMatch(/^m{32}-20260102030405-[0-9a-f]{4}$/);
    expect(`${name}-c`.length).toBeLessThanOrEqual(63);
  });
});
