import '../../local/step-functions/promise-with-resolvers.ts';
import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, test } from 'vitest';
import { retrainingSettings } from '../../functions/retraining/load-model/load-model.ts';
import type {
  AcquireLockResult,
  EvaluateResult,
  LoadModelResult,
  PrepareDataResult,
  RetrainingExecutionInput,
} from '../../functions/shared/retraining-contract.ts';
import { allStates, resolveStateMachine } from '../../local/step-functions/resolve-state-machine.ts';
import { unwrapTaskInput, withStateInputFields } from '../../local/step-functions/task-input-fields.ts';
import { synthConfig } from './support/synth-stack.ts';

/**
 * Runs the synthesized churn workflow in aws-local-stepfunctions with every Task bound to a stub, to prove the
 * wiring: which step runs after which, and that each step receives the payload retraining-contract.ts promises.
 * The real handlers are bound in issue 4's tests; here only the paths and payload shapes are under test.
 */
const { json } = synthConfig('config/model-care.json');
// Credentials and TimeoutSecondsPath evaluated on the state's input, as in AWS (task-input-fields.ts)
const definition = withStateInputFields(resolveStateMachine(json, 'CareRetrainingStateMachine').definition);
const model = synthConfig('config/model-care.json').stack.care.config.models[0]!;
const loaded: LoadModelResult = {
  retrains: true,
  modelName: model.name,
  model,
  settings: retrainingSettings({ ...model, retraining: model.retraining! }, 1, {
    stack: { stackName: 'ModelCare', region: 'us-east-1', account: '123456789012' },
    captureBucket: 'b',
  }),
};

const input: RetrainingExecutionInput = {
  trigger: {
    id: 'event-1',
    source: 'model-care',
    detailType: 'Retraining Requested',
    time: '2026-11-23T08:00:00Z',
    detail: { model: 'churn', reason: 'aucRoc fell below 0.75', severity: 'critical' },
  },
};

const prepared: PrepareDataResult = {
  jobName: 'churn-20261123080000-ab12',
  channelUris: { train: 's3://b/training/churn/x/train/', validation: 's3://b/training/churn/x/validation/' },
  inputDataConfig: ['train', 'validation'].map((channel) => ({
    ChannelName: channel,
    ContentType: 'text/csv',
    DataSource: {
      S3DataSource: {
        S3DataType: 'S3Prefix' as const,
        S3Uri: `s3://b/training/churn/x/${channel}/`,
        S3DataDistributionType: 'FullyReplicated' as const,
      },
    },
  })),
  manifestUri: 's3://b/training/churn/x/manifest.json',
  manifestSha256: 'f'.repeat(64),
  recordCount: 1000,
  baselineDatasetUri: 's3://b/training/churn/x/train/',
  holdout: {
    inputUri: 's3://b/training/churn/x/holdout/features/',
    labelsUri: 's3://b/training/churn/x/holdout/labels.csv',
    contentType: 'text/csv',
    challengerTransformJobName: 'churn-20261123080000-ab12-c',
    challengerOutputUri: 's3://b/training/churn/x/holdout/challenger/',
    championTransformJobName: 'churn-20261123080000-ab12-p',
    championOutputUri: 's3://b/training/churn/x/holdout/champion/',
  },
  championModelName: 'churn-20261001000000-0000',
  championVersion: 3,
  encoder: {
    uri: 's3://b/training/churn/artifacts/churn-20261123080000-ab12/encoder.json',
    sha256: 'e'.repeat(64),
  },
};

const serving = {
  endpointName: 'churn-ep',
  endpointConfigName: 'churn-old',
  endpointStatus: 'InService',
  variantName: 'AllTraffic',
  modelName: 'churn-v3',
  adoptedChampionVersion: null,
} as const;
const plan = {
  current: { ...serving, restoreConfigName: `${prepared.jobName}-prev` },
  challengerConfig: {
    EndpointConfigName: prepared.jobName,
    ProductionVariants: [
      {
        VariantName: 'AllTraffic',
        ModelName: prepared.jobName,
        InstanceType: 'ml.c5.xlarge',
        InitialInstanceCount: 3,
      },
      { VariantName: 'Shadowless', ModelName: 'other', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 },
    ],
    DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 50 },
  },
  restoreConfig: { EndpointConfigName: `${prepared.jobName}-prev` },
  update: {
    EndpointName: 'churn-ep',
    EndpointConfigName: prepared.jobName,
    RetainAllVariantProperties: true,
  },
  pollBudget: 120,
  summary: 'churn-ep: variant AllTraffic from churn-v3 to the challenger',
};

type Calls = Record<string, unknown[]>;
// biome-ignore lint/suspicious/noExplicitAny: stubs read the state machine's JSON payloads loosely
type Json = any;
type Handler = (payload: Json) => unknown;

/** binds every Task state to a stub that records its input; Lambda tasks answer in `{ Payload }` */
const run = async (
  answers: Record<string, Handler>,
  decision: EvaluateResult['decision'] = 'promote',
  executionInput: RetrainingExecutionInput = input,
) => {
  const calls: Calls = {};
  const roles: Record<string, string> = {};
  const defaults: Record<string, Handler> = {
    LoadModel: () => loaded,
    AcquireLock: () => ({
      acquired: true,
      reason: 'acquired',
      lockId: 'lock-1',
      expiresAt: '2026-11-24T08:00:00Z',
    }),
    InspectEndpoint: () => ({ ...serving, restoreConfigName: null }),
    PrepareData: () => prepared,
    TrainChallenger: (p) => ({
      TrainingJobName: p.TrainingJobName,
      TrainingJobArn: `arn:aws:sagemaker:us-east-1:123456789012:training-job/${p.TrainingJobName}`,
      ModelArtifacts: { S3ModelArtifacts: 's3://b/training/churn/artifacts/model.tar.gz' },
    }),
    CreateChallengerModel: () => ({ ModelArn: 'arn:model' }),
    ScoreChallenger: () => ({}),
    ScoreChampion: () => ({}),
    Evaluate: () => ({
      decision,
      primaryMetric: 'aucRoc',
      challenger: { aucRoc: 0.84 },
      champion: { aucRoc: 0.79 },
      improvement: 0.05,
      summary: 'challenger beats champion on aucRoc by 0.05',
    }),
    RegisterVersion: () => ({ version: 4, registeredAt: '2026-11-23T09:00:00Z' }),
    RequestApproval: () => ({ approved: true, approver: 'ana' }),
    PlanPromotion: () => plan,
    CreateRestorePoint: () => ({}),
    CreateChallengerConfig: () => ({}),
    DeployChallenger: () => ({}),
    DescribeDeployment: () => ({ EndpointStatus: 'InService', EndpointConfigName: prepared.jobName }),
    DescribeForRestore: () => ({ EndpointStatus: 'InService', EndpointConfigName: 'churn-old' }),
    RecordPromotion: () => ({ version: 4, status: 'champion', championVersion: 4 }),
    RecordRejection: () => ({ version: 4, status: 'rejected', championVersion: 3 }),
    NewBaseline: () => ({ version: 4, statisticsUri: 's3://b/s.json', constraintsUri: 's3://b/c.json' }),
    ReleaseLock: () => ({ released: true }),
    Rollback: () => ({
      rolledBack: true,
      endpointConfigName: 'churn-old',
      detail: 'endpoint back on churn-old',
    }),
    ReleaseLockAfterFailure: () => ({ released: true }),
    AlertFailure: () => ({ MessageId: 'm-1' }),
  };
  const handlers = { ...defaults, ...answers };
  const states = allStates(definition);
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(states)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => {
        const lambda = state.Resource === 'arn:aws:states:::lambda:invoke';
        return [
          name,
          async (input: Json) => {
            const { request: parameters, roleArn } = unwrapTaskInput(input) as {
              request: Json;
              roleArn: string;
            };
            const payload = lambda ? parameters.Payload : parameters;
            calls[name] = [...(calls[name] ?? []), payload];
            if (roleArn) roles[name] = roleArn;
            const handler = handlers[name];
            if (!handler) throw new Error(`no stub for ${name}`);
            const result = await handler(payload);
            return lambda ? { StatusCode: 200, Payload: result } : result;
          },
        ];
      }),
  );
  const machine = new StateMachine(definition as Json, { validationOptions: { checkArn: false } });
  const json = (value: unknown) => value as Parameters<typeof machine.run>[0];
  const execution = machine.run(json(executionInput), {
    overrides: {
      taskResourceLocalHandlers: taskResourceLocalHandlers as Json,
      waitTimeOverrides: Object.fromEntries(
        Object.entries(states)
          .filter(([, state]) => state.Type === 'Wait')
          .map(([name]) => [name, 0]),
      ),
    },
    context: {
      Execution: {
        Id: 'arn:aws:states:us-east-1:123456789012:execution:churn:exec-1',
        Name: 'exec-1',
        StartTime: '2026-11-23T08:00:01Z',
        Input: json(executionInput),
      },
      Task: { Token: 'token-1' },
    },
  });
  try {
    return { output: (await execution.result) as Json, error: undefined, calls, roles };
  } catch (error) {
    return { output: undefined, error: error as Error, calls, roles };
  }
};

const ran = (calls: Calls): string[] => Object.keys(calls);

describe('the churn retraining workflow, executed with stub tasks', () => {
  test('promotes a better challenger: train, score, evaluate, register, deploy with capture, baseline, unlock', async () => {
    const { output, error, calls, roles } = await run({});
    expect(error).toBeUndefined();
    expect(ran(calls)).toEqual([
      'LoadModel',
      'AcquireLock',
      'InspectEndpoint',
      'PrepareData',
      'TrainChallenger',
      'CreateChallengerModel',
      expect.stringMatching(/^Score/),
      expect.stringMatching(/^Score/),
      'Evaluate',
      'RegisterVersion',
      'PlanPromotion',
      'CreateRestorePoint',
      'CreateChallengerConfig',
      'DeployChallenger',
      'DescribeDeployment',
      'RecordPromotion',
      'NewBaseline',
      'ReleaseLock',
    ]);
    // every SageMaker call runs with the model's own access role, the training job with its training role
    for (const state of ['TrainChallenger', 'CreateChallengerModel', 'ScoreChallenger', 'DeployChallenger'])
      expect(roles[state]).toBe(loaded.settings?.accessRoleArn);
    expect(loaded.settings?.accessRoleArn).toMatch(
      /:role\/model-care\/ModelCare\/mc-[0-9a-f]{6}-churn-access$/,
    );
    expect(Object.keys(roles)).not.toContain('AcquireLock');
    expect(calls.TrainChallenger?.[0]).toMatchObject({
      RoleArn: loaded.settings?.trainingRoleArn,
      AlgorithmSpecification: { TrainingImage: model.retraining?.trainingImage },
      ResourceConfig: { InstanceType: model.retraining?.instanceType },
      TrainingJobName: prepared.jobName,
      InputDataConfig: [
        { ChannelName: 'train', DataSource: { S3DataSource: { S3Uri: prepared.channelUris.train } } },
        {
          ChannelName: 'validation',
          DataSource: { S3DataSource: { S3Uri: prepared.channelUris.validation } },
        },
      ],
    });
    // the planned requests reach SageMaker whole: every variant and setting the plan copied
    expect(calls.CreateChallengerConfig?.[0]).toEqual(plan.challengerConfig);
    expect(calls.CreateRestorePoint?.[0]).toEqual(plan.restoreConfig);
    expect(calls.DeployChallenger?.[0]).toEqual(plan.update);
    expect(calls.PlanPromotion?.[0]).toMatchObject({ data: { jobName: prepared.jobName }, current: serving });
    expect(calls.ScoreChampion?.[0]).toMatchObject({ ModelName: prepared.championModelName });
    // each Lambda step receives exactly its contract's fields
    expect(Object.keys(calls.AcquireLock?.[0] as object).sort()).toEqual(['execution', 'model', 'trigger']);
    expect(calls.AcquireLock?.[0]).toMatchObject({
      model: { name: 'churn' },
      execution: { id: expect.stringContaining('exec-1'), name: 'exec-1', startTime: expect.any(String) },
    });
    expect(calls.RecordPromotion?.[0]).toMatchObject({
      outcome: 'promoted',
      version: { version: 4 },
      approval: { requested: false, approved: null, response: null },
      deployment: { endpointStatus: 'InService', endpointConfigName: prepared.jobName },
    });
    expect(calls.NewBaseline?.[0]).toMatchObject({
      model: 'churn',
      trigger: {
        source: 'model-care',
        detailType: 'Baseline Requested',
        detail: { model: 'churn', datasetUri: prepared.baselineDatasetUri, version: 4 },
      },
    });
    expect(output).toMatchObject({
      outcome: { status: 'champion' },
      release: { released: true },
      failure: null,
    });
  });

  test('skips when the lock is held, running nothing else', async () => {
    const held: AcquireLockResult = { acquired: false, reason: 'held', lockId: null, expiresAt: null };
    const { error, calls } = await run({ AcquireLock: () => held });
    expect(error).toBeUndefined();
    expect(ran(calls)).toEqual(['LoadModel', 'AcquireLock']);
  });

  test('fails a model without retraining in NotRetrainable, having run nothing but LoadModel', async () => {
    const { error, calls } = await run({
      LoadModel: () => ({ retrains: false, modelName: 'demand', model: null, settings: null }),
    });
    expect(error?.cause).toMatchObject({
      name: 'ModelNotRetrainable',
      message: expect.stringContaining('model demand has no retraining section'),
    });
    expect(ran(calls)).toEqual(['LoadModel']);
  });

  test('loads the model named by the event, at the version the event pins', async () => {
    const pinned = { ...input.trigger, detail: { ...input.trigger.detail, configVersion: 7 } };
    const { calls } = await run({}, 'reject', { trigger: pinned });
    expect(calls.LoadModel?.[0]).toEqual({
      execution: { id: expect.stringContaining('exec-1'), name: 'exec-1', startTime: expect.any(String) },
      trigger: pinned,
    });
  });

  test('fails a training failure into rollback, lock release and a critical alert, with nulls for unreached steps', async () => {
    const { error, calls } = await run({
      TrainChallenger: () => {
        throw Object.assign(new Error('ResourceLimitExceeded'), {
          name: 'SageMaker.ResourceLimitExceededException',
        });
      },
    });
    expect(error).toBeDefined();
    expect(ran(calls)).toEqual([
      'LoadModel',
      'AcquireLock',
      'InspectEndpoint',
      'PrepareData',
      'TrainChallenger',
      'Rollback',
      'ReleaseLockAfterFailure',
      'AlertFailure',
    ]);
    expect(calls.Rollback?.[0]).toMatchObject({
      failure: { Error: expect.any(String) },
      endpointRestore: null,
      data: { jobName: prepared.jobName },
      version: null,
      outcome: null,
    });
    expect(calls.AlertFailure?.[0]).toMatchObject({
      Message: { kind: 'retraining-failed', model: 'churn', rollback: { rolledBack: true } },
      MessageAttributes: { severity: { StringValue: 'critical' }, model: { StringValue: 'churn' } },
    });
  });

  test('rolls back when the endpoint update ends on the old config', async () => {
    const { error, calls } = await run({
      DescribeDeployment: () => ({ EndpointStatus: 'InService', EndpointConfigName: 'churn-old' }),
    });
    expect(error).toBeDefined();
    expect(ran(calls)).toContain('Rollback');
    expect(ran(calls)).not.toContain('RecordPromotion');
    expect(ran(calls)).not.toContain('RestoreEndpoint');
    expect(calls.Rollback?.[0]).toMatchObject({
      failure: { Error: 'EndpointUpdateFailed' },
      endpointRestore: { outcome: 'unchanged', observed: { endpointConfigName: 'churn-old' } },
    });
  });

  test('asks for approval with the task token and promotes when approved', async () => {
    const { error, calls } = await run({}, 'needs-approval');
    expect(error).toBeUndefined();
    expect(calls.RequestApproval?.[0]).toMatchObject({
      Message: { kind: 'approval-request', taskToken: 'token-1', jobName: prepared.jobName },
      MessageAttributes: { kind: { StringValue: 'approval-request' } },
    });
    expect(calls.RecordPromotion?.[0]).toMatchObject({
      approval: { requested: true, approved: true, response: { approver: 'ana' } },
    });
  });

  test('rejects the challenger when the approver says no, leaving the endpoint alone', async () => {
    const { error, calls } = await run({ RequestApproval: () => ({ approved: false }) }, 'needs-approval');
    expect(error).toBeUndefined();
    expect(ran(calls)).not.toContain('PlanPromotion');
    expect(ran(calls)).not.toContain('DeployChallenger');
    expect(calls.RecordRejection?.[0]).toMatchObject({ outcome: 'rejected', approval: { approved: false } });
  });

  test('rejects a worse challenger without asking anyone', async () => {
    const { calls } = await run({}, 'reject');
    expect(ran(calls)).not.toContain('RequestApproval');
    expect(ran(calls).slice(-2)).toEqual(['RecordRejection', 'ReleaseLock']);
  });
});
