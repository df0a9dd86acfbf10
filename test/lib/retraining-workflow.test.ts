import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { accessPolicy } from '../../functions/adapters/iam/model-role-policies.ts';
import { modelRoleSettingsSchema } from '../../functions/shared/model-role-settings.ts';
import { modelRoleArn, modelRoleNames } from '../../functions/shared/model-roles.ts';
import {
  allStates,
  resolveStateMachine,
  resolveStateMachines,
} from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { grants, logicalIdOf, statementsOf } from './support/template-queries.ts';

// asl-validator is CommonJS without types
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const { stack, json } = synthConfig('config/model-care.json');
const workflow = stack.care.retraining;
const { definition } = resolveStateMachine(json, logicalIdOf(workflow.stateMachine));
const states = allStates(definition);

/** the failure path itself; every other Task and the Parallel must be caught into it (LoadModel runs before the lock: nothing to undo) */
const FAILURE_PATH = ['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure', 'LoadModel'];
/** the endpoint restore loop of the failure path: its calls are caught into its own escalation */
const RESTORE_LOOP = ['DescribeForRestore', 'RestoreEndpoint'];

describe('the retraining state machine definition', () => {
  test('resolves to plain ASL that asl-validator accepts, for every model of every example config', () => {
    for (const file of ['config/model-care.json', 'config/three-models.json']) {
      const machines = resolveStateMachines(synthConfig(file).json);
      expect(machines.length).toBeGreaterThan(0);
      for (const machine of machines) {
        const result = aslValidator(machine.definition);
        expect(result.isValid, `${file} ${machine.logicalId}: ${result.errorsText('\n')}`).toBe(true);
      }
    }
  });

  test("trains with createTrainingJob.sync, every parameter from the state, with the model's own roles", () => {
    const train = states.TrainChallenger!;
    expect(train.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(train.Credentials).toEqual({ 'RoleArn.$': '$.settings.accessRoleArn' });
    expect(train.Parameters).toMatchObject({
      'TrainingJobName.$': '$.data.jobName',
      'RoleArn.$': '$.settings.trainingRoleArn',
      AlgorithmSpecification: { 'TrainingImage.$': '$.settings.trainingImage' },
      'HyperParameters.$': '$.settings.hyperparameters',
      'InputDataConfig.$': '$.data.inputDataConfig',
      ResourceConfig: {
        'InstanceType.$': '$.settings.instanceType',
        'InstanceCount.$': '$.settings.instanceCount',
      },
      StoppingCondition: { 'MaxRuntimeInSeconds.$': '$.settings.maxRuntimeSeconds' },
    });
    // nothing of any model is in the definition
    expect(JSON.stringify(definition)).not.toMatch(/churn|xgboost|ml\.m5/);
  });

  test('runs every SageMaker state with the access role the state holds, never the machine role', () => {
    const sageMakerStates = Object.entries(states).filter(([, state]) =>
      String(state.Resource ?? '').includes(':sagemaker:'),
    );
    expect(sageMakerStates.map(([name]) => name).sort()).toEqual(
      [
        'CreateChallengerConfig',
        'CreateChallengerModel',
        'CreateRestorePoint',
        'DeployChallenger',
        'DescribeDeployment',
        'DescribeForRestore',
        'RestoreEndpoint',
        'ScoreChallenger',
        'ScoreChampion',
        'TrainChallenger',
      ].sort(),
    );
    for (const [name, state] of sageMakerStates) {
      expect(state.Credentials, name).toEqual({ 'RoleArn.$': '$.settings.accessRoleArn' });
    }
  });

  test('catches every failing step into rollback, then releases the lock, alerts critically and fails', () => {
    const guarded = Object.entries(states).filter(
      ([name, state]) =>
        (state.Type === 'Task' || state.Type === 'Parallel') &&
        !FAILURE_PATH.includes(name) &&
        !RESTORE_LOOP.includes(name),
    );
    // the states inside the Parallel are caught by the Parallel
    const inBranches = new Set(
      Object.keys(Object.assign({}, ...(states.ScoreHoldout!.Branches ?? []).map((b) => b.States))),
    );
    for (const [name, state] of guarded.filter(([name]) => !inBranches.has(name))) {
      const catchAll = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, name).toBe('PromotionPlanned?');
      expect(catchAll?.ResultPath, name).toBe('$.failure');
    }
    expect(guarded.length).toBeGreaterThan(12);
    expect(states.Rollback).toMatchObject({
      Next: 'ReleaseLockAfterFailure',
      Catch: [{ Next: 'ReleaseLockAfterFailure' }],
    });
    expect(states.ReleaseLockAfterFailure).toMatchObject({
      Next: 'AlertFailure',
      Catch: [{ Next: 'AlertFailure' }],
    });
    expect(states.AlertFailure).toMatchObject({ Resource: 'arn:aws:states:::sns:publish', Next: 'Failed' });
    expect(states.AlertFailure?.Parameters?.TopicArn).toContain('CriticalTopic');
    expect(states.Failed?.Type).toBe('Fail');
  });

  test('rollback gets what it needs to undo: what the restore did, the data, the version, the outcome', () => {
    expect(states.InspectEndpoint).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      ResultPath: '$.current',
    });
    expect(states.Rollback?.Parameters?.Payload).toEqual({
      'model.$': '$.model',
      'execution.$': '$.execution',
      'failure.$': '$.failure',
      'endpointRestore.$': '$.endpointRestore',
      'data.$': '$.data',
      'version.$': '$.version',
      'outcome.$': '$.outcome',
    });
  });

  test('asks for approval over SNS with a task token, treating a timeout as a rejection', () => {
    const approval = states.RequestApproval!;
    expect(approval.Resource).toBe('arn:aws:states:::sns:publish.waitForTaskToken');
    expect(approval.Parameters).toMatchObject({ Message: { 'taskToken.$': '$$.Task.Token' } });
    expect(approval.TimeoutSecondsPath).toBe('$.settings.approvalTimeoutSeconds');
    expect(approval.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'ApprovalTimedOut' });
    expect(states.ApprovalTimedOut?.Next).toBe('RecordRejection');
    expect(states.Decide?.Choices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ StringEquals: 'needs-approval', Next: 'RequestApproval' }),
        expect.objectContaining({ StringEquals: 'promote', Next: 'PromoteOnEndpoint?' }),
      ]),
    );
  });

  test('promotes the planned requests whole, then polls DescribeEndpoint in a bounded loop', () => {
    expect(states.CreateChallengerConfig).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:createEndpointConfig',
      InputPath: '$.promotion.challengerConfig',
    });
    expect(states.CreateChallengerConfig?.Parameters).toBeUndefined();
    expect(states.DeployChallenger).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:updateEndpoint',
      InputPath: '$.promotion.update',
      Next: 'WaitForDeployment',
    });
    expect(states.WaitForDeployment?.Next).toBe('DescribeDeployment');
    const done = states['DeploymentDone?']!;
    expect(done.Choices?.[0]?.Next).toBe('RecordPromotion');
    expect(done.Choices?.[1]?.Next).toBe('DeploymentFailed');
    expect(done.Choices?.[2]).toMatchObject({ NumericLessThanPath: '$.promotion.pollBudget' });
    expect(done.Default).toBe('DeploymentTimedOut');
    expect(states.DeploymentFailed?.Next).toBe('PromotionPlanned?');
  });

  test('returns the endpoint on failure in a wait loop bounded by deployment.busyWaitMinutes', () => {
    expect(states['PromotionPlanned?']?.Default).toBe('StartRestore');
    const done = states['RestoreDone?']!;
    expect(JSON.stringify(done)).toContain('$.model.retraining.deployment.busyWaitMinutes');
    expect(done.Default).toBe('RestoreGaveUp');
    for (const settled of ['EndpointUnchanged', 'EndpointRestored', 'RestoreGaveUp', 'RestoreCallFailed']) {
      expect(states[settled]?.Next, settled).toBe('Rollback');
    }
  });

  test('logs every event but never execution data: the state carries approval task tokens', () => {
    const machine = json.Resources[logicalIdOf(workflow.stateMachine)]!;
    expect(machine.Properties?.LoggingConfiguration).toMatchObject({
      Level: 'ALL',
      IncludeExecutionData: false,
    });
  });

  test('loads the model first and ends a model without retraining before anything else runs', () => {
    expect(definition.StartAt).toBe('LoadModel');
    expect(states.LoadModel?.Parameters?.Payload).toEqual({
      execution: {
        'id.$': '$$.Execution.Id',
        'name.$': '$$.Execution.Name',
        'startTime.$': '$$.Execution.StartTime',
      },
      'trigger.$': '$.trigger',
    });
    expect(states.LoadModel?.Catch).toBeUndefined();
    expect(states['Retrains?']).toMatchObject({ Default: 'ExplainNotRetrainable' });
    expect(states.ExplainNotRetrainable?.Next).toBe('NotRetrainable');
    expect(states.NotRetrainable?.Type).toBe('Fail');
  });

  test('holds the lock around everything and skips when it is held', () => {
    expect(states['Retrains?']?.Choices?.[0]?.Next).toBe('Initialize');
    expect(states.Initialize?.Next).toBe('AcquireLock');
    expect(states['LockAcquired?']).toMatchObject({ Default: 'Skipped' });
    expect(states.NewBaseline?.Next).toBe('ReleaseLock');
    expect(states.RecordRejection?.Next).toBe('ReleaseLock');
    expect(states.ReleaseLock?.Next).toBe('Done');
  });
});

describe('the retraining permissions', () => {
  const statements = statementsOf(json, workflow.stateMachine.role);
  const sageMaker = (resource: string) => `arn:aws:sagemaker:us-east-1:123456789012:${resource}`;
  const churnAccess = 'arn:aws:iam::123456789012:role/model-care/ModelCare/mc-abcdef-churn-access';

  test('the state machine role cannot act on SageMaker, pass a role, or assume one outside the model-role path', () => {
    const actions = statements.flatMap((s) => [s.Action].flat().map(String));
    expect(actions.filter((a) => a.toLowerCase().startsWith('sagemaker:'))).toEqual([]);
    expect(actions).not.toContain('iam:PassRole');
    for (const action of [
      'sagemaker:CreateTrainingJob',
      'sagemaker:UpdateEndpoint',
      'sagemaker:DescribeEndpoint',
    ])
      expect(grants(statements, action, sageMaker('endpoint/churn-xgboost')), action).toBe(false);
    expect(grants(statements, 'sts:AssumeRole', churnAccess)).toBe(true);
    expect(grants(statements, 'sts:AssumeRole', 'arn:aws:iam::123456789012:role/Admin')).toBe(false);
    expect(grants(statements, 'sts:AssumeRole', 'arn:aws:iam::123456789012:role/model-care/Other/x')).toBe(
      false,
    );
  });

  // what each SageMaker state calls (the .sync ones poll and may stop their job), on a churn-named resource
  const settings = modelRoleSettingsSchema.parse({
    stackName: 'ModelCare',
    region: 'us-east-1',
    account: '123456789012',
    permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/model-care/ModelCare/boundary',
    trustedRoleArns: ['arn:aws:iam::123456789012:role/retraining'],
  });
  const churn = stack.care.config.models.find((m) => m.name === 'churn')!;
  const churnPolicy = accessPolicy(churn, settings).Statement.map((statement) => ({
    ...statement,
    Resource: statement.Resource ?? [],
  }));
  const job = 'churn-20261123080000-ab12';
  test.each([
    ['TrainChallenger', 'sagemaker:CreateTrainingJob', `training-job/${job}`],
    ['TrainChallenger', 'sagemaker:DescribeTrainingJob', `training-job/${job}`],
    ['TrainChallenger', 'sagemaker:StopTrainingJob', `training-job/${job}`],
    ['CreateChallengerModel', 'sagemaker:CreateModel', `model/${job}`],
    ['ScoreChallenger', 'sagemaker:CreateTransformJob', `transform-job/${job}-c`],
    ['ScoreChallenger', 'sagemaker:DescribeTransformJob', `transform-job/${job}-c`],
    ['CreateChallengerConfig', 'sagemaker:CreateEndpointConfig', `endpoint-config/${job}`],
    ['CreateChallengerConfig', 'sagemaker:AddTags', `endpoint-config/${job}`],
    ['DeployChallenger', 'sagemaker:UpdateEndpoint', 'endpoint/churn-xgboost'],
    ['DeployChallenger', 'sagemaker:UpdateEndpoint', `endpoint-config/${job}`],
    ['RestoreEndpoint', 'sagemaker:UpdateEndpoint', `endpoint-config/${job}-prev`],
    ['DescribeDeployment', 'sagemaker:DescribeEndpoint', 'endpoint/churn-xgboost'],
  ])(
    "the model's access role allows what %s calls: %s on %s, and not on another model's",
    (_state, action, resource) => {
      expect(grants(churnPolicy, action, sageMaker(resource))).toBe(true);
      const other = resource.replace('churn', 'fraud');
      expect(grants(churnPolicy, action, sageMaker(other))).toBe(false);
    },
  );

  test('the access role passes only its own training role, and only to SageMaker', () => {
    const own = modelRoleArn(settings, modelRoleNames(settings, 'churn').training);
    const other = modelRoleArn(settings, modelRoleNames(settings, 'fraud').training);
    expect(grants(churnPolicy, 'iam:PassRole', own)).toBe(true);
    expect(grants(churnPolicy, 'iam:PassRole', other)).toBe(false);
    expect(churnPolicy.find((s) => s.Sid === 'PassOwnTrainingRole')).toMatchObject({
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  });
});
