import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import { captureLocation } from '../../../functions/shared/config/model-settings.ts';
import type { RetrainingConfig } from '../../../functions/shared/config/retraining-schema.ts';
import { trainingArtifactsPrefix } from '../../../functions/shared/retraining-contract.ts';
import { STORE_PREFIXES } from '../../../functions/shared/store-layout.ts';
import type { CaptureStore } from '../capture-store.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS, nagArn } from '../private/nag.ts';
import { repositoryArn } from '../private/sagemaker-resources.ts';

export interface SageMakerRoleProps {
  /** a model with a `retraining` section */
  readonly model: ModelConfig & { retraining: RetrainingConfig };
  readonly store: CaptureStore;
}

/** the store keys one model's SageMaker role may reach: its own training folder, its endpoint's capture folder */
export const sageMakerRolePrefixes = (model: ModelConfig): { training: string; capture: string | null } => ({
  training: `${STORE_PREFIXES.training}${model.name}/`,
  capture: model.endpoint ? `${STORE_PREFIXES.capture}${captureLocation(model).endpointName}/` : null,
});

/**
 * SageMaker's execution role for one model's training, transform and hosting, limited to that model's keys:
 * reads the prepared channels and its artifacts and writes artifacts and transform output under
 * `training/<model>/` only; writes capture only under its endpoint's `capture/<endpoint>/` (a promoted challenger
 * serves behind the endpoint, and SageMaker's data capture writes with the model's execution role); pulls the
 * model's images, writes its logs. Another model's training data, artifacts and capture are out of its reach.
 * Every wildcard is acknowledged for cdk-nag with its reason.
 */
export class SageMakerRole extends iam.Role {
  constructor(scope: Construct, id: string, props: SageMakerRoleProps) {
    const { model, store } = props;
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `model-care: SageMaker training, transform and hosting of ${model.name}`,
    });
    const prefixes = sageMakerRolePrefixes(model);
    const own = (prefix: string) => `${prefix}*`;
    store.bucket.grantRead(this, own(prefixes.training));
    store.bucket.grantPut(this, own(prefixes.training));
    if (prefixes.capture) store.bucket.grantPut(this, own(prefixes.capture));
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
        ...[prefixes.training, prefixes.capture]
          .filter((prefix): prefix is string => prefix !== null)
          .map((prefix) => `Resource::${nagArn(this, store.bucket.arnForObjects(own(prefix)))}`),
        ...GRANT_ACTION_WILDCARDS.s3Read,
        ...GRANT_ACTION_WILDCARDS.s3Put,
        ...GRANT_ACTION_WILDCARDS.kmsEncrypt,
      ],
      `Scoped to this model's own keys (${prefixes.training}, and its endpoint's capture folder), created at run ` +
        "time; the action wildcards are CDK's S3/KMS grant groups.",
    );
    acknowledgeWildcards(
      this,
      [
        `Resource::${nagArn(this, store.bucket.arnForObjects(`${trainingArtifactsPrefix(model.name)}*`))}`,
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
