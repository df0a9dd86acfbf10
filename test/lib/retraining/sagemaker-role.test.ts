import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { SageMakerRole } from '../../../lib/constructs/retraining/sagemaker-role.ts';
import type { CfnTemplate } from '../../../local/step-functions/resolve-state-machine.ts';
import { actionsOn, allows, logicalIdOf, resourcesOf, statementsOf } from '../support/template-queries.ts';
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

  test('reads and writes training/, writes capture/, and nothing else of the store', () => {
    expect(allows(statements, 's3:GetObject*', objects('training/'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('training/'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('capture/'))).toBe(true);
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
