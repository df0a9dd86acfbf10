import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import {
  allStates,
  resolveStateMachine,
  resolveStateMachines,
} from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { actionsOn, logicalIdOf, resourcesOf, statementsOf } from './support/template-queries.ts';

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
      ([name, state]) => (state.Type === 'Task' || state.Type === 'Parallel') && !FAILURE_PATH.includes(name),
    );
    // the states inside the Parallel are caught by the Parallel
    const inBranches = new Set(
      Object.keys(Object.assign({}, ...(states.ScoreHoldout!.Branches ?? []).map((b) => b.States))),
    );
    for (const [name, state] of guarded.filter(([name]) => !inBranches.has(name))) {
      const catchAll = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(catchAll?.Next, name).toBe('Rollback');
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

  test('rollback gets what it needs to undo: the endpoint config before, the data, the version, the outcome', () => {
    expect(states.DescribeCurrentEndpoint).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:describeEndpoint',
      Parameters: { EndpointName: 'churn-xgboost' },
      ResultPath: '$.current',
    });
    expect(states.Rollback?.Parameters?.Payload).toEqual({
      'model.$': '$.model',
      'execution.$': '$.execution',
      'failure.$': '$.failure',
      'current.$': '$.current',
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
        expect.objectContaining({ StringEquals: 'promote', Next: 'CreateEndpointConfig' }),
      ]),
    );
  });

  test('promotes with capture on, then polls DescribeEndpoint until the new config is InService', () => {
    expect(states.CreateEndpointConfig?.Parameters).toMatchObject({
      'EndpointConfigName.$': '$.data.jobName',
      DataCaptureConfig: {
        EnableCapture: true,
        DestinationS3Uri: expect.stringMatching(/^s3:\/\/.+\/capture$/),
      },
    });
    expect(states.UpdateEndpoint).toMatchObject({
      Resource: 'arn:aws:states:::sagemaker:updateEndpoint',
      Parameters: { EndpointName: 'churn-xgboost', 'EndpointConfigName.$': '$.data.jobName' },
      Next: 'WaitForEndpoint',
    });
    expect(states.WaitForEndpoint?.Next).toBe('DescribeEndpoint');
    expect(states['EndpointReady?']).toMatchObject({ Default: 'WaitForEndpoint' });
    expect(states['EndpointReady?']?.Choices?.[0]?.Next).toBe('RecordPromotion');
    expect(states['EndpointReady?']?.Choices?.[1]?.Next).toBe('EndpointUpdateFailed');
    expect(states.EndpointUpdateFailed?.Next).toBe('Rollback');
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
      expect.arrayContaining(['sagemaker:updateEndpoint', 'sagemaker:DescribeEndpoint']),
    );
    const endpoints = resourcesOf(statements).filter((r) => r.includes(':endpoint/'));
    expect(new Set(endpoints)).toEqual(new Set([sageMaker('endpoint/churn-xgboost')]));
  });

  test('creates endpoint configs only under the model prefix', () => {
    expect(actionsOn(statements, sageMaker('endpoint-config/churn-*'))).toEqual([
      'sagemaker:CreateEndpointConfig',
    ]);
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
