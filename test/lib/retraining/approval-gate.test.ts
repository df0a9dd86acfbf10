import { describe, expect, test } from 'vitest';
import { ApprovalGate } from '../../../lib/constructs/retraining/approval-gate.ts';
import {
  bareStack,
  marker,
  runMachine,
  synthesizeMachine,
  taskError,
  topic,
} from './support/fragment-stack.ts';

const build = () => {
  const stack = bareStack();
  const gate = new ApprovalGate(stack, 'ApprovalGate', {
    topic: topic(stack, 'Warning'),
    timeoutSecondsPath: '$.settings.approvalTimeoutSeconds',
    onApproved: marker(stack, 'Promote'),
    onRejected: marker(stack, 'Reject'),
    onFailure: marker(stack, 'HandleFailure'),
  });
  return synthesizeMachine(stack, gate);
};

const { definition } = build();
const input = {
  model: { name: 'churn' },
  execution: { id: 'exec-arn', name: 'exec-1' },
  data: { jobName: 'churn-20261123-ab12' },
  version: { version: 4 },
  evaluation: { decision: 'needs-approval', summary: 'challenger +0.02 aucRoc' },
  approval: { requested: false, approved: null, response: null },
  settings: { approvalTimeoutSeconds: 6 * 3600 },
};

describe('ApprovalGate', () => {
  test("asks over SNS with the task token and what there is to decide, and waits at most the model's approval timeout", async () => {
    const run = await runMachine(definition, input, { RequestApproval: () => ({ approved: true }) });
    expect(definition.StartAt).toBe('RequestApproval');
    expect(definition.States.RequestApproval).toMatchObject({
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      TimeoutSecondsPath: '$.settings.approvalTimeoutSeconds',
    });
    expect(run.calls[0]?.input).toMatchObject({
      Message: {
        kind: 'approval-request',
        model: 'churn',
        taskToken: 'token-1',
        jobName: 'churn-20261123-ab12',
        version: { version: 4 },
      },
      MessageAttributes: { severity: { StringValue: 'warning' }, kind: { StringValue: 'approval-request' } },
    });
  });

  test.each([
    ['goes on to the promotion when approved', () => ({ approved: true, approver: 'ana' }), 'Promote', true],
    ['rejects when the approver says no', () => ({ approved: false }), 'Reject', false],
    [
      'rejects when nobody answers in time, changing nothing',
      () => Promise.reject(taskError('States.Timeout')),
      'Reject',
      false,
    ],
  ])('%s', async (_, answer, reached, approved) => {
    const run = await runMachine(definition, input, { RequestApproval: answer });
    expect(run.error).toBeUndefined();
    expect(run.output.reached).toBe(reached);
    expect(run.output.approval).toMatchObject({ requested: true, approved });
  });

  test('fails any other error of the request into the failure path, keeping it in $.failure', async () => {
    const run = await runMachine(definition, input, {
      RequestApproval: () => Promise.reject(taskError('SNS.AuthorizationError', 'no kms:GenerateDataKey')),
    });
    expect(run.output.reached).toBe('HandleFailure');
    expect(run.output.failure).toMatchObject({ Error: 'SNS.AuthorizationError' });
  });
});
