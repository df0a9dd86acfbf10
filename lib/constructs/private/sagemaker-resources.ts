import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
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

/**
 * SageMaker DescribeEndpoint as a state, allowed on that one endpoint only and retried on transient failures:
 * what rollback returns to before a promotion, and whether the new config serves after it.
 */
export const describeEndpointTask = (
  scope: Construct,
  id: string,
  endpointName: string,
  props: {
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
    iamResources: [endpointArn(scope, endpointName)],
    parameters: { EndpointName: endpointName },
    resultSelector: props.resultSelector,
    resultPath: props.resultPath,
  });
  task.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(5) });
  return task;
};
