import { describe, expect, test } from 'vitest';
import { EndpointBusyError, EndpointNotFoundError } from '../../functions/adapters/errors.ts';
import { makeS3StoreFor } from '../../functions/adapters/s3/s3-object-store.ts';
import { makeLocalEndpointControl } from '../../local/sagemaker/local-endpoint-control.ts';
import { LocalSageMaker, toS3Uri } from '../../local/sagemaker/local-sagemaker.ts';
import { SageMakerValidationError } from '../../local/sagemaker/sagemaker-api.ts';
import {
  linearArtifact,
  linearScorer,
  thresholdTrainer,
} from '../handlers/retraining/support/linear-model.ts';
import { useS3rver } from '../support/s3rver.ts';

const BUCKET = 'sm-store';
const s3 = useS3rver([BUCKET]);

const local = () => {
  const sageMaker = new LocalSageMaker({
    s3: s3.current.client,
    trainer: thresholdTrainer(2),
    scorer: linearScorer(),
  });
  const store = makeS3StoreFor(s3.current.client)(BUCKET);
  return { sageMaker, store };
};

const model = (sageMaker: LocalSageMaker, name: string, key: string) =>
  sageMaker.createModel({
    ModelName: name,
    PrimaryContainer: { Image: 'img', ModelDataUrl: `s3://${BUCKET}/${key}` },
  });

describe('the local SageMaker', () => {
  test('trains from the channels into <output>/<job>/output/model.tar.gz, taking https S3 URLs as SageMaker does', async () => {
    const { sageMaker, store } = local();
    const rows = Array.from({ length: 20 }, (_, i) => `${i < 10 ? 0 : 1},${i - 9.5},0\n`).join('');
    await store.put('train/a.csv', rows, 'text/csv');
    sageMaker.createTrainingJob({
      TrainingJobName: 'job-1',
      AlgorithmSpecification: { TrainingImage: 'img' },
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: `s3://${BUCKET}/train/` } } },
      ],
      OutputDataConfig: { S3OutputPath: `https://s3.us-east-1.amazonaws.com/${BUCKET}/artifacts/` },
    });
    expect(sageMaker.describeTrainingJob('job-1').TrainingJobStatus).toBe('InProgress');
    await sageMaker.settled();
    const job = sageMaker.describeTrainingJob('job-1');
    expect(job).toMatchObject({
      TrainingJobStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: `s3://${BUCKET}/artifacts/job-1/output/model.tar.gz` },
    });
    expect(JSON.parse(await store.getText('artifacts/job-1/output/model.tar.gz'))).toMatchObject({
      kind: 'linear',
    });
    expect(() => sageMaker.createTrainingJob({ ...job, TrainingJobName: 'job-1' })).toThrow(
      /already existing/,
    );
  });

  test('fails a training job whose trainer throws, with the reason', async () => {
    const { sageMaker, store } = local();
    await store.put('tiny/a.csv', '1,0,0\n', 'text/csv');
    sageMaker.createTrainingJob({
      TrainingJobName: 'job-2',
      AlgorithmSpecification: {},
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: `s3://${BUCKET}/tiny/` } } },
      ],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/artifacts` },
    });
    await sageMaker.settled();
    expect(sageMaker.describeTrainingJob('job-2')).toMatchObject({
      TrainingJobStatus: 'Failed',
      FailureReason: 'AlgorithmError: need at least 10 rows, got 1',
    });
  });

  test('scores every input file of a transform into <output>/<file>.out, one line per record', async () => {
    const { sageMaker, store } = local();
    await store.put('m/a.json', linearArtifact([1, 0]), 'application/json');
    model(sageMaker, 'm-a', 'm/a.json');
    await store.put('in/p1.csv', '0,0\n100,0\n', 'text/csv');
    await store.put('in/p2.csv', '-100,0\n', 'text/csv');
    sageMaker.createTransformJob({
      TransformJobName: 't-1',
      ModelName: 'm-a',
      TransformInput: { DataSource: { S3DataSource: { S3Uri: `s3://${BUCKET}/in/` } }, SplitType: 'Line' },
      TransformOutput: { S3OutputPath: `s3://${BUCKET}/out/` },
    });
    await sageMaker.settled();
    expect(sageMaker.describeTransformJob('t-1').TransformJobStatus).toBe('Completed');
    expect(await store.getText('out/p1.csv.out')).toBe('0.500000\n1.000000\n');
    expect(await store.getText('out/p2.csv.out')).toBe('0.000000\n');
  });

  test('keeps the old config serving when an update cannot load its model, as SageMaker rolls back', async () => {
    const { sageMaker, store } = local();
    await store.put('m/good.json', linearArtifact([1, 0]), 'application/json');
    model(sageMaker, 'good', 'm/good.json');
    model(sageMaker, 'broken', 'm/missing.json');
    for (const name of ['good', 'broken']) {
      sageMaker.createEndpointConfig({
        EndpointConfigName: name,
        ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: name }],
      });
    }
    sageMaker.createEndpoint({ EndpointName: 'ep', EndpointConfigName: 'good' });
    await sageMaker.settled();
    const control = makeLocalEndpointControl(sageMaker);
    await control.updateEndpoint('ep', 'broken');
    await expect(control.updateEndpoint('ep', 'good')).rejects.toThrow(EndpointBusyError);
    expect((await sageMaker.invokeEndpoint({ endpoint: 'ep', body: '10,0' })).modelName).toBe('good');
    await sageMaker.settled();
    expect(await control.describeEndpoint('ep')).toMatchObject({
      status: 'InService',
      configName: 'good',
      failureReason: expect.stringContaining('Failed to update endpoint to broken'),
    });
    await expect(control.describeEndpoint('nope')).rejects.toThrow(EndpointNotFoundError);
    expect(() => sageMaker.describeModel('nope')).toThrow(SageMakerValidationError);
  });

  test.each([
    ['s3://b/k/x', 's3://b/k/x'],
    ['https://s3.us-east-1.amazonaws.com/my-bucket/training/a/', 's3://my-bucket/training/a/'],
    ['https://my-bucket.s3.eu-west-1.amazonaws.com/k', 's3://my-bucket/k'],
  ])('reads the S3 location %s as %s', (location, uri) => {
    expect(toS3Uri(location)).toBe(uri);
  });
});
