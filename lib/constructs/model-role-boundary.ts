import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { modelRolePath } from '../../functions/shared/model-roles.ts';
import { acknowledgeWildcards } from './private/nag.ts';

/**
 * The permissions boundary of every per-model role (fleet design, section 4). The admin service writes each
 * model's exact permissions as the role's inline policy; the boundary is the ceiling above all of them, so that
 * the admin function, which may create roles only with this boundary attached, can never hand out more than
 * this: read and write objects, decrypt with a key, the SageMaker actions of monitoring and retraining in this
 * account and region, PassRole only on the stack's own model roles to SageMaker, image pulls, SageMaker's logs
 * and metrics. No IAM write, no STS, no other service.
 */
export class ModelRoleBoundary extends Construct {
  readonly policy: iam.ManagedPolicy;
  /** `/model-care/<stackName>/`: where the admin service creates the model roles */
  readonly rolePath: string;
  /** `arn:<partition>:iam::<account>:role/model-care/<stackName>/*` */
  readonly roleArnPattern: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.rolePath = modelRolePath(stack.stackName);
    this.roleArnPattern = `arn:${stack.partition}:iam::${stack.account}:role${this.rolePath}*`;
    const sagemaker = (resource: string) =>
      stack.formatArn({ service: 'sagemaker', resource, resourceName: '*' });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `model-care ${stack.stackName}: permissions boundary of the per-model roles`,
      path: this.rolePath,
      statements: [
        new iam.PolicyStatement({
          sid: 'ModelData',
          // which buckets and prefixes is the inline policy's business: datasets live in the users' buckets
          actions: ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketLocation'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ModelKeys',
          // CreateGrant: promotion copies a live endpoint config whose keys SageMaker must be granted
          actions: ['kms:CreateGrant', 'kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ModelEndpointAndTraining',
          actions: [
            'sagemaker:AddTags',
            'sagemaker:CreateEndpointConfig',
            'sagemaker:CreateModel',
            'sagemaker:CreateTrainingJob',
            'sagemaker:CreateTransformJob',
            'sagemaker:DescribeEndpoint',
            'sagemaker:DescribeEndpointConfig',
            'sagemaker:DescribeModel',
            'sagemaker:DescribeTrainingJob',
            'sagemaker:DescribeTransformJob',
            'sagemaker:InvokeEndpoint',
            'sagemaker:StopTrainingJob',
            'sagemaker:StopTransformJob',
            'sagemaker:UpdateEndpoint',
          ],
          resources: [
            sagemaker('endpoint'),
            sagemaker('endpoint-config'),
            sagemaker('model'),
            sagemaker('training-job'),
            sagemaker('transform-job'),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'PassOwnTrainingRoles',
          actions: ['iam:PassRole'],
          resources: [this.roleArnPattern],
          conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'PullImages',
          actions: [
            'ecr:BatchCheckLayerAvailability',
            'ecr:BatchGetImage',
            'ecr:GetAuthorizationToken',
            'ecr:GetDownloadUrlForLayer',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'SageMakerLogs',
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:DescribeLogStreams',
            'logs:PutLogEvents',
          ],
          resources: [
            stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '/aws/sagemaker/*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'SageMakerMetrics',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
        }),
      ],
    });
    acknowledgeWildcards(
      this.policy,
      ['Resource::*', `Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role${this.rolePath}*`]
        .concat(
          ['endpoint', 'endpoint-config', 'model', 'training-job', 'transform-job'].map(
            (type) => `Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:${type}/*`,
          ),
        )
        .concat([
          'Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*',
        ]),
      'A permissions boundary is a ceiling, not a grant: it allows nothing by itself. Each model role gets its ' +
        "exact resources (the model's datasets, key, endpoint, <model>-* SageMaker resources, its own training role) " +
        'in an inline policy the admin service writes; the boundary bounds every such policy, so it names the ' +
        "actions and leaves the resources to them (datasets and keys live in the users' accounts and buckets). " +
        'ECR authorization tokens and CloudWatch metrics support no resource-level permissions.',
    );
  }
}
