import { describe, expect, test } from 'vitest';
import { FailurePath } from '../../../lib/constructs/retraining/failure-path.ts';
import { allows, grants, logicalIdOf, statementsOf } from '../support/template-queries.ts';
import {
  ACCESS_ROLE,
  bareStack,
  modelRole,
  resolvedRef,
  runMachine,
  type Stub,
  stepFunction,
  synthesizeMachine,
  taskError,
  testModel,
  topic,
} from './support/fragment-stack.ts';

const build = () => {
  const stack = bareStack();
  const critical = topic(stack, 'Critical');
  const path = new FailurePath(stack, 'FailurePath', {
    rollback: stepFunction(stack, 'Rollback', 'functions/retraining/rollback/handler.ts'),
    releaseLock: stepFunction(stack, 'ReleaseLock', 'functions/retraining/release-lock/handler.ts'),
    criticalTopic: critical,
    role: modelRole(),
  });
  return { stack, critical, ...synthesizeMachine(stack, path) };
};

const { definition, template, machine, critical } = build();
const input = {
  model: { name: 'churn' },
  settings: { accessRoleArn: ACCESS_ROLE },
  execution: { id: 'exec-arn', name: 'exec-1' },
  lock: { acquired: true, lockId: 'lock-1' },
  current: null,
  endpointRestore: null,
  waits: { promotion: 0, deployment: 0, restore: 0 },
  data: null,
  version: null,
  outcome: null,
  failure: { Error: 'SageMaker.ResourceLimitExceeded', Cause: 'no ml.m5.xlarge left' },
};
const stubs = {
  Rollback: () => ({
    rolledBack: true,
    endpointConfigName: 'churn-old',
    detail: 'endpoint back on churn-old',
  }),
  ReleaseLockAfterFailure: () => ({ released: true }),
  AlertFailure: () => ({ MessageId: 'm-1' }),
};

describe('FailurePath', () => {
  test('goes to Rollback when no promotion was planned and ends in Failed with the original error and cause', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(definition.StartAt).toBe('PromotionPlanned?');
    expect(run.calls.map((c) => c.state)).toEqual(['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure']);
    expect(run.error?.message).toContain('no ml.m5.xlarge left');
    expect(definition.States.Failed).toMatchObject({
      ErrorPath: '$.failure.Error',
      CausePath: '$.failure.Cause',
    });
  });

  test('tells the rollback step what failed and what the restore did to the endpoint', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(run.calls[0]?.input).toEqual({
      model: input.model,
      execution: input.execution,
      failure: input.failure,
      endpointRestore: null,
      data: null,
      version: null,
      outcome: null,
    });
  });

  test('alerts critically with what failed and what rollback did, for per-model subscribers', async () => {
    const run = await runMachine(definition, input, stubs);
    const alert = run.calls.find((c) => c.state === 'AlertFailure')?.input;
    expect(alert).toMatchObject({
      Message: {
        kind: 'retraining-failed',
        model: 'churn',
        failure: input.failure,
        endpoint: null,
        rollback: { rolledBack: true },
      },
      MessageAttributes: {
        model: { StringValue: 'churn' },
        severity: { StringValue: 'critical' },
        kind: { StringValue: 'retraining-failed' },
      },
    });
  });

  test.each([
    [
      'a failing rollback still releases the lock and alerts',
      { Rollback: () => Promise.reject(taskError('Lambda.Unknown')) },
    ],
    [
      'a failing lock release still alerts',
      { ReleaseLockAfterFailure: () => Promise.reject(taskError('Lambda.Unknown')) },
    ],
  ])('%s', async (_, failing) => {
    const run = await runMachine(definition, input, { ...stubs, ...failing });
    expect(run.calls.map((c) => c.state)).toEqual(['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure']);
    expect(run.error?.message).toContain('no ml.m5.xlarge left');
  });

  test('fails even when the alert cannot be sent', async () => {
    const run = await runMachine(definition, input, {
      ...stubs,
      AlertFailure: () => Promise.reject(taskError('SNS.KMS')),
    });
    expect(run.error).toBeDefined();
    expect(run.calls.map((c) => c.state)).toContain('AlertFailure');
  });

  test('lets the state machine publish to the critical topic', () => {
    const statements = statementsOf(template, machine.role);
    expect(allows(statements, 'sns:Publish', resolvedRef(template, logicalIdOf(critical)))).toBe(true);
  });
});

// ---- a model with an endpoint: the restore loop before Rollback ----

const withEndpoint = () => {
  const stack = bareStack();
  const path = new FailurePath(stack, 'FailurePath', {
    rollback: stepFunction(stack, 'Rollback', 'functions/retraining/rollback/handler.ts'),
    releaseLock: stepFunction(stack, 'ReleaseLock', 'functions/retraining/release-lock/handler.ts'),
    criticalTopic: topic(stack, 'Critical'),
    role: modelRole(),
  });
  return synthesizeMachine(stack, path);
};
const restoring = withEndpoint();
const model = testModel({ retraining: { ...testModel().retraining, deployment: { busyWaitMinutes: 5 } } });
const planned = {
  ...input,
  model,
  current: {
    endpointName: 'churn-ep',
    endpointConfigName: 'churn-live',
    endpointStatus: 'InService',
    variantName: 'AllTraffic',
    modelName: 'churn-v1',
    adoptedChampionVersion: null,
    restoreConfigName: 'churn-job-prev',
  },
  failure: { Error: 'EndpointUpdateFailed', Cause: 'SageMaker rolled it back' },
};
const endpointSays =
  (...answers: [status: string, config: string][]): Stub =>
  () => {
    const [status, config] = answers.length > 1 ? answers.shift()! : answers[0]!;
    return { EndpointStatus: status, EndpointConfigName: config };
  };
const restoreStubs: Record<string, Stub> = {
  ...stubs,
  DescribeForRestore: endpointSays(['InService', 'churn-job']),
  RestoreEndpoint: () => ({ EndpointArn: 'arn' }),
};
const ran = (run: { calls: readonly { state: string }[] }) => run.calls.map((c) => c.state);

describe('FailurePath with an endpoint', () => {
  test('goes straight to Rollback when no promotion was planned: nothing on the endpoint changed', async () => {
    const run = await runMachine(
      restoring.definition,
      { ...planned, current: { ...planned.current, restoreConfigName: null } },
      restoreStubs,
    );
    expect(ran(run)).toEqual(['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure']);
  });

  test('leaves an endpoint that SageMaker already rolled back as it is', async () => {
    const run = await runMachine(restoring.definition, planned, {
      ...restoreStubs,
      DescribeForRestore: endpointSays(['InService', 'churn-live']),
    });
    expect(ran(run)).toEqual(['DescribeForRestore', 'Rollback', 'ReleaseLockAfterFailure', 'AlertFailure']);
    expect(run.calls[1]?.input.endpointRestore).toEqual({
      outcome: 'unchanged',
      requested: false,
      observed: { endpointStatus: 'InService', endpointConfigName: 'churn-live' },
      detail: 'endpoint churn-ep serves churn-live as before the promotion: nothing to restore',
    });
  });

  test('waits out a busy endpoint, then switches it back to the restore point and waits for that too', async () => {
    const run = await runMachine(restoring.definition, planned, {
      ...restoreStubs,
      DescribeForRestore: endpointSays(
        ['Updating', 'churn-job'],
        ['RollingBack', 'churn-job'],
        ['InService', 'churn-job'],
        ['Updating', 'churn-job'],
        ['InService', 'churn-job-prev'],
      ),
    });
    expect(ran(run).slice(0, 7)).toEqual([
      'DescribeForRestore',
      'DescribeForRestore',
      'DescribeForRestore',
      'RestoreEndpoint',
      'DescribeForRestore',
      'DescribeForRestore',
      'Rollback',
    ]);
    expect(run.calls.find((c) => c.state === 'RestoreEndpoint')?.input).toEqual({
      EndpointName: 'churn-ep',
      EndpointConfigName: 'churn-job-prev',
      RetainAllVariantProperties: true,
    });
    const alert = run.calls.find((c) => c.state === 'AlertFailure')?.input;
    expect(alert.Message.endpoint).toMatchObject({
      outcome: 'restored',
      requested: true,
      detail: 'endpoint churn-ep switched back to churn-job-prev (a copy of churn-live) after 4 minute(s)',
    });
    expect(run.error?.message).toContain('SageMaker rolled it back');
  });

  test('escalates, after busyWaitMinutes of polls, an endpoint that stays busy, and still alerts', async () => {
    const run = await runMachine(restoring.definition, planned, {
      ...restoreStubs,
      DescribeForRestore: endpointSays(['SystemUpdating', 'churn-job']),
    });
    expect(ran(run).filter((s) => s === 'DescribeForRestore')).toHaveLength(6);
    expect(ran(run)).not.toContain('RestoreEndpoint');
    const alert = run.calls.find((c) => c.state === 'AlertFailure')?.input;
    expect(alert.Message.endpoint).toMatchObject({ outcome: 'escalated' });
    expect(alert.Message.endpoint.detail).toBe(
      'endpoint churn-ep is SystemUpdating with config churn-job after 5 minute(s): NOT restored; return it by hand: ' +
        'aws sagemaker update-endpoint --endpoint-name churn-ep --endpoint-config-name churn-live',
    );
  });

  test.each([
    [
      'a Failed endpoint',
      { DescribeForRestore: endpointSays(['Failed', 'churn-job']) },
      /is Failed .*NOT restored/,
    ],
    [
      'a refused UpdateEndpoint',
      { RestoreEndpoint: () => Promise.reject(taskError('SageMaker.ValidationException', 'no such config')) },
      /could not be restored \(SageMaker.ValidationException: no such config\)/,
    ],
  ])('escalates %s and goes on to Rollback and the alert', async (_, failing, detail) => {
    const run = await runMachine(restoring.definition, planned, { ...restoreStubs, ...failing });
    const alert = run.calls.find((c) => c.state === 'AlertFailure')?.input;
    expect(alert.Message.endpoint.outcome).toBe('escalated');
    expect(alert.Message.endpoint.detail).toMatch(detail);
  });

  test("restores with the model's access role and holds no SageMaker permission of its own", async () => {
    const run = await runMachine(restoring.definition, planned, {
      ...restoreStubs,
      DescribeForRestore: (() => {
        let polls = 0;
        return () => ({
          EndpointStatus: 'InService',
          EndpointConfigName: ++polls === 1 ? 'churn-job' : 'churn-job-prev',
        });
      })(),
    });
    const sageMakerCalls = run.calls.filter((c) =>
      ['DescribeForRestore', 'RestoreEndpoint'].includes(c.state),
    );
    expect(sageMakerCalls.map((c) => c.state)).toContain('RestoreEndpoint');
    for (const call of sageMakerCalls) expect(call.roleArn).toBe(ACCESS_ROLE);
    const statements = statementsOf(restoring.template, restoring.machine.role);
    const arn = (resource: string) => `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
    expect(grants(statements, 'sagemaker:UpdateEndpoint', arn('endpoint/churn-ep'))).toBe(false);
    expect(grants(statements, 'sagemaker:DescribeEndpoint', arn('endpoint/churn-ep'))).toBe(false);
    expect(grants(statements, 'sts:AssumeRole', ACCESS_ROLE)).toBe(true);
  });
});
