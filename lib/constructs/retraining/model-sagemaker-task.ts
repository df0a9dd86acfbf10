import { Aws, Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { RetrainingSettings } from '../../../functions/shared/retraining-contract.ts';

/** where the state holds the model's access role (load-model's RetrainingSettings) */
export const ACCESS_ROLE_PATH = `$.settings.${'accessRoleArn' satisfies keyof RetrainingSettings}`;

/**
 * The model's access role as a task's `Credentials`, read from the state at run time. What the state machine's
 * own role gets is `sts:AssumeRole` on the stack's model-role path only (`resource`): whatever ARN the state
 * holds, Step Functions can assume nothing outside `/model-care/<stack>/`, and what the assumed role may do is
 * that model's inline policy (functions/adapters/iam/model-role-policies.ts).
 */
export class ModelAccessRole extends sfn.TaskRole {
  readonly roleArn = sfn.JsonPath.stringAt(ACCESS_ROLE_PATH);
  constructor(readonly resource: string) {
    super();
  }
}

export interface ModelSageMakerTaskProps extends sfn.TaskStateBaseProps {
  /** the SageMaker API action, e.g. `createTrainingJob` */
  readonly action: string;
  /**
   * `optimized`: Step Functions' SageMaker integration (`arn:aws:states:::sagemaker:<action>`), `.sync` with
   * `sync`; `sdk`: the AWS SDK integration (`arn:aws:states:::aws-sdk:sagemaker:<action>`)
   */
  readonly integration: 'optimized' | 'sdk';
  readonly sync?: boolean;
  /** the request, JSONPaths as `Key.$`-able values (sfn.JsonPath.*); absent with `inputPath`: the request is the selected input */
  readonly request?: Record<string, unknown>;
  /** the model's access role (ModelAccessRole) */
  readonly role: ModelAccessRole;
}

/**
 * A SageMaker call made with the model's own access role (`Credentials`), its whole request from the state: one
 * definition serves every model, and the state machine's role holds no SageMaker permission at all, so a model's
 * execution can touch only what that model's role allows (its `<model>-*` jobs, models and configs, its
 * endpoint, PassRole on its own training role). No `taskPolicies`: CDK's SageMaker tasks would grant the state
 * machine's role `sagemaker:*Create*` on every name.
 */
export class ModelSageMakerTask extends sfn.TaskStateBase {
  protected readonly taskMetrics?: sfn.TaskMetricsConfig;
  protected readonly taskPolicies?: iam.PolicyStatement[];

  constructor(
    scope: ConstructLike,
    id: string,
    private readonly props: ModelSageMakerTaskProps,
  ) {
    super(scope, id, { ...props, credentials: { role: props.role } });
    if (!props.request && !props.inputPath)
      throw new Error(`${id}: a ModelSageMakerTask needs a request or the inputPath of one`);
  }

  protected _renderTask(): unknown {
    const { action, integration, sync, request } = this.props;
    const resource =
      integration === 'sdk'
        ? `arn:${Aws.PARTITION}:states:::aws-sdk:sagemaker:${action}`
        : `arn:${Aws.PARTITION}:states:::sagemaker:${action}${sync ? '.sync' : ''}`;
    return {
      Resource: resource,
      ...(request ? { Parameters: sfn.FieldUtils.renderObject(request) } : {}),
    };
  }
}

type ConstructLike = ConstructorParameters<typeof sfn.TaskStateBase>[0];

/** DescribeEndpoint with the model's role, its endpoint read from the state, retried on transient failures */
export const describeModelEndpoint = (
  scope: ConstructLike,
  id: string,
  props: {
    readonly role: ModelAccessRole;
    readonly endpointNamePath: string;
    readonly comment?: string;
    readonly resultSelector: Record<string, unknown>;
    readonly resultPath: string;
  },
): ModelSageMakerTask => {
  const task = new ModelSageMakerTask(scope, id, {
    comment: props.comment,
    action: 'describeEndpoint',
    integration: 'sdk',
    role: props.role,
    request: { EndpointName: sfn.JsonPath.stringAt(props.endpointNamePath) },
    resultSelector: props.resultSelector,
    resultPath: props.resultPath,
  });
  task.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(5) });
  return task;
};
