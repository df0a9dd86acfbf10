import { readFileSync } from 'node:fs';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { describe, expect, test } from 'vitest';
import { EndpointNotFoundError } from '../../../functions/adapters/errors.ts';
import type {
  DescribedEndpointConfig,
  LiveEndpointReader,
} from '../../../functions/adapters/live-endpoint.ts';
import { makeSageMakerLiveEndpoint } from '../../../functions/adapters/sagemaker/sagemaker-live-endpoint.ts';
import { deploymentConfig } from '../../../functions/retraining/plan-promotion/deployment-config.ts';
import {
  copyEndpointConfig,
  VariantNotFoundError,
} from '../../../functions/retraining/plan-promotion/endpoint-config-copy.ts';
import { makePlanPromotionHandler } from '../../../functions/retraining/plan-promotion/plan-promotion.ts';
import { parseModelConfig } from '../../../functions/shared/config/parse-config.ts';
import type { CurrentEndpoint, PrepareDataResult } from '../../../functions/shared/retraining-contract.ts';
import { useMotoServer } from '../../support/use-moto-server.ts';
import { recordingLogger } from './support/silent-logger.ts';

const { _source, ...recorded } = JSON.parse(
  readFileSync(new URL('./fixtures/describe-endpoint-config.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const described: DescribedEndpointConfig = {
  description: recorded,
  tags: [
    { Key: 'team', Value: 'fraud' },
    { Key: 'aws:cloudformation:stack-name', Value: 'fraud-serving' },
  ],
};

describe('copyEndpointConfig on a recorded DescribeEndpointConfig', () => {
  test('keeps every field and variant, swapping only the monitored variant model', () => {
    const copy = copyEndpointConfig(described, {
      name: 'fraud-20261123080000-ab12',
      swap: { variantName: 'AllTraffic', modelName: 'fraud-20261123080000-ab12' },
      tags: [{ Key: 'model-care:model', Value: 'fraud' }],
    });
    const { EndpointConfigArn: _arn, CreationTime: _time, ExplainerConfig: _none, ...fields } = recorded;
    const variants = recorded.ProductionVariants as Record<string, unknown>[];
    expect(copy).toEqual({
      ...fields,
      EndpointConfigName: 'fraud-20261123080000-ab12',
      ProductionVariants: [{ ...variants[0], ModelName: 'fraud-20261123080000-ab12' }, variants[1]],
      // a null SageMaker returned is left out: the API refuses an explicit null
      AsyncInferenceConfig: {
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 4 },
        OutputConfig: { S3OutputPath: 's3://acme-async/out/' },
      },
      // the caller's tags kept, SageMaker's own aws: tags left out (they cannot be set)
      Tags: [
        { Key: 'team', Value: 'fraud' },
        { Key: 'model-care:model', Value: 'fraud' },
      ],
    });
  });

  test('copies a restore point unchanged but for its name', () => {
    const copy = copyEndpointConfig(described, { name: 'fraud-20261123080000-ab12-prev' });
    expect(copy.ProductionVariants).toEqual(recorded.ProductionVariants);
    expect(copy.ShadowProductionVariants).toEqual(recorded.ShadowProductionVariants);
  });

  test('swaps a shadow variant when that is the monitored one', () => {
    const copy = copyEndpointConfig(described, {
      name: 'x',
      swap: { variantName: 'Shadow', modelName: 'new' },
    });
    expect(copy.ShadowProductionVariants).toEqual([
      expect.objectContaining({ VariantName: 'Shadow', ModelName: 'new' }),
    ]);
    expect(copy.ProductionVariants).toEqual(recorded.ProductionVariants);
  });

  test('rejects a variant the config does not have, naming the ones it has', () => {
    expect(() =>
      copyEndpointConfig(described, { name: 'x', swap: { variantName: 'Blue', modelName: 'm' } }),
    ).toThrow(new VariantNotFoundError('fraud-live-2026-10', 'Blue', ['AllTraffic', 'Rules', 'Shadow']));
  });
});

describe('deploymentConfig', () => {
  const defaults = parseModelConfig({
    name: 'm',
    problemType: 'binary',
    endpoint: { name: 'm-ep' },
    features: [{ name: 'x', type: 'numerical' }],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-data/m.csv' },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1',
      inputChannels: [{ name: 'train', s3Uri: 's3://team-data/t/' }],
    },
  }).retraining!.deployment;

  test.each([
    [
      'canary 10% for 10 minutes by default, no alarms',
      {},
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            WaitIntervalInSeconds: 600,
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
          },
          MaximumExecutionTimeoutInSeconds: 3600,
        },
      },
    ],
    [
      'linear steps with rollback alarms',
      { trafficShifting: 'linear', linearStepPercent: 25, waitMinutes: 5, rollbackAlarms: ['a', 'b'] },
      {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'LINEAR',
            WaitIntervalInSeconds: 300,
            LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 },
          },
          MaximumExecutionTimeoutInSeconds: 3600,
        },
        AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'a' }, { AlarmName: 'b' }] },
      },
    ],
  ])('%s', (_, settings, expected) => {
    expect(deploymentConfig({ ...defaults, ...settings } as typeof defaults)).toEqual(expected);
  });
});

// moto implements CreateModel, CreateEndpointConfig, CreateEndpoint, DescribeEndpoint, DescribeEndpointConfig and
// ListTags; UpdateEndpoint it does not (that call runs through the state machine against the local SageMaker in
// retraining-promotion.test.ts)
describe('plan-promotion against moto', () => {
  const moto = useMotoServer();
  const client = () =>
    new SageMakerClient({
      endpoint: moto.current.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
  const model = parseModelConfig({
    name: 'fraud',
    problemType: 'binary',
    endpoint: { name: 'fraud-ep', variant: 'AllTraffic' },
    features: [{ name: 'x', type: 'numerical' }],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-data/fraud.csv' },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1',
      inputChannels: [{ name: 'train', s3Uri: 's3://team-data/t/' }],
    },
  });
  const job = 'fraud-20261123080000-ab12';
  const root = `s3://team-data/training/fraud/${job}/`;
  const data: PrepareDataResult = {
    jobName: job,
    channelUris: { train: `${root}channels/train/` },
    inputDataConfig: [],
    manifestUri: `${root}manifest.json`,
    manifestSha256: 'a'.repeat(64),
    recordCount: 100,
    baselineDatasetUri: `${root}baseline/dataset.csv`,
    holdout: {
      inputUri: `${root}holdout/features/`,
      labelsUri: `${root}holdout/labels.csv`,
      contentType: 'text/csv',
      challengerTransformJobName: `${job}-c`,
      challengerOutputUri: `${root}holdout/challenger/`,
      championTransformJobName: `${job}-p`,
      championOutputUri: `${root}holdout/champion/`,
    },
    championModelName: 'fraud-v7',
    championVersion: 7,
    encoder: { uri: `s3://team-data/training/fraud/artifacts/${job}/encoder.json`, sha256: 'e'.repeat(64) },
  };
  const current: CurrentEndpoint = {
    endpointName: 'fraud-ep',
    endpointConfigName: 'fraud-live',
    endpointStatus: 'InService',
    variantName: 'AllTraffic',
    modelName: 'fraud-v7',
    adoptedChampionVersion: null,
    restoreConfigName: null,
  };

  test('plans from the live endpoint; the planned configs create on SageMaker with both variants and sizing', async () => {
    const sagemaker = client();
    for (const name of ['fraud-v7', 'fraud-rules', job]) {
      await sagemaker.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: 'arn:aws:iam::123456789012:role/sm',
          PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/s:1' },
        }),
      );
    }
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'fraud-live',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'fraud-v7',
            InstanceType: 'ml.c5.2xlarge',
            InitialInstanceCount: 4,
            InitialVariantWeight: 0.8,
          },
          {
            VariantName: 'Rules',
            ModelName: 'fraud-rules',
            ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 20 },
          },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: 30,
          DestinationS3Uri: 's3://acme-capture/datacapture',
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        },
        Tags: [{ Key: 'team', Value: 'fraud' }],
      }),
    );
    await sagemaker.send(
      new CreateEndpointCommand({ EndpointName: 'fraud-ep', EndpointConfigName: 'fraud-live' }),
    );

    const plan = await makePlanPromotionHandler({
      endpoints: makeSageMakerLiveEndpoint(sagemaker),
      logger: recordingLogger(),
    })({
      model,
      execution: { id: 'arn:exec', name: 'exec-1', startTime: '2026-11-23T08:00:00Z' },
      data,
      current,
    });

    expect(plan.current).toMatchObject({
      endpointConfigName: 'fraud-live',
      modelName: 'fraud-v7',
      restoreConfigName: `${job}-prev`,
    });
    expect(plan.update).toMatchObject({
      EndpointName: 'fraud-ep',
      EndpointConfigName: job,
      RetainAllVariantProperties: true,
    });
    for (const request of [plan.challengerConfig, plan.restoreConfig]) {
      await sagemaker.send(new CreateEndpointConfigCommand(request as never));
    }
    const live = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: 'fraud-live' }),
    );
    const challenger = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: job }));
    const restore = await sagemaker.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: `${job}-prev` }),
    );
    expect(challenger.ProductionVariants).toEqual([
      { ...live.ProductionVariants![0], ModelName: job },
      live.ProductionVariants![1],
    ]);
    expect(challenger.DataCaptureConfig).toEqual(live.DataCaptureConfig);
    expect(restore.ProductionVariants).toEqual(live.ProductionVariants);
  });

  test('rejects an endpoint SageMaker does not know, as EndpointNotFoundError', async () => {
    const reader: LiveEndpointReader = makeSageMakerLiveEndpoint(client());
    await expect(reader.describeEndpoint('nobody-ep')).rejects.toThrow(EndpointNotFoundError);
  });
});
