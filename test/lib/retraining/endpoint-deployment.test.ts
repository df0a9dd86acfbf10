import { describe, expect, test } from 'vitest';
import { EndpointDeployment } from '../../../lib/constructs/retraining/endpoint-deployment.ts';
import { grants, statementsOf } from '../support/template-queries.ts';
import {
  ACCESS_ROLE,
  bareStack,
  MODEL_ROLE_PATTERN,
  marker,
  modelRole,
  runMachine,
  type Stub,
  stepFunction,
  synthesizeMachine,
  taskError,
  testModel,
} from './support/fragment-stack.ts';

// Every Task is a stub here; the same fragment runs against the local SageMaker's variants, deployment guardrails
// and endpoint statuses in test/local/retraining-promotion.test.ts.

const model = testModel({ retraining: { ...testModel().retraining, deployment: { busyWaitMinutes: 3 } } });
const build = () => {
  const stack = bareStack();
  const deployment = new EndpointDeployment(stack, 'EndpointDeployment', {
    role: modelRole(),
    planPromotion: stepFunction(stack, 'PlanPromotionFn', 'functions/retraining/plan-promotion/handler.ts'),
    onServing: marker(stack, 'RecordPromotion'),
    onFailure: marker(stack, 'Rollback'),
  });
  return synthesizeMachine(stack, deployment);
};

const { definition, template, machine } = build();
const JOB = 'churn-20261123080000-ab12';
const input = {
  model,
  settings: { accessRoleArn: ACCESS_ROLE },
  execution: { id: 'exec-arn', name: 'exec-1' },
  data: { jobName: JOB },
  current: { endpointName: 'churn-ep', endpointConfigName: 'churn-old', restoreConfigName: null },
  promotion: null,
  deployment: null,
  waits: { promotion: 0, deployment: 0, restore: 0 },
  failure: null,
};
const update = {
  EndpointName: 'churn-ep',
  EndpointConfigName: JOB,
  RetainAllVariantProperties: true,
  DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'CANARY' } } },
};
const plan =
  (status = 'InService'): Stub =>
  () => ({
    current: {
      endpointName: 'churn-ep',
      endpointConfigName: 'churn-old',
      endpointStatus: status,
      variantName: 'AllTraffic',
      modelName: 'churn-v1',
      adoptedChampionVersion: null,
      restoreConfigName: `${JOB}-prev`,
    },
    challengerConfig: { EndpointConfigName: JOB, ProductionVariants: [{ VariantName: 'AllTraffic' }] },
    restoreConfig: { EndpointConfigName: `${JOB}-prev`, ProductionVariants: [{ VariantName: 'AllTraffic' }] },
    update,
    pollBudget: 4,
    summary: 'churn-ep: variant AllTraffic from churn-v1 to the challenger',
  });
const serving =
  (config: string, status = 'InService'): Stub =>
  () => ({ EndpointStatus: status, EndpointConfigName: config });
const stubs: Record<string, Stub> = {
  PlanPromotion: plan(),
  CreateRestorePoint: () => ({ EndpointConfigArn: 'arn-prev' }),
  CreateChallengerConfig: () => ({ EndpointConfigArn: 'arn-new' }),
  DeployChallenger: () => ({ EndpointArn: 'arn' }),
  DescribeDeployment: serving(JOB),
};

describe('EndpointDeployment', () => {
  test('sends the planned requests whole: restore point, challenger config, then the guarded update', async () => {
    const run = await runMachine(definition, input, stubs);
    expect(run.calls.map((c) => c.state)).toEqual([
      'PlanPromotion',
      'CreateRestorePoint',
      'CreateChallengerConfig',
      'DeployChallenger',
      'DescribeDeployment',
    ]);
    expect(run.output.reached).toBe('RecordPromotion');
    expect(run.calls[1]?.input).toEqual({
      EndpointConfigName: `${JOB}-prev`,
      ProductionVariants: [{ VariantName: 'AllTraffic' }],
    });
    expect(run.calls[3]?.input).toEqual(update);
    // the failure path returns to what the plan saw serving
    expect(run.output.current).toMatchObject({
      endpointConfigName: 'churn-old',
      restoreConfigName: `${JOB}-prev`,
    });
  });

  test('waits for a busy endpoint before changing anything, planning again after each wait', async () => {
    let plans = 0;
    const run = await runMachine(definition, input, {
      ...stubs,
      PlanPromotion: (payload) => plan(++plans < 3 ? 'SystemUpdating' : 'InService')(payload),
    });
    expect(plans).toBe(3);
    expect(run.output.waits.promotion).toBe(2);
    expect(run.output.reached).toBe('RecordPromotion');
  });

  test('fails into the failure path, changing nothing, when the endpoint stays busy past busyWaitMinutes', async () => {
    const run = await runMachine(definition, input, { ...stubs, PlanPromotion: plan('Updating') });
    expect(run.calls.filter((c) => c.state === 'PlanPromotion')).toHaveLength(4);
    expect(run.calls.map((c) => c.state)).not.toContain('DeployChallenger');
    expect(run.output.reached).toBe('Rollback');
    expect(run.output.failure).toEqual({
      Error: 'EndpointNotReady',
      Cause: 'endpoint churn-ep is Updating after 3 minute(s) of waiting; the challenger was not deployed',
    });
  });

  test('keeps polling while the deployment bakes', async () => {
    let polls = 0;
    const run = await runMachine(definition, input, {
      ...stubs,
      DescribeDeployment: (p) => (++polls < 3 ? serving('churn-old', 'Updating')(p) : serving(JOB)(p)),
    });
    expect(polls).toBe(3);
    expect(run.output.reached).toBe('RecordPromotion');
  });

  test.each([
    ['SageMaker rolled the deployment back', serving('churn-old'), 'EndpointUpdateFailed', 'is InService'],
    ['the endpoint failed', serving(JOB, 'Failed'), 'EndpointUpdateFailed', 'is Failed'],
    [
      'the deployment outlasts its poll budget',
      serving('churn-old', 'Updating'),
      'EndpointUpdateTimedOut',
      'is still Updating',
    ],
  ])('fails into the failure path when %s, saying so in $.failure', async (_, describe, error, says) => {
    const run = await runMachine(definition, input, { ...stubs, DescribeDeployment: describe });
    expect(run.output.reached).toBe('Rollback');
    expect(run.output.failure).toEqual({
      Error: error,
      Cause: expect.stringContaining(`endpoint churn-ep ${says}`),
    });
  });

  test.each(['PlanPromotion', 'CreateRestorePoint', 'CreateChallengerConfig', 'DeployChallenger'])(
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

  test("calls SageMaker only with the model's access role, which is all the machine's role may assume", async () => {
    const run = await runMachine(definition, input, stubs);
    const sageMakerCalls = run.calls.filter((c) => !['PlanPromotion'].includes(c.state));
    expect(sageMakerCalls.map((c) => c.state)).toEqual([
      'CreateRestorePoint',
      'CreateChallengerConfig',
      'DeployChallenger',
      'DescribeDeployment',
    ]);
    for (const call of sageMakerCalls) expect(call.roleArn).toBe(ACCESS_ROLE);
    const statements = statementsOf(template, machine.role);
    const arn = (resource: string) => `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
    expect(grants(statements, 'sts:AssumeRole', ACCESS_ROLE)).toBe(true);
    expect(grants(statements, 'sts:AssumeRole', 'arn:aws:iam::123456789012:role/Admin')).toBe(false);
    expect(MODEL_ROLE_PATTERN.endsWith('/model-care/Bare/*')).toBe(true);
    for (const action of [
      'sagemaker:CreateEndpointConfig',
      'sagemaker:UpdateEndpoint',
      'sagemaker:DescribeEndpoint',
    ])
      expect(grants(statements, action, arn('endpoint/churn-ep'))).toBe(false);
  });
});
