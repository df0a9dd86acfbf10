import { ArnFormat, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../functions/shared/config/retraining-schema.ts';
import { DETAIL_TYPES, EVENT_SOURCE, MESSAGE_ATTRIBUTES } from '../../functions/shared/events.ts';
import type {
  AcquireLockInput,
  AcquireLockResult,
  ApprovalRecord,
  ApprovalRequestMessage,
  BaselineJobInput,
  BaselineJobResult,
  CurrentEndpoint,
  DeploymentStatus,
  EvaluateInput,
  EvaluateResult,
  PrepareDataInput,
  PrepareDataResult,
  RecordOutcomeInput,
  RecordOutcomeResult,
  RegisterVersionInput,
  RegisterVersionResult,
  ReleaseLockInput,
  ReleaseLockResult,
  RetrainingFailedMessage,
  RetrainingState,
  RetrainingStep,
  RollbackInput,
  RollbackResult,
  TrainingResult,
} from '../../functions/shared/retraining-contract.ts';
import { retrainingTimeoutMinutes } from '../../functions/shared/retraining-contract.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import type { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS, nagArn } from './private/nag.ts';
import {
  type Bindings,
  literal,
  parametersOf,
  payloadFields,
  payloadOf,
  selectFields,
} from './private/state-payload.ts';
import { CreateEndpointConfigTask } from './retraining/create-endpoint-config-task.ts';

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

/** the common fields of every Lambda step's payload */
const MODEL_AND_EXECUTION = { model: '$.model', execution: '$.execution' } as const;

const jsonPathMember = (name: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name}']`;

/**
 * An S3 location read from the state. CDK's `S3Location.fromJsonExpression` grants s3:GetObject on every bucket
 * (`*`) because it cannot know the bucket; these URIs always point below training/ of the capture store, which
 * the SageMaker role may already read, so this one grants nothing.
 */
class StateS3Location extends tasks.S3Location {
  constructor(private readonly path: string) {
    super();
  }

  override bind(): tasks.S3LocationConfig {
    return { uri: sfn.JsonPath.stringAt(this.path) };
  }
}

const instanceType = (mlType: string): ec2.InstanceType => new ec2.InstanceType(mlType.replace(/^ml\./, ''));

/**
 * One model's retraining workflow (Standard state machine):
 *
 *   Initialize -> AcquireLock -> [lock held: Skipped]
 *   -> DescribeCurrentEndpoint -> PrepareData -> TrainChallenger (createTrainingJob.sync)
 *   -> CreateChallengerModel -> ScoreHoldout (batch transform: challenger || champion) -> Evaluate -> RegisterVersion
 *   -> promote | needs-approval (SNS + task token) | reject
 *   promote: CreateEndpointConfig (capture on) -> UpdateEndpoint -> wait/DescribeEndpoint until InService
 *            -> RecordPromotion -> NewBaseline -> ReleaseLock -> Done
 *   reject:  RecordRejection -> ReleaseLock -> Done
 *   any failure: Rollback -> ReleaseLockAfterFailure -> AlertFailure (critical) -> Failed
 *
 * Models without an endpoint skip the endpoint states: promotion only moves the registry's champion.
 * Static per-model settings (image, instances, channels, hyperparameters, endpoint) are baked in at synth, so IAM
 * is scoped to this model's endpoint; everything per execution flows through the state (retraining-contract.ts).
 */
export class RetrainingWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** SageMaker's execution role for this model's training, transform and hosting */
  readonly sageMakerRole: iam.Role;
  private readonly retraining: RetrainingConfig;

  constructor(scope: Construct, id: string, props: RetrainingWorkflowProps) {
    super(scope, id);
    const { model, store, alerting, steps } = props;
    const retraining = model.retraining;
    this.retraining = retraining;
    const stack = Stack.of(this);

    this.sageMakerRole = this.createSageMakerRole(model, store);

    // ---- failure path: every step's Catch comes here ----
    const failed = new sfn.Fail(this, 'Failed', {
      comment: 'retraining failed; the endpoint and the registry were rolled back',
      errorPath: '$.failure.Error',
      causePath: '$.failure.Cause',
    });
    const alertFailure = new tasks.SnsPublish(this, 'AlertFailure', {
      comment: 'critical alert: what failed and what rollback did',
      topic: alerting.topics.critical,
      message: sfn.TaskInput.fromObject(
        parametersOf<RetrainingFailedMessage>({
          kind: literal('retraining-failed'),
          model: '$.model.name',
          executionId: '$.execution.id',
          failure: '$.failure',
          rollback: '$.rollback',
        }),
      ),
      messageAttributes: this.messageAttributes('critical', 'retraining-failed'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    alertFailure.addCatch(failed, { resultPath: sfn.JsonPath.DISCARD });
    alertFailure.next(failed);

    const releaseAfterFailure = this.lambdaStep<ReleaseLockInput, ReleaseLockResult>(
      'ReleaseLockAfterFailure',
      steps['release-lock'],
      { ...MODEL_AND_EXECUTION, lock: '$.lock' },
      { released: true },
      '$.release',
    );
    releaseAfterFailure.addCatch(alertFailure, { resultPath: '$.release' });
    releaseAfterFailure.next(alertFailure);

    const rollback = this.lambdaStep<RollbackInput, RollbackResult>(
      'Rollback',
      steps.rollback,
      {
        ...MODEL_AND_EXECUTION,
        failure: '$.failure',
        current: '$.current',
        data: '$.data',
        version: '$.version',
        outcome: '$.outcome',
      },
      { rolledBack: true, endpointConfigName: true, detail: true },
      '$.rollback',
    );
    rollback.addCatch(releaseAfterFailure, { resultPath: '$.rollback' });
    rollback.next(releaseAfterFailure);

    const onFailure = <T extends sfn.TaskStateBase | sfn.Parallel>(state: T): T => {
      state.addCatch(rollback, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
      return state;
    };

    // ---- the happy path ----
    const initialize = new sfn.Pass(this, 'Initialize', {
      comment: 'the execution state: every slot a later step fills starts as null (RetrainingState)',
      parameters: parametersOf<RetrainingState>({
        model: '$.model',
        trigger: '$.trigger',
        execution: { id: '$$.Execution.Id', name: '$$.Execution.Name', startTime: '$$.Execution.StartTime' },
        lock: literal(null),
        current: literal(null),
        data: literal(null),
        training: literal(null),
        evaluation: literal(null),
        version: literal(null),
        approval: literal({ requested: false, approved: null, response: null } satisfies ApprovalRecord),
        deployment: literal(null),
        outcome: literal(null),
        baseline: literal(null),
        release: literal(null),
        failure: literal(null),
        rollback: literal(null),
      }),
    });

    const acquireLock = onFailure(
      this.lambdaStep<AcquireLockInput, AcquireLockResult>(
        'AcquireLock',
        steps['acquire-lock'],
        { ...MODEL_AND_EXECUTION, trigger: '$.trigger' },
        { acquired: true, reason: true, lockId: true, expiresAt: true },
        '$.lock',
      ),
    );
    const skipped = new sfn.Succeed(this, 'Skipped', {
      comment: 'another run holds the lock, or the cooldown or the daily limit applies',
    });

    const prepareData = onFailure(
      this.lambdaStep<PrepareDataInput, PrepareDataResult>(
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
        },
        '$.data',
      ),
    );

    const train = onFailure(
      new tasks.SageMakerCreateTrainingJob(this, 'TrainChallenger', {
        comment: 'SageMaker training, waiting for the job to end (.sync); one unique job name per execution',
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        trainingJobName: sfn.JsonPath.stringAt('$.data.jobName'),
        role: this.sageMakerRole,
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
          s3OutputLocation: tasks.S3Location.fromBucket(
            store.bucket,
            `${STORE_PREFIXES.training}${model.name}/artifacts/`,
          ),
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

    const createModel = onFailure(
      new tasks.SageMakerCreateModel(this, 'CreateChallengerModel', {
        comment: 'the challenger as a SageMaker model, named like its training job',
        modelName: sfn.JsonPath.stringAt('$.data.jobName'),
        role: this.sageMakerRole,
        primaryContainer: new tasks.ContainerDefinition({
          image: tasks.DockerImage.fromRegistry(retraining.inferenceImage ?? retraining.trainingImage),
          mode: tasks.Mode.SINGLE_MODEL,
          modelS3Location: new StateS3Location('$.training.modelArtifactsUri'),
        }),
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );

    const scoreHoldout = onFailure(
      new sfn.Parallel(this, 'ScoreHoldout', {
        comment: 'batch transform of the same holdout by challenger and champion',
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    scoreHoldout.branch(this.transform('ScoreChallenger', '$.data.jobName', 'challenger'));
    scoreHoldout.branch(
      new sfn.Choice(this, 'HasChampion', { comment: 'the first version has no champion to compare' })
        .when(sfn.Condition.isNull('$.data.championModelName'), new sfn.Pass(this, 'NoChampion'))
        .otherwise(this.transform('ScoreChampion', '$.data.championModelName', 'champion')),
    );

    const evaluate = onFailure(
      this.lambdaStep<EvaluateInput, EvaluateResult>(
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
      ),
    );

    const register = onFailure(
      this.lambdaStep<RegisterVersionInput, RegisterVersionResult>(
        'RegisterVersion',
        steps['register-version'],
        { ...MODEL_AND_EXECUTION, data: '$.data', training: '$.training', evaluation: '$.evaluation' },
        { version: true, registeredAt: true },
        '$.version',
      ),
    );

    const releaseLock = onFailure(
      this.lambdaStep<ReleaseLockInput, ReleaseLockResult>(
        'ReleaseLock',
        steps['release-lock'],
        { ...MODEL_AND_EXECUTION, lock: '$.lock' },
        { released: true },
        '$.release',
      ),
    );
    releaseLock.next(
      new sfn.Succeed(this, 'Done', { comment: '$.outcome.status says promoted or rejected' }),
    );

    const recordOutcome = (id: string, outcome: RecordOutcomeInput['outcome']) =>
      onFailure(
        this.lambdaStep<RecordOutcomeInput, RecordOutcomeResult>(
          id,
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
        ),
      );
    const recordRejection = recordOutcome('RecordRejection', 'rejected');
    recordRejection.next(releaseLock);

    const newBaseline = onFailure(
      this.lambdaStep<BaselineJobInput, BaselineJobResult>(
        'NewBaseline',
        props.baselineJob,
        {
          model: '$.model',
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
      ),
    );
    const recordPromotion = recordOutcome('RecordPromotion', 'promoted');
    recordPromotion.next(newBaseline).next(releaseLock);

    const promote = model.endpoint
      ? this.deployToEndpoint(model, store, recordPromotion, rollback)
      : recordPromotion;

    const requestApproval = new tasks.SnsPublish(this, 'RequestApproval', {
      comment: 'asks a person; waits for send-task-success with {"approved": true|false}',
      topic: alerting.topics.warning,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      message: sfn.TaskInput.fromObject(
        parametersOf<ApprovalRequestMessage>({
          kind: literal('approval-request'),
          model: '$.model.name',
          executionId: '$.execution.id',
          taskToken: '$$.Task.Token',
          jobName: '$.data.jobName',
          version: '$.version',
          evaluation: '$.evaluation',
          howToAnswer: literal(
            'aws stepfunctions send-task-success --task-token <taskToken> --task-output \'{"approved":true}\' ' +
              '(or {"approved":false}); add "approver" and "comment" for the registry',
          ),
        }),
      ),
      messageAttributes: this.messageAttributes('warning', 'approval-request'),
      taskTimeout: sfn.Timeout.duration(Duration.hours(retraining.approvalTimeoutHours)),
      resultSelector: selectFields<ApprovalRecord>({
        requested: literal(true),
        approved: '$.approved',
        response: '$',
      }),
      resultPath: '$.approval',
    });
    const approvalTimedOut = new sfn.Pass(this, 'ApprovalTimedOut', {
      comment: 'nobody answered in time: the challenger is rejected, nothing was changed',
      result: sfn.Result.fromObject({
        requested: true,
        approved: false,
        response: null,
      } satisfies ApprovalRecord),
      resultPath: '$.approval',
    });
    // the timeout catch comes before the catch-all: no answer is a rejection, not a failure
    requestApproval.addCatch(approvalTimedOut, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    onFailure(requestApproval);
    approvalTimedOut.next(recordRejection);
    requestApproval.next(
      new sfn.Choice(this, 'Approved?')
        .when(sfn.Condition.booleanEquals('$.approval.approved', true), promote)
        .otherwise(recordRejection),
    );

    const decide = new sfn.Choice(this, 'Decide', {
      comment: 'the evaluate step decides; approval: manual asks',
    })
      .when(sfn.Condition.stringEquals('$.evaluation.decision', 'promote'), promote)
      .when(sfn.Condition.stringEquals('$.evaluation.decision', 'needs-approval'), requestApproval)
      .otherwise(recordRejection);

    const describeCurrent = model.endpoint
      ? onFailure(
          new tasks.CallAwsService(this, 'DescribeCurrentEndpoint', {
            comment: 'remembers the endpoint config that rollback returns to',
            service: 'sagemaker',
            action: 'describeEndpoint',
            iamAction: 'sagemaker:DescribeEndpoint',
            iamResources: [this.endpointArn(model.endpoint.name)],
            parameters: { EndpointName: model.endpoint.name },
            resultSelector: selectFields<CurrentEndpoint>({
              endpointConfigName: '$.EndpointConfigName',
              endpointStatus: '$.EndpointStatus',
            }),
            resultPath: '$.current',
          }),
        )
      : undefined;
    describeCurrent?.addRetry({
      errors: ['States.TaskFailed'],
      maxAttempts: 3,
      interval: Duration.seconds(5),
    });

    const afterLock = describeCurrent ? describeCurrent.next(prepareData) : prepareData;
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
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      // a timed-out execution runs no Catch: its lock expires on its own (acquire-lock uses the same figure)
      timeout: Duration.minutes(retrainingTimeoutMinutes(retraining)),
    });
    alerting.grantPublish(this.stateMachine.role, 'critical');
    alerting.grantPublish(this.stateMachine.role, 'warning');
    this.acknowledgeStateMachineWildcards(model, steps, props.baselineJob, stack);
  }

  private lambdaStep<I, O>(
    id: string,
    fn: HouseFunction,
    input: Bindings<I>,
    output: { readonly [K in keyof O]-?: true },
    resultPath: string,
  ): tasks.LambdaInvoke {
    return new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn.function,
      payload: payloadOf<I>(input),
      resultSelector: payloadFields<O>(output),
      resultPath,
    });
  }

  private transform(
    id: string,
    modelNamePath: string,
    who: 'challenger' | 'champion',
  ): tasks.SageMakerCreateTransformJob {
    return new tasks.SageMakerCreateTransformJob(this, id, {
      comment: `scores the holdout with the ${who} (.sync)`,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      transformJobName: sfn.JsonPath.stringAt(`$.data.holdout.${who}TransformJobName`),
      modelName: sfn.JsonPath.stringAt(modelNamePath),
      role: this.sageMakerRole,
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
      transformResources: {
        instanceCount: 1,
        instanceType: instanceType(this.retraining.transformInstanceType),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
  }

  /** the endpoint states of a promotion, ending in `next` when the new config serves, in rollback otherwise */
  private deployToEndpoint(
    model: ModelConfig,
    store: CaptureStore,
    next: sfn.IChainable,
    rollback: sfn.IChainable,
  ): sfn.IChainable {
    const endpoint = model.endpoint!;
    const createConfig = new CreateEndpointConfigTask(this, 'CreateEndpointConfig', {
      comment: 'the challenger behind the endpoint, with data capture into the capture store',
      endpointConfigNamePath: '$.data.jobName',
      endpointConfigNamePrefix: `${model.name}-`,
      modelNamePath: '$.data.jobName',
      variantName: endpoint.variant,
      instanceType: this.retraining.hosting.instanceType,
      instanceCount: this.retraining.hosting.instanceCount,
      captureDestinationUri: store.bucket.s3UrlForObject(STORE_PREFIXES.capture.replace(/\/$/, '')),
      captureSamplingPercentage: model.capture.samplingPercentage,
      captureKey: store.encryptionKey,
      resultPath: sfn.JsonPath.DISCARD,
    });
    const update = new tasks.SageMakerUpdateEndpoint(this, 'UpdateEndpoint', {
      comment: 'SageMaker swaps the variant without downtime',
      endpointName: endpoint.name,
      endpointConfigName: sfn.JsonPath.stringAt('$.data.jobName'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    const wait = new sfn.Wait(this, 'WaitForEndpoint', { time: sfn.WaitTime.duration(Duration.minutes(1)) });
    const describe = new tasks.CallAwsService(this, 'DescribeEndpoint', {
      service: 'sagemaker',
      action: 'describeEndpoint',
      iamAction: 'sagemaker:DescribeEndpoint',
      iamResources: [this.endpointArn(endpoint.name)],
      parameters: { EndpointName: endpoint.name },
      resultSelector: selectFields<DeploymentStatus>({
        endpointStatus: '$.EndpointStatus',
        endpointConfigName: '$.EndpointConfigName',
      }),
      resultPath: '$.deployment',
    });
    describe.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(5) });
    for (const state of [createConfig, update, describe]) {
      state.addCatch(rollback, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    }
    const updateFailed = new sfn.Pass(this, 'EndpointUpdateFailed', {
      comment: 'SageMaker reverted or failed the update; rollback makes sure the old config serves',
      parameters: {
        Error: 'EndpointUpdateFailed',
        Cause: sfn.JsonPath.format(
          'endpoint {} is {} with config {}',
          endpoint.name,
          sfn.JsonPath.stringAt('$.deployment.endpointStatus'),
          sfn.JsonPath.stringAt('$.deployment.endpointConfigName'),
        ),
      },
      resultPath: '$.failure',
    });
    updateFailed.next(rollback);
    const inService = sfn.Condition.stringEquals('$.deployment.endpointStatus', 'InService');
    return createConfig
      .next(update)
      .next(wait)
      .next(describe)
      .next(
        new sfn.Choice(this, 'EndpointReady?')
          .when(
            sfn.Condition.and(
              inService,
              sfn.Condition.stringEqualsJsonPath('$.deployment.endpointConfigName', '$.data.jobName'),
            ),
            next,
          )
          // InService with another config: the update failed and SageMaker went back
          .when(
            sfn.Condition.or(inService, sfn.Condition.stringEquals('$.deployment.endpointStatus', 'Failed')),
            updateFailed,
          )
          .otherwise(wait),
      );
  }

  private messageAttributes(severity: string, kind: string): Record<string, tasks.MessageAttribute> {
    return {
      [MESSAGE_ATTRIBUTES.model]: { value: sfn.JsonPath.stringAt('$.model.name') },
      [MESSAGE_ATTRIBUTES.severity]: { value: severity },
      [MESSAGE_ATTRIBUTES.kind]: { value: kind },
    };
  }

  private endpointArn(name: string): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: name.toLowerCase(),
    });
  }

  /**
   * SageMaker's execution role for this model: reads the prepared channels and artifacts under training/, writes
   * artifacts and transform output there and capture/ when hosting, pulls the model's images, writes its logs.
   */
  private createSageMakerRole(
    model: ModelConfig & { retraining: RetrainingConfig },
    store: CaptureStore,
  ): iam.Role {
    const role = new iam.Role(this, 'SageMakerRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `model-care: SageMaker training, transform and hosting of ${model.name}`,
    });
    store.grantRead(role, 'training');
    store.grantWrite(role, 'training', 'capture');
    const stack = Stack.of(this);
    const images = [
      model.retraining.trainingImage,
      model.retraining.inferenceImage ?? model.retraining.trainingImage,
    ];
    const repositories = [...new Set(images.map(repositoryArn))];
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: repositories,
      }),
    );
    const sageMakerLogs = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: '/aws/sagemaker/*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogStreams',
        ],
        resources: [sageMakerLogs],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:GetAuthorizationToken', 'cloudwatch:PutMetricData'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcards(
      role,
      ['Resource::*'],
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData (training and endpoint metrics) support no ' +
        'resource-level permissions.',
    );
    acknowledgeWildcards(
      role,
      [
        `Resource::${nagArn(this, store.bucket.arnForObjects(`${STORE_PREFIXES.training}${model.name}/artifacts/*`))}`,
        ...GRANT_ACTION_WILDCARDS.s3Put,
        ...GRANT_ACTION_WILDCARDS.s3Delete,
        ...GRANT_ACTION_WILDCARDS.kmsEncrypt,
      ],
      "CDK's training task lets SageMaker write the job's artifacts below the model's training/ prefix.",
    );
    acknowledgeWildcards(
      role,
      [`Resource::${nagArn(this, sageMakerLogs)}`],
      'SageMaker names its log groups /aws/sagemaker/<TrainingJobs|TransformJobs|Endpoints/name> per job; the role ' +
        'is limited to those.',
    );
    return role;
  }

  private acknowledgeStateMachineWildcards(
    model: ModelConfig,
    steps: Record<RetrainingStep, HouseFunction>,
    baselineJob: HouseFunction,
    stack: Stack,
  ): void {
    const role = this.stateMachine.role;
    const sageMaker = (resource: string): string =>
      `Resource::${nagArn(this, stack.formatArn({ service: 'sagemaker', resource, resourceName: '*' }))}`;
    acknowledgeWildcards(
      role,
      [...Object.values(steps), baselineJob].map((fn) => `Resource::<${fn.logicalId}.Arn>:*`),
      "CDK's LambdaInvoke grants each step function and its versions (<arn>:*); no other function is reachable.",
    );
    acknowledgeWildcards(
      role,
      ['Resource::*'],
      'X-Ray tracing and CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) support no ' +
        "resource-level permissions; sagemaker:ListTags on * is added by CDK's SageMaker tasks.",
    );
    acknowledgeWildcards(
      role,
      [
        sageMaker('training-job'),
        sageMaker('model'),
        sageMaker('transform-job'),
        sageMaker('endpoint-config'),
      ],
      "CDK's SageMaker tasks scope a per-execution (JSONPath) name to <type>/*; the names come from prepare-data " +
        `and start with "${model.name}-". The endpoint itself is named in the policy.`,
    );
    acknowledgeWildcards(
      role,
      [
        `Resource::${nagArn(this, stack.formatArn({ service: 'sagemaker', resource: 'endpoint-config', resourceName: `${model.name}-*` }))}`,
      ],
      `CreateEndpointConfig is scoped to the configs this workflow names, "${model.name}-<time>-<hex>".`,
    );
  }
}

/** the ECR repository ARN of an image URI `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]` */
const repositoryArn = (image: string): string => {
  const [host = '', ...path] = image.split('/');
  const [account, , , region] = host.split('.');
  const repository = path.join('/').replace(/[:@].*$/, '');
  const partition = host.endsWith('.cn') ? 'aws-cn' : 'aws';
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
};
