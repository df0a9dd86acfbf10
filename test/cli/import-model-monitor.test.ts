import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateDataQualityJobDefinitionCommand,
  type CreateDataQualityJobDefinitionCommandInput,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateModelQualityJobDefinitionCommand,
  type CreateModelQualityJobDefinitionCommandInput,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, test } from 'vitest';
import { importModelMonitor } from '../../cli/import-model-monitor-action.ts';
import { makeInputLocations } from '../../cli/input-location.ts';
import { offsetMinutes } from '../../cli/model-monitor-mapping.ts';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { InputError } from '../../functions/engine/errors.ts';
import { synthConfig } from '../lib/support/synth-stack.ts';
import { copyModelMonitorBaseline, tempDir } from '../support/run-cli.ts';
import { runCliAsync } from '../support/run-cli-async.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

/*
 * import-model-monitor against moto_server: DescribeEndpoint, the two job definitions (created in moto from the
 * recorded Describe answers, then read back through it) and S3 (Model Monitor's bucket and the capture store) are
 * moto's. moto 5.2 implements neither ListMonitoringSchedules nor DescribeMonitoringSchedule, and drops a
 * processing job's Environment, so those three answers come from test/fixtures/model-monitor-api (shapes from the
 * SageMaker API Reference), served by a middleware on the same client; every other call goes to moto.
 */

const moto = useMotoServer();
const API = 'test/fixtures/model-monitor-api';
const MM = 'test/fixtures/model-monitor';
const STORE = 'model-care-store';
const NOW = new Date('2026-12-08T02:00:00Z');

const recorded = (file: string) =>
  JSON.parse(readFileSync(join(API, file), 'utf8')) as Record<string, unknown>;
const definitionRequest = (file: string) => {
  const { JobDefinitionArn: _arn, CreationTime: _time, ...request } = recorded(file);
  return request;
};

/** the fraud endpoint's data-quality schedule points at a baseline whose objects were deleted */
const fraudSchedule = () => {
  const text = readFileSync(join(API, 'describe-monitoring-schedule--churn-data-quality.json'), 'utf8');
  return JSON.parse(text.replaceAll('churn', 'fraud')) as Record<string, unknown>;
};

const schedulesOf: Record<string, () => Record<string, unknown>> = {
  churn: () => recorded('list-monitoring-schedules.json'),
  fraud: () => ({
    MonitoringScheduleSummaries: [
      { MonitoringScheduleName: 'fraud-data-quality', EndpointName: 'fraud', MonitoringType: 'DataQuality' },
    ],
  }),
};

/** answers the calls moto lacks from the recordings, before the request leaves the client */
const withRecordedAnswers = (client: SageMakerClient): SageMakerClient => {
  const answer = (command: string, input: Record<string, string>): Record<string, unknown> | undefined => {
    switch (command) {
      case 'ListMonitoringSchedulesCommand':
        return schedulesOf[input.EndpointName ?? '']?.() ?? { MonitoringScheduleSummaries: [] };
      case 'DescribeMonitoringScheduleCommand':
        return input.MonitoringScheduleName === 'fraud-data-quality'
          ? fraudSchedule()
          : recorded(`describe-monitoring-schedule--${input.MonitoringScheduleName}.json`);
      case 'DescribeProcessingJobCommand':
        return recorded('describe-processing-job--baselining.json');
      default:
        return undefined;
    }
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const output = answer(context.commandName ?? '', args.input as Record<string, string>);
      if (output) return { output: { $metadata: {}, ...output }, response: {} } as never;
      return next(args);
    },
    { step: 'initialize', name: 'recordedModelMonitorAnswers' },
  );
  return client;
};

let sagemaker: SageMakerClient;
let s3: S3Client;

const deps = (out: string[] = []) => ({
  sagemaker,
  locations: makeInputLocations({ endpointUrl: moto.current.endpoint, region: 'us-east-1' }),
  store: (bucket: string) => makeS3ObjectStore(bucket, s3),
  now: () => NOW,
  write: (text: string) => out.push(text),
});

const put = (bucket: string, key: string, file: string) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(join(MM, file)) }));

const getText = async (bucket: string, key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

beforeAll(async () => {
  sagemaker = withRecordedAnswers(new SageMakerClient(moto.current.clientConfig));
  s3 = new S3Client({ ...moto.current.clientConfig, forcePathStyle: true });
  for (const bucket of ['acme-monitoring', STORE]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await put('acme-monitoring', 'churn/baseline/statistics.json', 'data_quality--statistics.json');
  await put('acme-monitoring', 'churn/baseline/constraints.json', 'data_quality--constraints.json');
  await put('acme-monitoring', 'churn/quality-baseline/constraints.json', 'model_quality--constraints.json');
  for (const endpoint of ['churn', 'fraud', 'quiet']) {
    await sagemaker.send(
      new CreateModelCommand({
        ModelName: endpoint,
        ExecutionRoleArn: 'arn:aws:iam::123456789012:role/serve',
        PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1' },
      }),
    );
    await sagemaker.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: endpoint,
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: endpoint,
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
      }),
    );
    await sagemaker.send(new CreateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: endpoint }));
  }
  await sagemaker.send(
    new CreateDataQualityJobDefinitionCommand(
      definitionRequest(
        'describe-data-quality-job-definition.json',
      ) as unknown as CreateDataQualityJobDefinitionCommandInput,
    ),
  );
  await sagemaker.send(
    new CreateModelQualityJobDefinitionCommand(
      definitionRequest(
        'describe-model-quality-job-definition.json',
      ) as unknown as CreateModelQualityJobDefinitionCommandInput,
    ),
  );
  const fraud = JSON.parse(
    JSON.stringify(definitionRequest('describe-data-quality-job-definition.json')).replaceAll(
      'churn',
      'fraud',
    ),
  );
  await sagemaker.send(new CreateDataQualityJobDefinitionCommand(fraud));
});

describe('import-model-monitor (moto + recorded schedule answers)', () => {
  let dir: string;
  let out: string;
  let config: Record<string, unknown>;
  let printed: string;

  beforeAll(async () => {
    dir = tempDir('model-care-import-');
    out = join(dir, 'config', 'churn.json');
    const lines: string[] = [];
    config = await importModelMonitor(
      { endpoint: 'churn', out, copyBaselines: true, bucket: STORE },
      deps(lines),
    );
    printed = lines.join('');
  });

  test('writes the schedules, thresholds, field mapping, time offsets and baseline as a model config', () => {
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toEqual(config);
    expect(config).toMatchObject({
      name: 'churn',
      problemType: 'regression',
      endpoint: { name: 'churn', variant: 'AllTraffic' },
      features: ['_c0', '_c1', '_c2', '_c3', '_c4', '_c5'].map((name) => ({ name, type: 'numerical' })),
      outputs: [{ name: 'prediction', role: 'prediction' }],
      baseline: {
        datasetUri: 's3://acme-monitoring/churn/baseline/dataset.csv',
        format: 'csv',
        header: false,
      },
      schedules: { data: 'cron(0 * ? * * *)', quality: 'cron(0 0 ? * * *)', qualityWindowMinutes: 1440 },
      quality: { labelHorizonHours: 48 },
      compat: { modelMonitorMetrics: false, monitoringScheduleName: 'churn-data-quality' },
    });
    // monitoring_config of data_quality--constraints.json, and model_quality--constraints.json's regression block
    expect(config.thresholds).toEqual({
      comparisonThreshold: 0.1,
      comparisonMethod: 'Robust',
      datatypeCheckThreshold: 1,
      domainContentThreshold: 1,
      quality: {
        mae: { threshold: 0.5040653554420981, comparisonOperator: 'GreaterThanThreshold' },
        mse: { threshold: 0.33364933609800973, comparisonOperator: 'GreaterThanThreshold' },
        rmse: { threshold: 0.5776238707827177, comparisonOperator: 'GreaterThanThreshold' },
        r2: { threshold: -3.208758170289026, comparisonOperator: 'LessThanThreshold' },
      },
    });
  });

  test('lists what it could not carry, with what to do instead', () => {
    expect(printed).toContain('preprocessing script s3://acme-monitoring/code/preprocess.py');
    expect(printed).toContain('ground truth s3://acme-labels/churn');
    expect(printed).toContain('schedule churn-bias (ModelBias): not imported');
    expect(printed).toContain("r2's threshold came from Model Monitor, whose r2 swaps label and prediction");
  });

  test('--copy-baselines puts both files in the store as the current baseline, the pointer naming them', async () => {
    const pointer = JSON.parse(await getText(STORE, 'baselines/churn/current.json'));
    expect(pointer).toMatchObject({
      model: 'churn',
      version: 0,
      statisticsKey: 'baselines/churn/0/statistics.json',
      constraintsKey: 'baselines/churn/0/constraints.json',
      rows: 100,
    });
    const copied = JSON.parse(await getText(STORE, pointer.constraintsKey));
    expect(copied).toEqual(JSON.parse(readFileSync(join(MM, 'data_quality--constraints.json'), 'utf8')));
  });

  test('the imported config synthesizes in a stack', () => {
    const stack = JSON.parse(readFileSync('config/local.json', 'utf8'));
    const file = join(dir, 'stack.json');
    writeFileSync(file, JSON.stringify({ ...stack, $schema: undefined, models: [config] }));
    const { stack: synthesized, json } = synthConfig(file);
    // the stack validated the imported schedules; the dispatcher hands out their windows (no rule per model)
    const [model] = synthesized.care.config.models;
    expect([model?.schedules.data, model?.schedules.quality]).toEqual([
      'cron(0 * ? * * *)',
      'cron(0 0 ? * * *)',
    ]);
    const schedules = Object.values(
      json.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
    )
      .filter((r) => r.Type === 'AWS::Events::Rule')
      .flatMap((r) => (r.Properties?.ScheduleExpression ? [r.Properties.ScheduleExpression] : []));
    expect(schedules).toEqual(['rate(5 minutes)']);
  });

  test("run on Model Monitor's files, the copied baseline gives the same violations as the original constraints", async () => {
    // a window of the baseline dataset with one feature shifted and another a third empty
    const window = join(dir, 'window.csv');
    const rows = readFileSync(join(MM, 'data_quality--baseline_dataset.csv'), 'utf8').trim().split('\n');
    writeFileSync(
      window,
      `${rows
        .map((row, i) => {
          const cells = row.split(',');
          cells[1] = String(Number(cells[1]) * 3 + 5);
          if (i % 3 === 2) cells[2] = '';
          return cells.join(',');
        })
        .join('\n')}\n`,
    );
    const original = copyModelMonitorBaseline(tempDir('model-care-mm-'));
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
    const check = (baseline: string) =>
      runCliAsync(
        [
          'check',
          '-b',
          baseline,
          '-c',
          window,
          '--no-header',
          '--json',
          '--endpoint-url',
          moto.current.endpoint,
        ],
        env,
      );
    const [fromOriginal, fromImported] = await Promise.all([
      check(original),
      check(`s3://${STORE}/baselines/churn/0/`),
    ]);
    expect(fromImported.stderr).toBe('');
    const violations = (stdout: string) => JSON.parse(stdout).violations;
    expect(violations(fromOriginal.stdout).length).toBeGreaterThan(0);
    expect(violations(fromImported.stdout)).toEqual(violations(fromOriginal.stdout));
    expect(
      violations(fromImported.stdout).map((v: { constraint_check_type: string }) => v.constraint_check_type),
    ).toEqual(expect.arrayContaining(['baseline_drift_check', 'completeness_check']));
  });
});

describe('import-model-monitor bad input', () => {
  test.each([
    ['an endpoint without schedules', 'quiet', 'endpoint quiet: has no monitoring schedules'],
    [
      'a schedule whose baseline objects are gone',
      'fraud',
      'schedule fraud-data-quality: baseline s3://acme-monitoring/fraud/baseline/statistics.json: no such object',
    ],
    ['an endpoint that does not exist', 'nope', 'endpoint nope: no such endpoint'],
  ])('rejects %s with one InputError line, writing nothing', async (_case, endpoint, message) => {
    const dir = tempDir('model-care-import-bad-');
    const out = join(dir, 'model.json');
    const act = importModelMonitor({ endpoint, out, copyBaselines: true, bucket: STORE }, deps());
    await expect(act).rejects.toThrow(InputError);
    await expect(act).rejects.toThrow(message);
    expect(existsSync(out)).toBe(false);
    await expect(getText(STORE, `baselines/${endpoint}/current.json`)).rejects.toThrow();
  });

  test.each([
    [['--endpoint', 'nope'], 'model-care: endpoint nope: no such endpoint (check the name and the region)'],
    [
      ['--endpoint', 'churn', '--copy-baselines'],
      "model-care: --copy-baselines: needs --bucket: the stack's CaptureBucket output",
    ],
  ])('the command rejects %j with exit 2 and one line', async (args, line) => {
    const result = await runCliAsync([
      'import-model-monitor',
      ...args,
      '--endpoint-url',
      moto.current.endpoint,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(line);
  });

  test.each([
    ['-PT1H', -60],
    ['-P1D', -1440],
    ['-PT30M', -30],
    ['PT2H30M', 150],
    ['one hour', undefined],
    ['-P', undefined],
  ])('reads the time offset %s as %s minutes', (text, minutes) => {
    expect(offsetMinutes(text)).toBe(minutes);
  });
});
