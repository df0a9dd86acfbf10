import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomResource, Duration, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { AdminApi } from './admin-api.ts';
import { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards, nagArn } from './private/nag.ts';

export const MODELS_SEED_HANDLER = 'functions/models-seed/handler.ts';

export interface ModelsSeedProps {
  /** the config file's models, validated and with defaults resolved */
  readonly models: readonly ModelConfig[];
  /** gives the seed function the admin service's table, settings and IAM */
  readonly adminApi: AdminApi;
  readonly logRetention: logs.RetentionDays;
}

/**
 * `cdk deploy` seeds the config file's models into the models table through the same service as the admin API
 * (functions/models-seed/handler.ts, behind the Provider framework). The models travel as an S3 asset
 * (`{"models": [...]}`), not as resource properties, so the template stays small at 1,000 models; the asset's key
 * is a hash of its content, so a changed file changes the properties and CloudFormation sends an Update.
 */
export class ModelsSeed extends Construct {
  readonly handler: HouseFunction;
  readonly asset: s3assets.Asset;
  /** the file the asset was made from (the local twin reads it instead of the bootstrap bucket) */
  readonly modelsFile: string;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ModelsSeedProps) {
    super(scope, id);
    // a file of its own per synth: the asset's hash is its content, so an unchanged config keeps its key
    this.modelsFile = join(mkdtempSync(join(tmpdir(), 'model-care-models-')), 'models.json');
    writeFileSync(this.modelsFile, `${JSON.stringify({ models: props.models })}\n`);
    this.asset = new s3assets.Asset(this, 'ModelsFile', { path: this.modelsFile });

    this.handler = new HouseFunction(this, 'Handler', {
      entry: MODELS_SEED_HANDLER,
      description: 'model-care: seeds the config file models into the models table at deploy',
      // every model is put with its roles and subscriptions, 4 at a time; 1,000 models take minutes
      timeout: Duration.minutes(14),
      logRetention: props.logRetention,
    });
    props.adminApi.bindAdministration(this.handler);
    this.asset.grantRead(this.handler.role);
    acknowledgeWildcards(
      this.handler.role,
      [
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        `Resource::${nagArn(this, this.asset.bucket.arnForObjects('*'))}`,
      ],
      "CDK's asset grant: read on the bootstrap assets bucket, whose objects are named by content hashes; the " +
        'seed reads the one object named in its resource properties.',
    );

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler.function as lambda.IFunction,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetention }),
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ModelCareModelsSeed',
      properties: { ConfigBucket: this.asset.s3BucketName, ConfigKey: this.asset.s3ObjectKey },
    });
    this.acknowledgeProvider(provider);
  }

  /** the Provider framework's own function, which CDK builds and which model-care does not configure further */
  private acknowledgeProvider(provider: cr.Provider): void {
    const framework = provider.node.findChild('framework-onEvent');
    const reason =
      "The Provider framework's own function (aws-cdk-lib/custom-resources): CDK gives it Lambda's " +
      "basic execution policy; it only relays CloudFormation's event to the seed function, which it may " +
      'invoke (all versions, hence the :* suffix).';
    Validations.of(framework).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason,
    });
    acknowledgeWildcards(
      framework,
      [`Resource::${nagArn(this, this.handler.function.functionArn)}:*`],
      reason,
    );
  }
}
