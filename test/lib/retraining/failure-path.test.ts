import { describe, expect, test } from 'vitest';
import { FailurePath } from '../../../lib/constructs/retraining/failure-path.ts';
import { allows, logicalIdOf, statementsOf } from '../support/template-queries.ts';
import {
  bareStack,
  resolvedRef,
  runMachine,
  stepFunction,
  synthesizeMachine,
  taskError,
  topic,
} from './support/fragment-stack.ts';

const build = () => {
  const stack = bareStack();
  const critical = topic(stack, 'Critical');
  const path = new FailurePath(stack, 'FailurePath', {
    rollback: stepFunction(stack, 'Rollback', 'functions/retraining/rollback/handler.ts'),
    releaseLock: stepFunction(stack, 'ReleaseLock', 'functions/retraining/release-lock/handler.ts'),
    criticalTopic: critical,
  });
  return { stack, critical, ...synthesizeMachine(stack, path) };
};

const { definition, template, machine, critical } = build();
const input = {
  model: { name: 'churn' },
  execution: { id: 'exec-arn', name: 'exec-1' },
  lock: { acquired: true, lockId: 'lock-1' },
  current: { endpointConfigName: 'churn-old', endpointStatus: 'InService' },
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
  test('starts at Rollback and ends in Failed with the original error and cause', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(definition.StartAt).toBe('Rollback');
    expect(run.calls.map((c) => c.state)).toEqual(['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure']);
    expect(run.error?.message).toContain('no ml.m5.xlarge left');
    expect(definition.States.Failed).toMatchObject({
      ErrorPath: '$.failure.Error',
      CausePath: '$.failure.Cause',
    });
  });

  test('tells the rollback step what failed and what the endpoint served before', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(run.calls[0]?.input).toEqual({
      model: input.model,
      execution: input.execution,
      failure: input.failure,
      current: input.current,
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
