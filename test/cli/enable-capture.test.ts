import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CaptureElsewhereError,
  captureRoleStatements,
  planCaptureSwitch,
} from '../../cli/capture-switch-plan.ts';
import { captureConfigName, enableCapture } from '../../cli/enable-capture-action.ts';
import { makeSageMakerLiveEndpoint } from '../../functions/adapters/sagemaker/sagemaker-live-endpoint.ts';
import { InputError } from '../../functions/engine/errors.ts';
import { runCliAsync } from '../support/run-cli-async.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

/*
 * enable-capture against moto_server's SageMaker: DescribeEndpoint, DescribeEndpointConfig, ListTags, DescribeModel
 * and CreateEndpointConfig are moto's. UpdateEndpoint stays a recorder: moto 5.2 does not implement it (it answers
 * 500). moto also drops ShadowProductionVariants from what it stores, so shadow variants are proven on the planner
 * with a described config shaped as DescribeEndpointConfig answers.
 */

const moto = useMotoServer();
const ROLE_A = 'arn:aws:iam::123456789012:role/churn-a';
const ROLE_B = 'arn:aws:iam::123456789012:role/churn-b';
const TEAM_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee';
const CAPTURE_KEY = 'arn:aws:kms:us-east-1:123456789012:key/9999aaaa-22bb-33cc-44dd-555555eeeeee';
const NOW = new Date('2026-12-08T02:00:00Z');

let sagemaker: SageMakerClient;

const liveConfig: CreateEndpointConfigCommandInput = {
  EndpointConfigName: 'churn-live',
  ProductionVariants: [
    {
      VariantName: 'champion',
      ModelName: 'churn-a',
      InstanceType: 'ml.m5.xlarge',
      InitialInstanceCount: 3,
      InitialVariantWeight: 0.9,
    },
    {
      VariantName: 'canary',
      ModelName: 'churn-b',
      InitialVariantWeight: 0.1,
      ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
    },
  ],
  KmsKeyId: TEAM_KEY,
  AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 's3://acme-async/out' } },
  Tags: [
    { Key: 'team', Value: 'churn' },
    { Key: 'cost-center', Value: '42' },
  ],
};

const describeConfig = async (name: string) => {
  const {
    $metadata: _m,
    EndpointConfigName: _n,
    EndpointConfigArn,
    CreationTime: _t,
    ...rest
  } = await sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }));
  const { Tags } = await sagemaker.send(new ListTagsCommand({ ResourceArn: EndpointConfigArn }));
  return { rest, tags: Tags ?? [] };
};

const configNames = async () =>
  ((await sagemaker.send(new ListEndpointConfigsCommand({}))).EndpointConfigs ?? []).map(
    (c) => c.EndpointConfigName,
  );

const motoDeps = (updates: { endpoint: string; config: string; retain?: boolean }[], out: string[]) => {
  const endpoints = makeSageMakerLiveEndpoint(sagemaker);
  return {
    endpoints,
    createEndpointConfig: async (request: Record<string, unknown>) => {
      await sagemaker.send(
        new CreateEndpointConfigCommand(request as unknown as CreateEndpointConfigCommandInput),
      );
    },
    // the one call on a stand-in: moto has no UpdateEndpoint
    updateEndpoint: async (
      endpoint: string,
      config: string,
      options?: { retainVariantProperties?: boolean },
    ) => {
      updates.push({ endpoint, config, retain: options?.retainVariantProperties });
    },
    now: () => NOW,
    write: (text: string) => out.push(text),
  };
};

const cli = (args: string[]) =>
  runCliAsync(['enable-capture', ...args, '--endpoint-url', moto.current.endpoint, '--region', 'us-east-1']);

beforeAll(async () => {
  sagemaker = new SageMakerClient(moto.current.clientConfig);
  for (const [name, role] of [
    ['churn-a', ROLE_A],
    ['churn-b', ROLE_B],
  ] as const) {
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: role,
        PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' },
      }),
    );
  }
  await sagemaker.send(new CreateEndpointConfigCommand(liveConfig));
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: 'churn', EndpointConfigName: 'churn-live' }),
  );
  // an endpoint already capturing to another team's bucket
  await sagemaker.send(
    new CreateEndpointConfigCommand({
      ...liveConfig,
      EndpointConfigName: 'fraud-live',
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: 20,
        DestinationS3Uri: 's3://other-team/capture',
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      },
    }),
  );
  await sagemaker.send(
    new CreateEndpointCommand({ EndpointName: 'fraud', EndpointConfigName: 'fraud-live' }),
  );
});

describe('enable-capture on a live endpoint (moto)', () => {
  test('copies the two-variant serverless config with only the capture block set, then switches the endpoint', async () => {
    // Prepare
    const updates: { endpoint: string; config: string; retain?: boolean }[] = [];
    const out: string[] = [];
    const before = await describeConfig('churn-live');

    // Act
    await enableCapture(
      { endpoint: 'churn', s3Uri: 's3://acme-capture/datacapture/', sampling: 25, kmsKey: CAPTURE_KEY },
      motoDeps(updates, out),
    );

    // Assess
    const name = captureConfigName('churn', NOW);
    expect(updates).toEqual([{ endpoint: 'churn', config: name, retain: true }]);
    const after = await describeConfig(name);
    const { DataCaptureConfig, ...kept } = after.rest;
    const { DataCaptureConfig: _none, ...original } = before.rest;
    expect(kept).toEqual(original);
    expect(kept.ProductionVariants).toHaveLength(2);
    expect(kept.ProductionVariants?.[1]?.ServerlessConfig).toEqual({
      MemorySizeInMB: 2048,
      MaxConcurrency: 5,
    });
    expect(kept.KmsKeyId).toBe(TEAM_KEY);
    expect(DataCaptureConfig).toMatchObject({
      EnableCapture: true,
      InitialSamplingPercentage: 25,
      DestinationS3Uri: 's3://acme-capture/datacapture',
      KmsKeyId: CAPTURE_KEY,
    });
    expect(after.tags).toEqual(
      expect.arrayContaining([...before.tags, { Key: 'model-care:copied-from', Value: 'churn-live' }]),
    );
    const text = out.join('');
    expect(text).toContain('DataCaptureConfig.DestinationS3Uri: (none) -> "s3://acme-capture/datacapture"');
    expect(text).not.toMatch(/ProductionVariants|AsyncInferenceConfig|^\s+KmsKeyId/m);
    // both variants' roles are named, with the statements their policy needs
    expect(text).toContain(ROLE_A);
    expect(text).toContain(ROLE_B);
    expect(text).toContain('"arn:aws:s3:::acme-capture/datacapture/*"');
  });

  test('--dry-run prints the plan and creates nothing', async () => {
    const configs = await configNames();
    const result = await cli(['--endpoint', 'churn', '--s3-uri', 's3://acme-capture/dc', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DataCaptureConfig.InitialSamplingPercentage: (none) -> 100');
    expect(result.stdout).toContain('dry run: nothing was changed');
    expect(await configNames()).toEqual(configs);
  });

  test('an endpoint capturing exactly there already is left alone (exit 0)', async () => {
    const configs = await configNames();
    const result = await cli([
      '--endpoint',
      'fraud',
      '--s3-uri',
      's3://other-team/capture/',
      '--sampling',
      '20',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing to change');
    expect(await configNames()).toEqual(configs);
  });

  test.each([
    [
      'capture already on elsewhere',
      ['--endpoint', 'fraud', '--s3-uri', 's3://acme-capture/dc'],
      'model-care: endpoint fraud: already captures to s3://other-team/capture (config fraud-live, 20%): pass --force to switch it to s3://acme-capture/dc',
    ],
    [
      'an endpoint that does not exist',
      ['--endpoint', 'nope', '--s3-uri', 's3://acme-capture/dc'],
      'model-care: endpoint nope: no such endpoint (check the name and the region)',
    ],
    [
      'a URI that is not s3://bucket/prefix',
      ['--endpoint', 'churn', '--s3-uri', 'https://acme-capture.s3.amazonaws.com/dc'],
      'model-care: --s3-uri: "https://acme-capture.s3.amazonaws.com/dc" is not an s3://bucket/prefix URI',
    ],
    [
      'a KMS ARN of the wrong shape',
      ['--endpoint', 'churn', '--s3-uri', 's3://acme-capture/dc', '--kms-key', 'alias/capture'],
      'model-care: --kms-key: "alias/capture" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
    ],
    [
      'a sampling share above 100',
      ['--endpoint', 'churn', '--s3-uri', 's3://acme-capture/dc', '--sampling', '101'],
      'is not a whole percentage 1-100',
    ],
  ])('rejects %s with one line, exit 2, nothing created', async (_case, args, line) => {
    const configs = await configNames();
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(line);
    expect(await configNames()).toEqual(configs);
  });

  test('--force switches capture that is on elsewhere', async () => {
    const updates: { endpoint: string; config: string }[] = [];
    await enableCapture(
      { endpoint: 'fraud', s3Uri: 's3://acme-capture/dc', sampling: 100, force: true },
      motoDeps(updates, []),
    );
    const after = await describeConfig(updates[0]!.config);
    expect(after.rest.DataCaptureConfig).toMatchObject({
      DestinationS3Uri: 's3://acme-capture/dc',
      InitialSamplingPercentage: 100,
    });
  });
});

describe('the capture plan', () => {
  const described = {
    description: {
      EndpointConfigName: 'live',
      EndpointConfigArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/live',
      CreationTime: '2026-01-01T00:00:00.000Z',
      ProductionVariants: [
        { VariantName: 'AllTraffic', ModelName: 'm1', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      ],
      ShadowProductionVariants: [
        { VariantName: 'shadow', ModelName: 'm2', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
      ],
      DataCaptureConfig: {
        EnableCapture: false,
        InitialSamplingPercentage: 10,
        DestinationS3Uri: 's3://old/capture',
        CaptureOptions: [{ CaptureMode: 'Input' }],
        CaptureContentTypeHeader: { JsonContentTypes: ['application/x-ndjson'] },
      },
      ExecutionRoleArn: 'arn:aws:iam::123456789012:role/endpoint',
    },
    tags: [
      { Key: 'aws:cloudformation:stack-name', Value: 'x' },
      { Key: 'team', Value: 'a' },
    ],
  };
  const plan = (overrides: Partial<{ force: boolean; s3Uri: string }> = {}) =>
    planCaptureSwitch(described, {
      endpoint: 'ep',
      liveConfigName: 'live',
      newConfigName: 'ep-capture-1',
      target: { s3Uri: overrides.s3Uri ?? 's3://acme/dc', samplingPercentage: 50 },
      force: overrides.force ?? false,
    });

  test('keeps shadow variants, the role and the live content-type headers; turns a disabled block on', () => {
    const request = plan().createRequest!;
    expect(request.ShadowProductionVariants).toEqual(described.description.ShadowProductionVariants);
    expect(request.ExecutionRoleArn).toBe('arn:aws:iam::123456789012:role/endpoint');
    expect(request.DataCaptureConfig).toEqual({
      EnableCapture: true,
      InitialSamplingPercentage: 50,
      DestinationS3Uri: 's3://acme/dc',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      CaptureContentTypeHeader: { JsonContentTypes: ['application/x-ndjson'] },
    });
    expect(request.Tags).toEqual([
      { Key: 'team', Value: 'a' },
      { Key: 'model-care:copied-from', Value: 'live' },
    ]);
    expect(request).not.toHaveProperty('EndpointConfigArn');
    expect(plan().changes.every((line) => line.startsWith('DataCaptureConfig.'))).toBe(true);
  });

  test('rejects capture that is on elsewhere with a CaptureElsewhereError, an InputError', () => {
    const on = {
      ...described,
      description: {
        ...described.description,
        DataCaptureConfig: { ...described.description.DataCaptureConfig, EnableCapture: true },
      },
    };
    const act = () =>
      planCaptureSwitch(on, {
        endpoint: 'ep',
        liveConfigName: 'live',
        newConfigName: 'n',
        target: { s3Uri: 's3://acme/dc', samplingPercentage: 50 },
        force: false,
      });
    expect(act).toThrow(CaptureElsewhereError);
    expect(act).toThrow(InputError);
  });

  test.each([
    ['s3://acme', undefined, ['arn:aws:s3:::acme/*']],
    ['s3://acme/a/b/', CAPTURE_KEY, ['arn:aws:s3:::acme/a/b/*', CAPTURE_KEY]],
  ])('the role statements for %s name exactly that prefix and key', (uri, key, resources) => {
    const bucket = uri.slice(5).split('/')[0]!;
    const prefix = uri.slice(5 + bucket.length + 1).replace(/\/+$/, '');
    expect(captureRoleStatements({ bucket, key: prefix }, key).map((s) => s.Resource)).toEqual(resources);
  });

  test("names the new config within SageMaker's 63 characters", () => {
    const name = captureConfigName('e'.repeat(63), NOW);
    expect(name).toHaveLength(63);
    expect(name.endsWith('-capture-20261208020000')).toBe(true);
  });
});
