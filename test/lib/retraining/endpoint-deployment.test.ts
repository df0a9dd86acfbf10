import { describe, expect, test } from 'vitest';
import { EndpointDeployment } from '../../../lib/constructs/retraining/endpoint-deployment.ts';
import { allows, statementsOf } from '../support/template-queries.ts';
import {
  bareStack,
  captureStore,
  marker,
  runMachine,
  type Stub,
  synthesizeMachine,
  taskError,
  testModel,
} from './support/fragment-stack.ts';

const model = testModel();
const build = () => {
  const stack = bareStack();
  const deployment = new EndpointDeployment(stack, 'EndpointDeployment', {
    model: { ...model, endpoint: model.endpoint! },
    hosting: model.retraining!.hosting,
    store: captureStore(stack),
    onServing: marker(stack, 'RecordPromotion'),
    onFailure: marker(stack, 'Rollback'),
  });
  return synthesizeMachine(stack, deployment);
};

const { definition, template, machine } = build();
const JOB = 'churn-20261123080000-ab12';
const input = { model: { name: 'churn' }, data: { jobName: JOB }, deployment: null, failure: null };
const serving =
  (config: string, status = 'InService'): Stub =>
  () => ({
    EndpointStatus: status,
    EndpointConfigName: config,
  });
const stubs = {
  CreateEndpointConfig: () => ({ EndpointConfigArn: 'arn' }),
  UpdateEndpoint: () => ({ EndpointArn: 'arn' }),
  DescribeEndpoint: serving(JOB),
};

describe('EndpointDeployment', () => {
  test('creates a config with data capture, updates the endpoint and goes on once the new config serves', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(run.calls.map((c) => c.state)).toEqual([
      'CreateEndpointConfig',
      'UpdateEndpoint',
      'DescribeEndpoint',
    ]);
    expect(run.output.reached).toBe('RecordPromotion');
    expect(run.calls[0]?.input).toMatchObject({
      EndpointConfigName: JOB,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: JOB, InstanceType: 'ml.m5.large' }],
      DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 100 },
    });
    expect(run.calls[1]?.input).toEqual({ EndpointName: 'churn-ep', EndpointConfigName: JOB });
  });

  test('keeps waiting while the endpoint updates', async () => {
    let polls = 0;
    const run = await runMachine(definition, input, {
      ...stubs,
      DescribeEndpoint: () => (++polls < 3 ? serving('churn-old', 'Updating')(null) : serving(JOB)(null)),
    });
    expect(polls).toBe(3);
    expect(run.output.reached).toBe('RecordPromotion');
  });

  test.each([
    ['SageMaker went back to the old config', serving('churn-old'), 'InService'],
    ['the endpoint failed', serving(JOB, 'Failed'), 'Failed'],
  ])('fails into the failure path when %s, saying so in $.failure', async (_, describe, status) => {
    const run = await runMachine(definition, input, { ...stubs, DescribeEndpoint: describe });
    expect(run.output.reached).toBe('Rollback');
    expect(run.output.failure).toEqual({
      Error: 'EndpointUpdateFailed',
      Cause: expect.stringContaining(`endpoint churn-ep is ${status}`),
    });
  });

  test.each(['CreateEndpointConfig', 'UpdateEndpoint'])(
    'fails into the failure path when %s fails',
    async (state) => {
      const run = await runMachine(definition, input, {
        ...stubs,
        [state]: () => Promise.reject(taskError('SageMaker.ValidationException')),
      });
      expect(run.output.reached).toBe('Rollback');
      expect(run.output.failure).toMatchObject({ Error: 'SageMaker.ValidationException' });
    },
  );

  test("may create only this model's endpoint configs and update and describe only its endpoint", () => {
    const statements = statementsOf(template, machine.role);
    const arn = (resource: string) => `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
    expect(allows(statements, 'sagemaker:CreateEndpointConfig', arn('endpoint-config/churn-*'))).toBe(true);
    // CDK's UpdateEndpoint task spells the action in lower camel case
    expect(allows(statements, 'sagemaker:updateEndpoint', arn('endpoint/churn-ep'))).toBe(true);
    expect(allows(statements, 'sagemaker:DescribeEndpoint', arn('endpoint/churn-ep'))).toBe(true);
    expect(allows(statements, 'sagemaker:CreateEndpointConfig', arn('endpoint-config/*'))).toBe(false);
  });
});
