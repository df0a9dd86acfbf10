import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  SageMakerServiceException,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  ModelError,
  ModelNotReadyException,
  SageMakerRuntimeClient,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  EndpointBusyError,
  EndpointNotFoundError,
  InferenceError,
  InvalidRecordError,
} from '../../functions/adapters/errors.ts';
import { makeSageMakerEndpointControl } from '../../functions/adapters/sagemaker/sagemaker-endpoint-control.ts';
import { makeSageMakerInference } from '../../functions/adapters/sagemaker/sagemaker-inference.ts';

const runtime = mockClient(SageMakerRuntimeClient);
const sagemaker = mockClient(SageMakerClient);

beforeEach(() => {
  runtime.reset();
  sagemaker.reset();
});

const validation = (message: string) =>
  new SageMakerServiceException({ name: 'ValidationException', $fault: 'client', message, $metadata: {} });

describe('SageMaker inference', () => {
  const inference = () => makeSageMakerInference(new SageMakerRuntimeClient({}));

  test('invokes the endpoint with variant, content types and inference id, and returns the answer', async () => {
    runtime.on(InvokeEndpointCommand).resolves({
      Body: new TextEncoder().encode('0.83') as never,
      ContentType: 'text/csv',
      InvokedProductionVariant: 'AllTraffic',
    });
    const result = await inference().invokeEndpoint({
      endpoint: 'churn-ep',
      variant: 'AllTraffic',
      contentType: 'text/csv',
      accept: 'text/csv',
      body: '1.5,2,a',
      inferenceId: 'req-42',
    });
    expect(new TextDecoder().decode(result.body)).toBe('0.83');
    expect(result).toMatchObject({ contentType: 'text/csv', invokedVariant: 'AllTraffic' });
    const input = runtime.commandCalls(InvokeEndpointCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      EndpointName: 'churn-ep',
      TargetVariant: 'AllTraffic',
      ContentType: 'text/csv',
      Accept: 'text/csv',
      InferenceId: 'req-42',
    });
    expect(new TextDecoder().decode(input?.Body as Uint8Array)).toBe('1.5,2,a');
  });

  test.each([
    [
      'a model error as 424 with the container message kept out of the error message',
      new ModelError({
        message: 'x',
        $metadata: {},
        OriginalStatusCode: 500,
        OriginalMessage: 'bad row 1.5,2,a',
      }),
      { failure: 'model-error', statusCode: 424, retryable: false, detail: 'bad row 1.5,2,a' },
    ],
    [
      'a model that is not ready as a retryable 503',
      new ModelNotReadyException({ message: 'loading', $metadata: {} }),
      { failure: 'not-ready', statusCode: 503, retryable: true },
    ],
    [
      'an unknown endpoint as a 400',
      new ValidationError({ message: 'Endpoint churn-ep of account 1 not found.', $metadata: {} }),
      { failure: 'invalid-request', statusCode: 400, retryable: false },
    ],
  ])('rejects %s', async (_name, error, expected) => {
    runtime.on(InvokeEndpointCommand).rejects(error);
    const thrown = await inference()
      .invokeEndpoint({ endpoint: 'churn-ep', contentType: 'text/csv', body: '1.5,2,a' })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(InferenceError);
    expect(thrown).toMatchObject({ endpoint: 'churn-ep', ...expected });
    expect((thrown as Error).message).not.toContain('1.5,2,a');
  });
});

describe('SageMaker endpoint control', () => {
  const control = () => makeSageMakerEndpointControl(new SageMakerClient({}));
  const captureConfig = {
    EnableCapture: true,
    InitialSamplingPercentage: 20,
    DestinationS3Uri: 's3://data/capture',
    CaptureOptions: [{ CaptureMode: 'Input' as const }, { CaptureMode: 'Output' as const }],
  };
  const describedConfig = {
    EndpointConfigName: 'churn-config-v1',
    EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:1:endpoint-config/churn-config-v1',
    CreationTime: new Date(),
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        ModelName: 'churn-v1',
        InstanceType: 'ml.m5.large' as const,
        InitialInstanceCount: 2,
        InitialVariantWeight: 1,
      },
    ],
    DataCaptureConfig: captureConfig,
    KmsKeyId: 'key-1',
  };

  test('describes an endpoint', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves({
      EndpointName: 'churn-ep',
      EndpointArn: 'arn:ep',
      EndpointConfigName: 'churn-config-v1',
      EndpointStatus: 'InService',
      DataCaptureConfig: { EnableCapture: true },
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentWeight: 1, CurrentInstanceCount: 2 }],
    } as never);
    expect(await control().describeEndpoint('churn-ep')).toEqual({
      name: 'churn-ep',
      arn: 'arn:ep',
      status: 'InService',
      configName: 'churn-config-v1',
      failureReason: undefined,
      dataCaptureEnabled: true,
      variants: [{ variantName: 'AllTraffic', currentWeight: 1, currentInstanceCount: 2 }],
    });
  });

  test('reads the current endpoint config through the endpoint', async () => {
    sagemaker
      .on(DescribeEndpointCommand)
      .resolves({ EndpointName: 'churn-ep', EndpointConfigName: 'churn-config-v1' } as never);
    sagemaker.on(DescribeEndpointConfigCommand).resolves(describedConfig);
    const config = await control().getCurrentEndpointConfig('churn-ep');
    expect(sagemaker.commandCalls(DescribeEndpointConfigCommand)[0]?.args[0].input).toEqual({
      EndpointConfigName: 'churn-config-v1',
    });
    expect(config).toEqual({
      name: 'churn-config-v1',
      variants: [
        {
          variantName: 'AllTraffic',
          modelName: 'churn-v1',
          instanceType: 'ml.m5.large',
          initialInstanceCount: 2,
          initialVariantWeight: 1,
          serverless: false,
        },
      ],
      dataCapture: { destination: 's3://data/capture', samplingPercentage: 20, enabled: true },
    });
  });

  test('rejects an unknown endpoint with EndpointNotFoundError', async () => {
    sagemaker
      .on(DescribeEndpointCommand)
      .rejects(validation('Could not find endpoint "arn:...:endpoint/nope".'));
    await expect(control().describeEndpoint('nope')).rejects.toThrow(EndpointNotFoundError);
  });

  test('copies the champion model with the new artefact, dropping the old data source', async () => {
    sagemaker.on(DescribeModelCommand).resolves({
      ModelName: 'churn-v1',
      ModelArn: 'arn:model',
      CreationTime: new Date(),
      ExecutionRoleArn: 'arn:role',
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
      PrimaryContainer: {
        Image: '123.dkr.ecr/xgboost:1.7',
        ModelDataUrl: 's3://bucket/v1/model.tar.gz',
        Environment: { SAGEMAKER_PROGRAM: 'serve.py' },
      },
    });
    sagemaker.on(CreateModelCommand).resolves({ ModelArn: 'arn:model-v2' });
    await control().createModelFrom('churn-v1', 'churn-v2', 's3://bucket/v2/model.tar.gz');
    expect(sagemaker.commandCalls(CreateModelCommand)[0]?.args[0].input).toEqual({
      ModelName: 'churn-v2',
      PrimaryContainer: {
        Image: '123.dkr.ecr/xgboost:1.7',
        ModelDataUrl: 's3://bucket/v2/model.tar.gz',
        Environment: { SAGEMAKER_PROGRAM: 'serve.py' },
      },
      ExecutionRoleArn: 'arn:role',
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
      EnableNetworkIsolation: true,
      InferenceExecutionConfig: undefined,
      Tags: [{ Key: 'model-care:copied-from', Value: 'churn-v1' }],
    });
  });

  test('treats an already existing model or config as created (retried steps)', async () => {
    sagemaker.on(DescribeModelCommand).resolves({ PrimaryContainer: { Image: 'img' } } as never);
    sagemaker.on(CreateModelCommand).rejects(validation('Cannot create already existing model "arn:model".'));
    await expect(control().createModelFrom('a', 'b', 's3://x')).resolves.toBeUndefined();
    sagemaker.on(DescribeEndpointConfigCommand).resolves(describedConfig);
    sagemaker
      .on(CreateEndpointConfigCommand)
      .rejects(validation('Cannot create already existing endpoint configuration "arn:cfg".'));
    await expect(control().cloneEndpointConfig('churn-config-v1', 'c2', {})).resolves.toBeUndefined();
  });

  test('rejects other create failures as they are', async () => {
    sagemaker.on(DescribeModelCommand).resolves({ PrimaryContainer: { Image: 'img' } } as never);
    sagemaker.on(CreateModelCommand).rejects(validation('Could not access model data at s3://x.'));
    const error = await control()
      .createModelFrom('a', 'b', 's3://x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SageMakerServiceException);
    expect(error).toMatchObject({
      name: 'ValidationException',
      message: 'Could not access model data at s3://x.',
    });
  });

  test('rejects copying a multi-container model', async () => {
    sagemaker.on(DescribeModelCommand).resolves({ Containers: [{ Image: 'a' }, { Image: 'b' }] } as never);
    await expect(control().createModelFrom('pipeline', 'x', 's3://x')).rejects.toThrow(InvalidRecordError);
    expect(sagemaker.commandCalls(CreateModelCommand)).toHaveLength(0);
  });

  test('clones the endpoint config with the new model and keeps data capture and encryption', async () => {
    sagemaker.on(DescribeEndpointConfigCommand).resolves(describedConfig);
    sagemaker.on(CreateEndpointConfigCommand).resolves({ EndpointConfigArn: 'arn:cfg-v2' });
    await control().cloneEndpointConfig('churn-config-v1', 'churn-config-v2', { AllTraffic: 'churn-v2' });
    const input = sagemaker.commandCalls(CreateEndpointConfigCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      EndpointConfigName: 'churn-config-v2',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'churn-v2',
          InstanceType: 'ml.m5.large',
          InitialInstanceCount: 2,
          InitialVariantWeight: 1,
        },
      ],
      DataCaptureConfig: captureConfig,
      KmsKeyId: 'key-1',
    });
  });

  test('rejects cloning with a variant the config does not have', async () => {
    sagemaker.on(DescribeEndpointConfigCommand).resolves(describedConfig);
    await expect(control().cloneEndpointConfig('churn-config-v1', 'c2', { Canary: 'm' })).rejects.toThrow(
      'has no variant Canary',
    );
    expect(sagemaker.commandCalls(CreateEndpointConfigCommand)).toHaveLength(0);
  });

  test('updates the endpoint keeping variant properties by default', async () => {
    sagemaker.on(UpdateEndpointCommand).resolves({ EndpointArn: 'arn:ep' });
    await control().updateEndpoint('churn-ep', 'churn-config-v2');
    await control().updateEndpoint('churn-ep', 'churn-config-v1', { retainVariantProperties: false });
    expect(sagemaker.commandCalls(UpdateEndpointCommand).map((c) => c.args[0].input)).toEqual([
      { EndpointName: 'churn-ep', EndpointConfigName: 'churn-config-v2', RetainAllVariantProperties: true },
      { EndpointName: 'churn-ep', EndpointConfigName: 'churn-config-v1', RetainAllVariantProperties: false },
    ]);
  });

  test('rejects an update while another runs with EndpointBusyError', async () => {
    sagemaker.on(UpdateEndpointCommand).rejects(validation('Cannot update in-progress endpoint "arn:ep".'));
    await expect(control().updateEndpoint('churn-ep', 'c2')).rejects.toThrow(EndpointBusyError);
  });
});
