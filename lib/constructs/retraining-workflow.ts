import { Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../functions/shared/config/retraining-schema.ts';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../functions/shared/events.ts';
import type {
  AcquireLockInput,
  AcquireLockResult,
  ApprovalRecord,
  BaselineJobInput,
  BaselineJobResult,
  CurrentEndpoint,
  EvaluateInput,
  EvaluateResult,
  InspectEndpointInput,
  PrepareDataInput,
  PrepareDataResult,
  RecordOutcomeInput,
  RecordOutcomeResult,
  RegisterVersionInput,
  RegisterVersionResult,
  ReleaseLockInput,
  ReleaseLockResult,
  RetrainingState,
  RetrainingStep,
  TrainingResult,
  WaitCounts,
} from '../../functions/shared/retraining-contract.ts';
import {
  retrainingTimeoutMinutes,
  trainingArtifactsPrefix,
} from '../../functions/shared/retraining-contract.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import type { HouseFunction } from './house-function.ts';
import { lambdaStep, MODEL_AND_EXECUTION } from './private/lambda-step.ts';
import { acknowledgeWildcards, nagArn } from './private/nag.ts';
import {
  instanceType,
  jsonPathMember,
  narrowToModel,
  StateS3Location,
} from './private/sagemaker-resources.ts';
import { type Bindings, literal, parametersOf, selectFields } from './private/state-payload.ts';
import { ApprovalGate } from './retraining/approval-gate.ts';
import { EndpointDeployment } from './retraining/endpoint-deployment.ts';
import { FailurePath } from './retraining/failure-path.ts';
import { SageMakerRole } from './retraining/sagemaker-role.ts';

export interface RetrainingWorkflowProps {
  /** a model with a `retraining` section */
  readonly model: ModelConfig & { retraining: RetrainingConfig };
  readonly store: CaptureStore;
  readonly alerting: Alerting;
  readonly steps: Record<RetrainingStep, HouseFunction>;
  /** invoked synchronously after a promotion to compute the new baseline */
  readonly baselineJob: HouseFunction;
  readonly logRetention: logs.RetentionDays;
}

/**
 * One model's retraining workflow (Standard state machine):
 *
 *   Initialize -> AcquireLock -> [lock held: Skipped]
 *   -> DescribeCurrentEndpoint -> PrepareData -> TrainChallenger (createTrainingJob.sync)
 *   -> CreateChallengerModel -> ScoreHoldout (batch transform: challenger || champion) -> Evaluate -> RegisterVersion
 *   -> promote | needs-approval (ApprovalGate) | reject
 *   promote: EndpointDeployment (capture on, wait until InService) -> RecordPromotion -> NewBaseline -> ReleaseLock -> Done
 *   reject:  RecordRejection -> ReleaseLock -> Done
 *   any failure: FailurePath (Rollback -> ReleaseLockAfterFailure -> AlertFailure (critical) -> Failed)
 *
 * Models without an endpoint skip the endpoint states: promotion only moves the registry's champion.
 * Static per-model settings (image, instances, channels, hyperparameters, endpoint) are baked in at synth, so IAM
 * is scoped to this model's endpoint; everything per execution flows through the state (retraining-contract.ts).
 * This construct wires; the fragments in retraining/ hold the paths, each tested on its own.
 */
export class RetrainingWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** SageMaker's execution role for this model's training, transform and hosting */
  readonly sageMakerRole: SageMakerRole;

  constructor(scope: Construct, id: string, props: RetrainingWorkflowProps) {
    super(scope, id);
    const { model, store, alerting, steps } = props;
    const retraining = model.retraining;
    const role = new SageMakerRole(this, 'SageMakerRole', { model, store });
    this.sageMakerRole = role;

    const endpoint = model.endpoint;
    const failurePath = new FailurePath(this, 'FailurePath', {
      rollback: steps.rollback,
      releaseLock: steps['release-lock'],
      criticalTopic: alerting.topics.critical,
      ...(endpoint ? { endpoint: { model: model.name, endpointName: endpoint.name } } : {}),
    });
    const onFailure = <T extends sfn.TaskStateBase | sfn.Parallel>(state: T): T => {
      state.addCatch(failurePath, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
      return state;
    };
    const step = <I, O>(
      stepId: string,
      fn: HouseFunction,
      input: Bindings<I>,
      output: { readonly [K in keyof O]-?: true },
      resultPath: string,
    ) => onFailure(lambdaStep<I, O>(this, stepId, fn, input, output, resultPath));

    const initialize = new sfn.Pass(this, 'Initialize', {
      comment:
        'the execution state: every slot a later step fills starts as null (RetrainingState); the model config ' +
        'as deployed (events carry only its name)',
      parameters: parametersOf<RetrainingState>({
        // the rule's input names the model (EventBridge caps an input at 8,192 characters); this machine is the
        // model's own, so its config is part of the definition (a definition may take 1 MB)
        model: literal(model),
        trigger: '$.trigger',
        execution: { id: '$$.Execution.Id', name: '$$.Execution.Name', startTime: '$$.Execution.StartTime' },
        lock: literal(null),
        current: literal(null),
        data: literal(null),
        training: literal(null),
        evaluation: literal(null),
        version: literal(null),
        approval: literal({ requested: false, approved: null, response: null } satisfies ApprovalRecord),
        promotion: literal(null),
        deployment: literal(null),
        waits: literal({ promotion: 0, deployment: 0, restore: 0 } satisfies WaitCounts),
        endpointRestore: literal(null),
        outcome: literal(null),
        baseline: literal(null),
        release: literal(null),
        failure: literal(null),
        restoreError: literal(null),
        rollback: literal(null),
      }),
    });
    const acquireLock = step<AcquireLockInput, AcquireLockResult>(
      'AcquireLock',
      steps['acquire-lock'],
      { ...MODEL_AND_EXECUTION, trigger: '$.trigger' },
      { acquired: true, reason: true, lockId: true, expiresAt: true },
      '$.lock',
    );
    const skipped = new sfn.Succeed(this, 'Skipped', {
      comment: 'another run holds the lock, or the cooldown or the daily limit applies',
    });
    const prepareData = step<PrepareDataInput, PrepareDataResult>(
      'PrepareData',
      steps['prepare-data'],
      { ...MODEL_AND_EXECUTION, lock: '$.lock' },
      {
        jobName: true,
        channelUris: true,
        manifestUri: true,
        manifestSha256: true,
        recordCount: true,
        baselineDatasetUri: true,
        holdout: true,
        championModelName: true,
        championVersion: true,
        encoder: true,
      },
      '$.data',
    );

    const train = onFailure(
      new tasks.SageMakerCreateTrainingJob(this, 'TrainChallenger', {
        comment: 'SageMaker training, waiting for the job to end (.sync); one unique job name per execution',
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        trainingJobName: sfn.JsonPath.stringAt('$.data.jobName'),
        role,
        algorithmSpecification: {
          trainingImage: tasks.DockerImage.fromRegistry(retraining.trainingImage),
          trainingInputMode: tasks.InputMode.FILE,
        },
        hyperparameters: retraining.hyperparameters,
        inputDataConfig: retraining.inputChannels.map((channel) => ({
          channelName: channel.name,
          contentType: channel.contentType,
          dataSource: {
            s3DataSource: {
              s3DataType: tasks.S3DataType.S3_PREFIX,
              s3Location: new StateS3Location(`$.data.channelUris${jsonPathMember(channel.name)}`),
            },
          },
        })),
        outputDataConfig: {
          s3OutputLocation: tasks.S3Location.fromBucket(store.bucket, trainingArtifactsPrefix(model.name)),
          encryptionKey: store.encryptionKey,
        },
        resourceConfig: {
          instanceCount: retraining.instanceCount,
          instanceType: instanceType(retraining.instanceType),
          volumeSize: Size.gibibytes(retraining.volumeSizeGb),
        },
        stoppingCondition: { maxRuntime: Duration.minutes(retraining.maxRuntimeMinutes) },
        resultSelector: selectFields<TrainingResult>({
          trainingJobName: '$.TrainingJobName',
          trainingJobArn: '$.TrainingJobArn',
          modelArtifactsUri: '$.ModelArtifacts.S3ModelArtifacts',
        }),
        resultPath: '$.training',
      }),
    );
    narrowToModel(train, model.name);
    const createModel = onFailure(
      new tasks.SageMakerCreateModel(this, 'CreateChallengerModel', {
        comment: 'the challenger as a SageMaker model, named like its training job',
        modelName: sfn.JsonPath.stringAt('$.data.jobName'),
        role,
        primaryContainer: new tasks.ContainerDefinition({
          image: tasks.DockerImage.fromRegistry(retraining.inferenceImage ?? retraining.trainingImage),
          mode: tasks.Mode.SINGLE_MODEL,
          modelS3Location: new StateS3Location('$.training.modelArtifactsUri'),
        }),
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    narrowToModel(createModel, model.name);
    const scoreHoldout = onFailure(
      new sfn.Parallel(this, 'ScoreHoldout', {
        comment: 'batch transform of the same holdout by challenger and champion',
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    scoreHoldout.branch(
      this.transform('ScoreChallenger', '$.data.jobName', 'challenger', role, retraining, model.name),
    );
    scoreHoldout.branch(
      new sfn.Choice(this, 'HasChampion', { comment: 'the first version has no champion to compare' })
        .when(sfn.Condition.isNull('$.data.championModelName'), new sfn.Pass(this, 'NoChampion'))
        .otherwise(
          this.transform(
            'ScoreChampion',
            '$.data.championModelName',
            'champion',
            role,
            retraining,
            model.name,
          ),
        ),
    );
    const evaluate = step<EvaluateInput, EvaluateResult>(
      'Evaluate',
      steps.evaluate,
      { ...MODEL_AND_EXECUTION, data: '$.data', training: '$.training' },
      {
        decision: true,
        primaryMetric: true,
        challenger: true,
        champion: true,
        improvement: true,
        summary: true,
      },
      '$.evaluation',
    );
    const register = step<RegisterVersionInput, RegisterVersionResult>(
      'RegisterVersion',
      steps['register-version'],
      { ...MODEL_AND_EXECUTION, data: '$.data', training: '$.training', evaluation: '$.evaluation' },
      { version: true, registeredAt: true },
      '$.version',
    );

    const releaseLock = step<ReleaseLockInput, ReleaseLockResult>(
      'ReleaseLock',
      steps['release-lock'],
      { ...MODEL_AND_EXECUTION, lock: '$.lock' },
      { released: true },
      '$.release',
    );
    releaseLock.next(
      new sfn.Succeed(this, 'Done', { comment: '$.outcome.status says promoted or rejected' }),
    );
    const recordOutcome = (outcomeId: string, outcome: RecordOutcomeInput['outcome']) =>
      step<RecordOutcomeInput, RecordOutcomeResult>(
        outcomeId,
        steps['record-outcome'],
        {
          ...MODEL_AND_EXECUTION,
          outcome: literal(outcome),
          version: '$.version',
          evaluation: '$.evaluation',
          approval: '$.approval',
          deployment: '$.deployment',
        },
        { version: true, status: true, championVersion: true },
        '$.outcome',
      );
    const recordRejection = recordOutcome('RecordRejection', 'rejected');
    recordRejection.next(releaseLock);
    const newBaseline = step<BaselineJobInput, BaselineJobResult>(
      'NewBaseline',
      props.baselineJob,
      {
        model: '$.model.name',
        configVersion: literal(null),
        trigger: {
          id: '$.execution.name',
          source: literal(EVENT_SOURCE),
          detailType: literal(DETAIL_TYPES.baselineRequested),
          time: '$.execution.startTime',
          detail: {
            model: '$.model.name',
            datasetUri: '$.data.baselineDatasetUri',
            version: '$.version.version',
          },
        },
      },
      { version: true, statisticsUri: true, constraintsUri: true },
      '$.baseline',
    );
    const recordPromotion = recordOutcome('RecordPromotion', 'promoted');
    recordPromotion.next(newBaseline).next(releaseLock);

    const promote = endpoint
      ? new EndpointDeployment(this, 'EndpointDeployment', {
          model: { ...model, endpoint },
          planPromotion: steps['plan-promotion'],
          onServing: recordPromotion,
          onFailure: failurePath,
        })
      : recordPromotion;
    const approval = new ApprovalGate(this, 'ApprovalGate', {
      topic: alerting.topics.warning,
      timeoutHours: retraining.approvalTimeoutHours,
      onApproved: promote,
      onRejected: recordRejection,
      onFailure: failurePath,
    });
    const decide = new sfn.Choice(this, 'Decide', {
      comment: 'the evaluate step decides; approval: manual asks',
    })
      .when(sfn.Condition.stringEquals('$.evaluation.decision', 'promote'), promote)
      .when(sfn.Condition.stringEquals('$.evaluation.decision', 'needs-approval'), approval)
      .otherwise(recordRejection);

    const inspectEndpoint = endpoint
      ? step<InspectEndpointInput, CurrentEndpoint>(
          'InspectEndpoint',
          steps['inspect-endpoint'],
          { ...MODEL_AND_EXECUTION, lock: '$.lock' },
          {
            endpointName: true,
            endpointConfigName: true,
            endpointStatus: true,
            variantName: true,
            modelName: true,
            adoptedChampionVersion: true,
            restoreConfigName: true,
          },
          '$.current',
        )
      : undefined;

    const afterLock = inspectEndpoint ? inspectEndpoint.next(prepareData) : prepareData;
    const definition = initialize
      .next(acquireLock)
      .next(
        new sfn.Choice(this, 'LockAcquired?')
          .when(sfn.Condition.booleanEquals('$.lock.acquired', true), afterLock)
          .otherwise(skipped),
      );
    prepareData.next(train).next(createModel).next(scoreHoldout).next(evaluate).next(register).next(decide);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: `model-care retraining of ${model.name}`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      // every event (cdk-nag SF1), but never execution data: the state carries approval task tokens (and, from
      // approvers, whatever they answer), which must not land in a log group readers of logs can see
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      // a timed-out execution runs no Catch: its lock expires on its own (acquire-lock uses the same figure)
      timeout: Duration.minutes(retrainingTimeoutMinutes(retraining)),
    });
    alerting.grantPublish(this.stateMachine.role, 'critical');
    alerting.grantPublish(this.stateMachine.role, 'warning');
    this.acknowledgeStateMachineWildcards(model, [...Object.values(steps), props.baselineJob]);
  }

  private transform(
    id: string,
    modelNamePath: string,
    who: 'challenger' | 'champion',
    role: SageMakerRole,
    retraining: RetrainingConfig,
    modelName: string,
  ): tasks.SageMakerCreateTransformJob {
    const task = new tasks.SageMakerCreateTransformJob(this, id, {
      comment: `scores the holdout with the ${who} (.sync)`,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      transformJobName: sfn.JsonPath.stringAt(`$.data.holdout.${who}TransformJobName`),
      modelName: sfn.JsonPath.stringAt(modelNamePath),
      role,
      transformInput: {
        transformDataSource: {
          s3DataSource: {
            s3Uri: sfn.JsonPath.stringAt('$.data.holdout.inputUri'),
            s3DataType: tasks.S3DataType.S3_PREFIX,
          },
        },
        contentType: sfn.JsonPath.stringAt('$.data.holdout.contentType'),
        splitType: tasks.SplitType.LINE,
      },
      transformOutput: {
        s3OutputPath: sfn.JsonPath.stringAt(`$.data.holdout.${who}OutputUri`),
        assembleWith: tasks.AssembleWith.LINE,
        accept: 'text/csv',
      },
      transformResources: { instanceCount: 1, instanceType: instanceType(retraining.transformInstanceType) },
      resultPath: sfn.JsonPath.DISCARD,
    });
    narrowToModel(task, modelName);
    return task;
  }

  private acknowledgeStateMachineWildcards(model: ModelConfig, invoked: readonly HouseFunction[]): void {
    const role = this.stateMachine.role;
    const stack = Stack.of(this);
    const own = (resource: string): string =>
      `Resource::${nagArn(this, stack.formatArn({ service: 'sagemaker', resource, resourceName: `${model.name}-*` }))}`;
    acknowledgeWildcards(
      role,
      invoked.map((fn) => `Resource::<${fn.logicalId}.Arn>:*`),
      "CDK's LambdaInvoke grants each step function and its versions (<arn>:*); no other function is reachable.",
    );
    acknowledgeWildcards(
      role,
      ['Resource::*'],
      'X-Ray tracing and CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) support no ' +
        "resource-level permissions; sagemaker:ListTags on * is what Step Functions' SageMaker integration documents.",
    );
    acknowledgeWildcards(
      role,
      [own('training-job'), own('model'), own('transform-job'), own('endpoint-config')],
      `Every job, model and endpoint config this workflow creates is named "${model.name}-<time>-<hex>[-suffix]" ` +
        "(per execution, so IAM can only match the model's prefix); the endpoint itself is named in the policy.",
    );
  }
}
