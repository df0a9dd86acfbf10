import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../functions/shared/events.ts';
import { modelRolePath } from '../../functions/shared/model-roles.ts';
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
  LoadModelInput,
  LoadModelResult,
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
import { RETRAINING_TIMEOUT_CEILING_MINUTES } from '../../functions/shared/retraining-contract.ts';
import type { Alerting } from './alerting.ts';
import type { HouseFunction } from './house-function.ts';
import { lambdaStep, MODEL_AND_EXECUTION } from './private/lambda-step.ts';
import { acknowledgeWildcards } from './private/nag.ts';
import { type Bindings, literal, parametersOf, selectFields } from './private/state-payload.ts';
import { ApprovalGate } from './retraining/approval-gate.ts';
import { EndpointDeployment } from './retraining/endpoint-deployment.ts';
import { FailurePath } from './retraining/failure-path.ts';
import { ModelAccessRole, ModelSageMakerTask } from './retraining/model-sagemaker-task.ts';

export interface RetrainingWorkflowProps {
  /** the key of the capture store: training output is written with it */
  readonly encryptionKey: kms.IKey;
  readonly alerting: Alerting;
  readonly steps: Record<RetrainingStep, HouseFunction>;
  /** invoked synchronously after a promotion to compute the new baseline */
  readonly baselineJob: HouseFunction;
  readonly logRetention: logs.RetentionDays;
}

const EXECUTION = { id: '$$.Execution.Id', name: '$$.Execution.Name', startTime: '$$.Execution.StartTime' };

/**
 * THE retraining workflow of the stack (Standard state machine), for every model: the model is input, not part
 * of the definition, so a model added by `models put` retrains without a deploy.
 *
 *   LoadModel (config at the pinned or current version, settings, role ARNs) -> Retrains? no: NotRetrainable
 *   -> Initialize -> AcquireLock -> [lock held: Skipped]
 *   -> [endpoint models: InspectEndpoint] -> PrepareData -> TrainChallenger (createTrainingJob.sync)
 *   -> CreateChallengerModel -> ScoreHoldout (batch transform: challenger || champion) -> Evaluate -> RegisterVersion
 *   -> promote | needs-approval (ApprovalGate) | reject
 *   promote: [endpoint models: EndpointDeployment] -> RecordPromotion -> NewBaseline -> ReleaseLock -> Done
 *   reject:  RecordRejection -> ReleaseLock -> Done
 *   any failure: FailurePath (restore the endpoint -> Rollback -> ReleaseLockAfterFailure -> AlertFailure -> Failed)
 *
 * Every SageMaker parameter (images, instances, hyperparameters, channels, endpoint, approval and deployment
 * settings) is read from the state by JSONPath, and every SageMaker state runs with the model's own access role
 * (`Credentials`): the state machine's role may only assume roles under the stack's model-role path, so each
 * execution can touch exactly what its model's role allows, as strictly as a machine per model did.
 */
export class RetrainingWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RetrainingWorkflowProps) {
    super(scope, id);
    const { alerting, steps } = props;
    const stack = Stack.of(this);
    const role = new ModelAccessRole(
      `arn:${stack.partition}:iam::${stack.account}:role${modelRolePath(stack.stackName)}*`,
    );

    const failurePath = new FailurePath(this, 'FailurePath', {
      rollback: steps.rollback,
      releaseLock: steps['release-lock'],
      criticalTopic: alerting.topics.critical,
      role,
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
    const sageMaker = (
      stepId: string,
      props: Omit<ConstructorParameters<typeof ModelSageMakerTask>[2], 'role'>,
    ) => onFailure(new ModelSageMakerTask(this, stepId, { ...props, role }));

    // no Catch: nothing is locked or changed yet; an unknown or removed model fails the execution with its error
    const loadModel = lambdaStep<LoadModelInput, LoadModelResult>(
      this,
      'LoadModel',
      steps['load-model'],
      { execution: EXECUTION, trigger: '$.trigger' },
      { retrains: true, modelName: true, model: true, settings: true },
      '$.loaded',
    );
    const notRetrainable = new sfn.Pass(this, 'ExplainNotRetrainable', {
      parameters: {
        Error: 'ModelNotRetrainable',
        Cause: sfn.JsonPath.format(
          'model {} has no retraining section; add one with `model-care models put` to retrain it',
          sfn.JsonPath.stringAt('$.loaded.modelName'),
        ),
      },
      resultPath: '$.failure',
    }).next(
      new sfn.Fail(this, 'NotRetrainable', {
        comment: 'the model has no retraining section: nothing was locked, trained or changed',
        errorPath: '$.failure.Error',
        causePath: '$.failure.Cause',
      }),
    );
    const initialize = new sfn.Pass(this, 'Initialize', {
      comment:
        'the execution state: the model and its settings as load-model read them, every slot a later step fills ' +
        'as null (RetrainingState)',
      parameters: parametersOf<RetrainingState>({
        model: '$.loaded.model',
        settings: '$.loaded.settings',
        trigger: '$.trigger',
        execution: EXECUTION,
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
        inputDataConfig: true,
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

    const at = sfn.JsonPath.stringAt;
    const train = sageMaker('TrainChallenger', {
      comment:
        "SageMaker training with the model's role, waiting for the job to end (.sync); one job name per execution",
      action: 'createTrainingJob',
      integration: 'optimized',
      sync: true,
      request: {
        TrainingJobName: at('$.data.jobName'),
        RoleArn: at('$.settings.trainingRoleArn'),
        AlgorithmSpecification: { TrainingImage: at('$.settings.trainingImage'), TrainingInputMode: 'File' },
        HyperParameters: sfn.JsonPath.objectAt('$.settings.hyperparameters'),
        InputDataConfig: sfn.JsonPath.listAt('$.data.inputDataConfig'),
        OutputDataConfig: {
          S3OutputPath: at('$.settings.artifactsUri'),
          KmsKeyId: props.encryptionKey.keyArn,
        },
        ResourceConfig: {
          InstanceCount: sfn.JsonPath.numberAt('$.settings.instanceCount'),
          InstanceType: at('$.settings.instanceType'),
          VolumeSizeInGB: sfn.JsonPath.numberAt('$.settings.volumeSizeGb'),
        },
        StoppingCondition: { MaxRuntimeInSeconds: sfn.JsonPath.numberAt('$.settings.maxRuntimeSeconds') },
      },
      resultSelector: selectFields<TrainingResult>({
        trainingJobName: '$.TrainingJobName',
        trainingJobArn: '$.TrainingJobArn',
        modelArtifactsUri: '$.ModelArtifacts.S3ModelArtifacts',
      }),
      resultPath: '$.training',
    });
    const createModel = sageMaker('CreateChallengerModel', {
      comment:
        'the challenger as a SageMaker model, named like its training job, served by the training role',
      action: 'createModel',
      integration: 'optimized',
      request: {
        ModelName: at('$.data.jobName'),
        ExecutionRoleArn: at('$.settings.trainingRoleArn'),
        PrimaryContainer: {
          Image: at('$.settings.inferenceImage'),
          Mode: 'SingleModel',
          ModelDataUrl: at('$.training.modelArtifactsUri'),
        },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    const scoreHoldout = onFailure(
      new sfn.Parallel(this, 'ScoreHoldout', {
        comment: 'batch transform of the same holdout by challenger and champion',
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    scoreHoldout.branch(this.transform('ScoreChallenger', '$.data.jobName', 'challenger', role));
    scoreHoldout.branch(
      new sfn.Choice(this, 'HasChampion', { comment: 'the first version has no champion to compare' })
        .when(sfn.Condition.isNull('$.data.championModelName'), new sfn.Pass(this, 'NoChampion'))
        .otherwise(this.transform('ScoreChampion', '$.data.championModelName', 'champion', role)),
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
        configVersion: '$.settings.configVersion',
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

    const hasEndpoint = sfn.Condition.booleanEquals('$.settings.hasEndpoint', true);
    const promote = new sfn.Choice(this, 'PromoteOnEndpoint?', {
      comment: 'a model without an endpoint is promoted in the registry only',
    })
      .when(
        hasEndpoint,
        new EndpointDeployment(this, 'EndpointDeployment', {
          role,
          planPromotion: steps['plan-promotion'],
          onServing: recordPromotion,
          onFailure: failurePath,
        }),
      )
      .otherwise(recordPromotion);
    const approval = new ApprovalGate(this, 'ApprovalGate', {
      topic: alerting.topics.warning,
      timeoutSecondsPath: '$.settings.approvalTimeoutSeconds',
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

    const inspectEndpoint = step<InspectEndpointInput, CurrentEndpoint>(
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
    );
    inspectEndpoint.next(prepareData);

    const definition = loadModel.next(
      new sfn.Choice(this, 'Retrains?')
        .when(
          sfn.Condition.booleanEquals('$.loaded.retrains', true),
          initialize
            .next(acquireLock)
            .next(
              new sfn.Choice(this, 'LockAcquired?')
                .when(
                  sfn.Condition.booleanEquals('$.lock.acquired', true),
                  new sfn.Choice(this, 'InspectEndpoint?')
                    .when(hasEndpoint, inspectEndpoint)
                    .otherwise(prepareData),
                )
                .otherwise(skipped),
            ),
        )
        .otherwise(notRetrainable),
    );
    prepareData.next(train).next(createModel).next(scoreHoldout).next(evaluate).next(register).next(decide);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'model-care retraining, one machine for every model (the model is input)',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      // every event (cdk-nag SF1), but never execution data: the state carries approval task tokens (and, from
      // approvers, whatever they answer), which must not land in a log group readers of logs can see
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      // a backstop only: each model's execution is bounded by its own settings (RETRAINING_TIMEOUT_CEILING_MINUTES)
      timeout: Duration.minutes(RETRAINING_TIMEOUT_CEILING_MINUTES),
    });
    alerting.grantPublish(this.stateMachine.role, 'critical');
    alerting.grantPublish(this.stateMachine.role, 'warning');
    this.acknowledgeStateMachineWildcards(role, [...Object.values(steps), props.baselineJob]);
  }

  private transform(
    id: string,
    modelNamePath: string,
    who: 'challenger' | 'champion',
    role: ModelAccessRole,
  ): ModelSageMakerTask {
    const at = sfn.JsonPath.stringAt;
    return new ModelSageMakerTask(this, id, {
      comment: `scores the holdout with the ${who} (.sync)`,
      action: 'createTransformJob',
      integration: 'optimized',
      sync: true,
      role,
      request: {
        TransformJobName: at(`$.data.holdout.${who}TransformJobName`),
        ModelName: at(modelNamePath),
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: at('$.data.holdout.inputUri') } },
          ContentType: at('$.data.holdout.contentType'),
          SplitType: 'Line',
        },
        TransformOutput: {
          S3OutputPath: at(`$.data.holdout.${who}OutputUri`),
          AssembleWith: 'Line',
          Accept: 'text/csv',
        },
        TransformResources: { InstanceCount: 1, InstanceType: at('$.settings.transformInstanceType') },
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  private acknowledgeStateMachineWildcards(role: ModelAccessRole, invoked: readonly HouseFunction[]): void {
    const stateMachineRole = this.stateMachine.role;
    acknowledgeWildcards(
      stateMachineRole,
      invoked.map((fn) => `Resource::<${fn.logicalId}.Arn>:*`),
      "CDK's LambdaInvoke grants each step function and its versions (<arn>:*); no other function is reachable.",
    );
    acknowledgeWildcards(
      stateMachineRole,
      ['Resource::*'],
      'X-Ray tracing and CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) support no ' +
        'resource-level permissions.',
    );
    acknowledgeWildcards(
      stateMachineRole,
      [
        `Resource::${role.resource.replace(/^arn:[^:]*:iam::[^:]*:/, 'arn:<AWS::Partition>:iam::<AWS::AccountId>:')}`,
      ],
      'The per-model access roles are data (created at `models put`, named after the model), so they are matched by ' +
        "the stack's model-role path; each SageMaker state assumes the role of the execution's model, whose inline " +
        "policy names only that model's endpoint, `<model>-*` resources and training role.",
    );
  }
}
