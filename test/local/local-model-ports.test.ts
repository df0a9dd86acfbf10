import { describe, expect, test } from 'vitest';
import { makeLocalModelRoles, makeLocalModelSubscriptions } from '../../local/local-model-ports.ts';
import { model, retraining } from '../support/model-fixtures.ts';

const STACK = { stackName: 'ModelCare', region: 'us-east-1', account: '000000000000' };

describe('local model ports', () => {
  test('roles are named as in AWS, with a training role only for a retraining model', async () => {
    const roles = makeLocalModelRoles(STACK);

    const plain = await roles.ensure(model('churn'));
    const retrains = await roles.ensure(model('fraud', { retraining: retraining('fraud') }));

    expect(plain.accessRoleArn).toMatch(
      /^arn:aws:iam::000000000000:role\/model-care\/ModelCare\/mc-[0-9a-f]{6}-churn-access$/,
    );
    expect(plain).not.toHaveProperty('trainingRoleArn');
    expect(retrains.trainingRoleArn).toMatch(/-fraud-training$/);
  });

  test("subscriptions follow each model's recipients and report only what changed", async () => {
    const subscriptions = makeLocalModelSubscriptions();
    const v1 = { warning: { emails: ['alice@example.com'], sms: [] } };
    const v2 = { critical: { emails: ['alice@example.com'], sms: ['+15555550100'] } };

    const first = await subscriptions.reconcile('churn', v1, []);
    const second = await subscriptions.reconcile('churn', v2, [v1]);
    const removed = await subscriptions.reconcile('churn', {}, [v2]);

    expect(first.subscribed).toEqual(['warning email alice@example.com']);
    expect(second).toMatchObject({
      subscribed: ['critical email alice@example.com', 'critical sms +15555550100'],
      unsubscribed: ['warning email alice@example.com'],
    });
    expect(removed.unsubscribed).toEqual(['critical email alice@example.com', 'critical sms +15555550100']);
    expect(subscriptions.recipients('churn')).toEqual([]);
  });
});
