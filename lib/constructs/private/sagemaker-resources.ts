import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** CDK's SageMaker tasks take EC2 instance types; the config names them as SageMaker does (`ml.m5.xlarge`) */
export const instanceType = (mlType: string): ec2.InstanceType =>
  new ec2.InstanceType(mlType.replace(/^ml\./, ''));

/** a SageMaker endpoint's ARN (SageMaker lowercases endpoint names in ARNs) */
export const endpointArn = (scope: Construct, name: string): string =>
  Stack.of(scope).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: name.toLowerCase() });

/** the ECR repository ARN of an image URI `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]` */
export const repositoryArn = (image: string): string => {
  const [host = '', ...path] = image.split('/');
  const [account, , , region] = host.split('.');
  const repository = path.join('/').replace(/[:@].*$/, '');
  const partition = host.endsWith('.cn') ? 'aws-cn' : 'aws';
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
};

/** `.name` or `['na-me']`: a JSONPath member for any channel name */
export const jsonPathMember = (name: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name}']`;

/**
 * An S3 location read from the state. CDK's `S3Location.fromJsonExpression` grants s3:GetObject on every bucket
 * (`*`) because it cannot know the bucket; these URIs always point below training/ of the capture store, which
 * the SageMaker role may already read, so this one grants nothing.
 */
export class StateS3Location extends tasks.S3Location {
  constructor(private readonly path: string) {
    super();
  }

  override bind(): tasks.S3LocationConfig {
    return { uri: sfn.JsonPath.stringAt(this.path) };
  }
}

/** the ARN pattern of one SageMaker resource type limited to names starting with `prefix` */
export const sageMakerArn = (scope: Construct, resource: string, resourceName: string): string =>
  Stack.of(scope).formatArn({ service: 'sagemaker', resource, resourceName });

/**
 * SageMaker DescribeEndpoint as a state, its endpoint read from the state (`endpointNamePath`) so one definition
 * can serve any model, allowed on `endpointName` only and retried on transient failures.
 */
export const describeEndpointTask = (
  scope: Construct,
  id: string,
  props: {
    /** the endpoint IAM allows: this model's */
    readonly endpointName: string;
    readonly endpointNamePath: string;
    readonly comment?: string;
    readonly resultSelector: Record<string, unknown>;
    readonly resultPath: string;
  },
): tasks.CallAwsService => {
  const task = new tasks.CallAwsService(scope, id, {
    comment: props.comment,
    service: 'sagemaker',
    action: 'describeEndpoint',
    iamAction: 'sagemaker:DescribeEndpoint',
    iamResources: [endpointArn(scope, props.endpointName)],
    parameters: { EndpointName: sfn.JsonPath.stringAt(props.endpointNamePath) },
    resultSelector: props.resultSelector,
    resultPath: props.resultPath,
  });
  task.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(5) });
  return task;
};

export interface SageMakerRequestTaskProps extends sfn.TaskStateBaseProps {
  /** the SDK action, e.g. `createEndpointConfig` */
  readonly action: string;
  /** the IAM actions the call needs */
  readonly iamActions: readonly string[];
  readonly iamResources: readonly string[];
}

/**
 * A SageMaker API call (`arn:aws:states:::aws-sdk:sagemaker:<action>`) whose whole request is a value in the
 * state, selected with `inputPath`: a step that builds a request of any shape (every field of a copied endpoint
 * config, present or not) hands it to the API as it is. CDK's CallAwsService always renders `Parameters`, which
 * would replace the selected input with an empty request.
 */
export class SageMakerRequestTask extends sfn.TaskStateBase {
  protected readonly taskMetrics?: sfn.TaskMetricsConfig;
  protected readonly taskPolicies?: iam.PolicyStatement[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: SageMakerRequestTaskProps,
  ) {
    super(scope, id, props);
    if (!props.inputPath) throw new Error(`${id}: a SageMakerRequestTask needs the inputPath of its request`);
    this.taskPolicies = [
      new iam.PolicyStatement({ actions: [...props.iamActions], resources: [...props.iamResources] }),
    ];
  }

  protected _renderTask(): unknown {
    return { Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:sagemaker:${this.props.action}` };
  }
}

const SAGEMAKER_NAMED_RESOURCES = ['training-job', 'model', 'transform-job', 'endpoint-config'];

/**
 * CDK's SageMaker tasks grant `<type>/*` when a name comes from the state, since CDK cannot know it. Every name
 * retraining gives starts with `<model>-` (training-layout.ts), so the grants narrow to `<type>/<model>-*`:
 * this model's state machine can create, describe and stop only its own jobs, models and configs. Runs before
 * the task joins a state machine, which is when CDK reads `taskPolicies`.
 */
export const narrowToModel = (task: sfn.TaskStateBase, model: string): void => {
  const policies = (task as unknown as { taskPolicies?: iam.PolicyStatement[] }).taskPolicies ?? [];
  const narrowed = policies.map((statement) => {
    const json = statement.toStatementJson() as { Resource?: string | string[] };
    const resources = [json.Resource ?? []].flat();
    const rewritten = resources.map((arn) => {
      const type = SAGEMAKER_NAMED_RESOURCES.find(
        (t) => arn.includes(':sagemaker:') && arn.endsWith(`:${t}/*`),
      );
      return type ? `${arn.slice(0, -1)}${model}-*` : arn;
    });
    if (rewritten.every((arn, i) => arn === resources[i])) return statement;
    return iam.PolicyStatement.fromJson({ ...json, Resource: rewritten });
  });
  (task as unknown as { taskPolicies?: iam.PolicyStatement[] }).taskPolicies = narrowed;
};
