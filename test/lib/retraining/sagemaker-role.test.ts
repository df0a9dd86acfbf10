import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { SageMakerRole } from '../../../lib/constructs/retraining/sagemaker-role.ts';
import type { CfnTemplate } from '../../../local/step-functions/resolve-state-machine.ts';
import {
  actionsOn,
  allows,
  grants,
  logicalIdOf,
  resourcesOf,
  statementsOf,
} from '../support/template-queries.ts';
import { bareStack, captureStore, resolvedRef, testModel } from './support/fragment-stack.ts';

const build = () => {
  const stack = bareStack();
  const store = captureStore(stack);
  const model = testModel();
  const role = new SageMakerRole(stack, 'SageMakerRole', {
    model: { ...model, retraining: model.retraining! },
    store,
  });
  const template = Template.fromStack(stack);
  return { role, store, template, json: template.toJSON() as CfnTemplate };
};

const { role, store, template, json } = build();
const statements = statementsOf(json, role);
const objects = (prefix: string) => `${resolvedRef(json, logicalIdOf(store.bucket), 'Arn')}/${prefix}*`;

describe('SageMakerRole', () => {
  test('is assumed by SageMaker only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } }],
      },
      Description: 'model-care: SageMaker training, transform and hosting of churn',
    });
  });

  test("reads and writes only the model's own training/ folder, and writes capture only for its endpoint", () => {
    expect(allows(statements, 's3:GetObject*', objects('training/churn/'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('training/churn/'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('capture/churn-ep/'))).toBe(true);
    expect(actionsOn(statements, objects('training/'))).toEqual([]);
    expect(actionsOn(statements, objects('capture/'))).toEqual([]);
    expect(actionsOn(statements, objects('baselines/'))).toEqual([]);
    expect(actionsOn(statements, objects('reports/'))).toEqual([]);
  });

  test("pulls only the model's training and inference images", () => {
    const repository = (name: string) => `arn:aws:ecr:us-east-1:123456789012:repository/${name}`;
    expect(allows(statements, 'ecr:BatchGetImage', repository('trainer'))).toBe(true);
    expect(allows(statements, 'ecr:BatchGetImage', repository('server'))).toBe(true);
    expect(resourcesOf(statements).filter((r) => r.includes(':ecr:'))).toHaveLength(2);
  });

  test("writes logs only to SageMaker's log groups", () => {
    const logs = statements.filter((s) => JSON.stringify(s.Action).includes('logs:PutLogEvents'));
    expect(logs).toHaveLength(1);
    expect(resourcesOf(logs)).toEqual([expect.stringMatching(/:log-group:\/aws\/sagemaker\/\*$/)]);
  });
});

describe('SageMakerRole of two models in one stack', () => {
  const stack = bareStack();
  const store = captureStore(stack);
  const roleOf = (name: string, endpoint: string) => {
    const model = testModel({ name, endpoint: { name: endpoint } });
    return new SageMakerRole(stack, `${name}Role`, {
      model: { ...model, retraining: model.retraining! },
      store,
    });
  };
  const churn = roleOf('churn', 'churn-ep');
  const fraud = roleOf('fraud', 'fraud-ep');
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const key = (path: string) => `${resolvedRef(template, logicalIdOf(store.bucket), 'Arn')}/${path}`;
  const reach = (role: SageMakerRole, action: string, path: string) =>
    grants(statementsOf(template, role), action, key(path));

  test.each([
    ['s3:GetObject', 'training/fraud/fraud-20261123080000-ab12/channels/train/part-00000.csv'],
    ['s3:GetObject', 'training/fraud/artifacts/fraud-20261123080000-ab12/output/model.tar.gz'],
    ['s3:PutObject', 'training/fraud/artifacts/churn-20261123080000-ab12/output/model.tar.gz'],
    ['s3:PutObject', 'capture/fraud-ep/AllTraffic/2026/11/23/08/x.jsonl'],
    ['s3:GetObject', 'capture/fraud-ep/AllTraffic/2026/11/23/08/x.jsonl'],
    ['s3:GetObject', 'training/fraudulent/x.csv'],
  ])("rejects one model's role %s on another model's key %s", (action, path) => {
    expect(reach(churn, action, path)).toBe(false);
  });

  test.each([
    ['s3:GetObject', 'training/churn/churn-20261123080000-ab12/channels/train/part-00000.csv'],
    ['s3:PutObject', 'training/churn/artifacts/churn-20261123080000-ab12/output/model.tar.gz'],
    ['s3:PutObject', 'capture/churn-ep/AllTraffic/2026/11/23/08/x.jsonl'],
  ])('lets the model reach its own keys: %s %s', (action, path) => {
    expect(reach(churn, action, path)).toBe(true);
    expect(reach(fraud, action, path.replaceAll('churn', 'fraud'))).toBe(true);
  });
});
