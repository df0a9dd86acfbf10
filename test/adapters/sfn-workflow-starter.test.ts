import { ExecutionAlreadyExists, InvalidArn, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, test } from 'vitest';
import { InvalidKeyPartError, RecordTooLargeError } from '../../functions/adapters/errors.ts';
import {
  executionArnFor,
  executionName,
  makeSfnWorkflowStarter,
} from '../../functions/adapters/sfn/sfn-workflow-starter.ts';

const sfn = mockClient(SFNClient);
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:model-care-retraining';
const starter = () => makeSfnWorkflowStarter(new SFNClient({}));

beforeEach(() => {
  sfn.reset();
});

describe('executionName', () => {
  test('keeps safe names readable and makes unsafe ones safe and unique', () => {
    expect(executionName('retrain', 'churn', '42')).toBe('retrain-churn-42');
    const withTime = executionName('retrain', 'churn', '2026-11-23T08:00:00Z');
    expect(withTime).toMatch(/^retrain-churn-2026-11-23T08-00-00Z-[0-9a-f]{12}$/);
    // the same parts always give the same name: that is the idempotency
    expect(executionName('retrain', 'churn', '2026-11-23T08:00:00Z')).toBe(withTime);
  });

  test('is valid for Step Functions and injective over its parts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 4 }),
        (a, b) => {
          const name = executionName(...a);
          expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
          if (JSON.stringify(a) !== JSON.stringify(b) && a.join('-') !== b.join('-')) {
            expect(executionName(...b)).not.toBe(name);
          }
        },
      ),
    );
  });

  test('rejects empty parts', () => {
    expect(() => executionName()).toThrow(InvalidKeyPartError);
    expect(() => executionName('retrain', '')).toThrow(InvalidKeyPartError);
  });
});

describe('SfnWorkflowStarter', () => {
  test('starts the execution with its name and JSON input', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolves({ executionArn: `${executionArnFor(SM, 'retrain-churn-1')}`, startDate: new Date() });
    const result = await starter().start({
      stateMachineArn: SM,
      name: 'retrain-churn-1',
      input: { model: 'churn' },
    });
    expect(result).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:model-care-retraining:retrain-churn-1',
      alreadyStarted: false,
    });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: SM,
      name: 'retrain-churn-1',
      input: '{"model":"churn"}',
    });
  });

  test('treats ExecutionAlreadyExists as success: a redelivered trigger starts nothing new', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const result = await starter().start({ stateMachineArn: SM, name: 'retrain-churn-1', input: {} });
    expect(result).toEqual({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:model-care-retraining:retrain-churn-1',
      alreadyStarted: true,
    });
  });

  test('rejects other failures as they are', async () => {
    sfn.on(StartExecutionCommand).rejects(new InvalidArn({ message: 'Invalid Arn', $metadata: {} }));
    await expect(starter().start({ stateMachineArn: 'bad', name: 'n', input: {} })).rejects.toThrow(
      InvalidArn,
    );
  });

  test('rejects an unsafe name or an oversized input before calling Step Functions', async () => {
    await expect(starter().start({ stateMachineArn: SM, name: 'a:b', input: {} })).rejects.toThrow(
      InvalidKeyPartError,
    );
    await expect(
      starter().start({ stateMachineArn: SM, name: 'n', input: { blob: 'x'.repeat(300 * 1024) } }),
    ).rejects.toThrow(RecordTooLargeError);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
