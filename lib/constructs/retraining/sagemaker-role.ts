import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../../functions/shared/config/retraining-schema.ts';
import { STORE_PREFIXES } from '../../../functions/shared/store-layout.ts';
import type { CaptureStore } from '../capture-store.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS, nagArn } from '../private/nag.ts';
import { repositoryArn } from '../private/sagemaker-resources.ts';

export interface SageMakerRoleProps {
  /** a model with a `retraining` section */
  readonly model: ModelConfig & { retraining: RetrainingConfig };
  readonly store: CaptureStore;
}

/**
 * SageMaker's execution role for one model's training, transform and hosting: reads the prepared channels and
 * artifacts under training/, writes artifacts and transform output there and capture/ when hosting, pulls the
 * model's images, writes its logs. Every wildcard is acknowledged for cdk-nag with its reason.
 */
export class SageMakerRole extends iam.Role {
  constructor(scope: Construct, id: string, props: SageMakerRoleProps) {
    const { model, store } = props;
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `model-care: SageMaker training, transform and hosting of ${model.name}`,
    });
    store.grantRead(this, 'training');
    store.grantWrite(this, 'training', 'capture');
    const stack = Stack.of(this);
    const images = [
      model.retraining.trainingImage,
      model.retraining.inferenceImage ?? model.retraining.trainingImage,
    ];
    const repositories = [...new Set(images.map(repositoryArn))];
    this.addToPrincipalPolicy(
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
    this.addToPrincipalPolicy(
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
    this.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:GetAuthorizationToken', 'cloudwatch:PutMetricData'],
        resources: ['*'],
      }),
    );
    acknowledgeWildcards(
      this,
      ['Resource::*'],
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData (training and endpoint metrics) support no ' +
        'resource-level permissions.',
    );
    acknowledgeWildcards(
      this,
      [
        `Resource::${nagArn(this, store.bucket.arnForObjects(`${STORE_PREFIXES.training}${model.name}/artifacts/*`))}`,
        ...GRANT_ACTION_WILDCARDS.s3Put,
        ...GRANT_ACTION_WILDCARDS.s3Delete,
        ...GRANT_ACTION_WILDCARDS.kmsEncrypt,
      ],
      "CDK's training task lets SageMaker write the job's artifacts below the model's training/ prefix.",
    );
    acknowledgeWildcards(
      this,
      [`Resource::${nagArn(this, sageMakerLogs)}`],
      'SageMaker names its log groups /aws/sagemaker/<TrainingJobs|TransformJobs|Endpoints/name> per job; the role ' +
        'is limited to those.',
    );
  }
}
