import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import {
  BATCH_TRANSFORM_JUDGED,
  makeBatchTransformJobHandler,
  TRANSFORM_JOB_STATE_CHANGE,
} from '../../functions/batch-transform-job/batch-transform-job.ts';
import { modelForTransformJob } from '../../functions/shared/config/batch-transform-schema.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';

/** Issue 17, section 3: a batch transform job judged on its completion event, against s3rver and dynalite. */

const FIXTURES = 'test/fixtures/batch-transform';
const env = useHandlerEnvironment();

const model: ModelConfig = parseModelConfig({
  name: 'scoring-batch',
  problemType: 'regression',
  features: [
    { name: 'age', type: 'numerical' },
    { name: 'income', type: 'numerical' },
    { name: 'segment', type: 'categorical' },
  ],
  outputs: [{ name: 'score', role: 'prediction' }],
  baseline: { datasetUri: `s3://${DATASETS_BUCKET}/batch/train.csv` },
  batchTransform: { jobNamePrefix: 'nightly-scoring', captureUri: `s3://${DATASETS_BUCKET}/batch-capture` },
});

/** SageMaker's event for a transform job, as EventBridge delivers it */
const stateChange = (job: string, status = 'Completed') => ({
  version: '0',
  id: `evt-${job}`,
  'detail-type': TRANSFORM_JOB_STATE_CHANGE,
  source: 'aws.sagemaker',
  account: '123456789012',
  time: '2026-04-02T03:20:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:sagemaker:us-east-1:123456789012:transform-job/${job}`],
  detail: {
    TransformJobName: job,
    TransformJobStatus: status,
    CreationTime: 1775099700000,
    TransformStartTime: 1775099760000,
    TransformEndTime: 1775100000000,
  },
});

const handlerWith = () => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const handler = makeBatchTransformJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events,
    metrics: new RecordingMetrics(),
    now: () => new Date('2026-04-02T03:20:05Z'),
    logger: recordingLogger(),
    modelForJob: async (job) => modelForTransformJob([model], job),
    storeFor: adapters.storeFor,
  });
  return { handler, events, adapters };
};

beforeAll(async () => {
  const adapters = env.adapters();
  const datasets = adapters.storeFor(DATASETS_BUCKET);
  await datasets.put('batch/train.csv', readFileSync(`${FIXTURES}/input.csv`, 'utf8'), 'text/csv');
  nameOf(model);
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
  })({
    model: model.name,
    trigger: {
      id: 'b',
      source: 'aws.events',
      detailType: 'Scheduled Event',
      time: '2026-04-01T00:00:00Z',
      detail: {},
    },
  });
  const put = (key: string, file: string) =>
    datasets.put(key, readFileSync(`${FIXTURES}/${file}`), 'application/octet-stream');
  await put('batch-capture/input/2026/04/02/03/nightly-scoring-0402/part-0.parquet', 'input.parquet');
  // outputs are not inputs: were this read as input, its columns would not fit
  await datasets.put(
    'batch-capture/output/2026/04/02/03/nightly-scoring-0402/part-0.out',
    '0.1\n0.2\n',
    'text/csv',
  );
  await put('batch-capture/input/2026/04/02/03/nightly-scoring-0403/part-0.parquet', 'drifted.parquet');
  await put('batch-capture/input/2026/04/02/03/nightly-scoring-0404/part-0.parquet', 'not-parquet.parquet');
});

describe('batch transform jobs judged on completion', () => {
  test('a job like the baseline passes: run recorded, report written, Batch Transform Judged "pass"', async () => {
    // Prepare
    const { handler, events, adapters } = handlerWith();
    // Act
    const result = await handler(stateChange('nightly-scoring-0402'));
    // Assess
    expect(result).toMatchObject({
      job: 'nightly-scoring-0402',
      status: 'ok',
      rows: 300,
      violations: 0,
    });
    const judged = events.events.find((e) => e.detailType === BATCH_TRANSFORM_JUDGED);
    expect(judged?.detail).toMatchObject({
      model: 'scoring-batch',
      transformJobName: 'nightly-scoring-0402',
      verdict: 'pass',
    });
    const run = await adapters.runs.getRun('scoring-batch', 'data', '2026-04-02T03:16:00Z');
    expect(run).toMatchObject({ status: 'ok' });
  });

  test('a drifted job fails: violations event for the alerts, and verdict "fail"', async () => {
    const { handler, events } = handlerWith();
    const result = await handler(stateChange('nightly-scoring-0403'));
    expect(result).toMatchObject({ status: 'violations' });
    expect((result as { violations: number }).violations).toBeGreaterThan(0);
    expect(events.events.map((e) => e.detailType)).toEqual(
      expect.arrayContaining(['Monitoring Violations Detected', BATCH_TRANSFORM_JUDGED]),
    );
    expect(events.events.find((e) => e.detailType === BATCH_TRANSFORM_JUDGED)?.detail).toMatchObject({
      verdict: 'fail',
    });
  });

  test.each([
    ['a job that did not complete', stateChange('nightly-scoring-0402', 'Failed'), 'status Failed'],
    [
      'a job no model claims',
      stateChange('adhoc-0402'),
      'no model has a matching batchTransform.jobNamePrefix',
    ],
  ])('ignores %s', async (_, event, reason) => {
    const { handler, events } = handlerWith();
    expect(await handler(event)).toEqual({ status: 'ignored', job: event.detail.TransformJobName, reason });
    expect(events.events).toEqual([]);
  });

  test('fails a job whose captured input is not Parquet, naming the object, and records the failed run', async () => {
    const { handler } = handlerWith();
    await expect(handler(stateChange('nightly-scoring-0404'))).rejects.toThrow(
      /part-0\.parquet: not a Parquet file/,
    );
  });

  test('rejects an event that is not a transform job state change', async () => {
    const { handler } = handlerWith();
    await expect(handler({ ...stateChange('x'), 'detail-type': 'Scheduled Event' })).rejects.toThrow(
      /detail-type/,
    );
  });
});
