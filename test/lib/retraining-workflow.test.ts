import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import {
  allStates,
  resolveStateMachine,
  resolveStateMachines,
} from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { actionsOn, grants, logicalIdOf, resourcesOf, statementsOf } from './support/template-queries.ts';

// asl-validator is CommonJS without types
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const { stack, json } = synthConfig('config/model-care.json');
const workflow = stack.care.models.churn!.retraining!;
const { definition } = resolveStateMachine(json, logicalIdOf(workflow.stateMachine));
const states = allStates(definition);

/** the failure path itself; every other Task and the Parallel must be caught into it */
const FAILURE_PATH = ['Rollback', 'ReleaseLockAfterFailure', 'AlertFailure'];
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

  test('trains with createTrainingJob.sync under a per-execution job name', () => {
    const train = states.TrainChallenger!;
    expect(train.Resource).toBe('arn:aws:states:::sagemaker:createTrainingJob.sync');
    expect(train.Parameters).toMatchObject({
      'TrainingJobName.$': '$.data.jobName',
      AlgorithmSpecification: {
        TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
      },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
    });
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
    expect(approval.TimeoutSeconds).toBe(24 * 3600);
    expect(approval.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'ApprovalTimedOut' });
    expect(states.ApprovalTimedOut?.Next).toBe('RecordRejection');
    expect(states.Decide?.Choices).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ StringEquals: 'needs-approval', Next: 'RequestApproval' }),
        expect.objectContaining({ StringEquals: 'promote', Next: 'PlanPromotion' }),
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

  test('holds the lock around everything and skips when it is held', () => {
    expect(definition.StartAt).toBe('Initialize');
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

  test('the state machine may update and describe only its own model endpoint', () => {
    expect(actionsOn(statements, sageMaker('endpoint/churn-xgboost'))).toEqual(
      expect.arrayContaining(['sagemaker:UpdateEndpoint', 'sagemaker:DescribeEndpoint']),
    );
    const endpoints = resourcesOf(statements).filter((r) => r.includes(':endpoint/'));
    expect(new Set(endpoints)).toEqual(new Set([sageMaker('endpoint/churn-xgboost')]));
  });

  test.each([
    ['sagemaker:CreateTrainingJob', 'training-job'],
    ['sagemaker:CreateModel', 'model'],
    ['sagemaker:CreateTransformJob', 'transform-job'],
    ['sagemaker:CreateEndpointConfig', 'endpoint-config'],
  ])("may %s only under the model's own names (%s/churn-*)", (action, type) => {
    expect(grants(statements, action, sageMaker(`${type}/churn-20261123080000-ab12`))).toBe(true);
    expect(grants(statements, action, sageMaker(`${type}/fraud-20261123080000-ab12`))).toBe(false);
    const wide = resourcesOf(statements).filter((r) => r.endsWith(`:${type}/*`));
    expect(wide).toEqual([]);
  });

  test('passes only the model SageMaker role, and only to SageMaker', () => {
    const passRole = statements.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole.length).toBeGreaterThan(0);
    for (const statement of passRole) {
      expect(statement.Resource).toBe(
        `arn:aws:iam::123456789012:role/${logicalIdOf(workflow.sageMakerRole)}`,
      );
      expect(statement).toMatchObject({
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
    }
  });

  test('the SageMaker role pulls only the configured image repository', () => {
    const role = statementsOf(json, workflow.sageMakerRole);
    expect(actionsOn(role, 'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost')).toContain(
      'ecr:BatchGetImage',
    );
  });
});
