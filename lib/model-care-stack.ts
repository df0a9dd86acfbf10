import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ModelCareConfig } from '../functions/shared/config/model-care-schema.ts';
import { AUDIT_TABLE } from '../functions/shared/tables.ts';
import { ModelCare } from './model-care.ts';

export interface ModelCareStackProps extends StackProps {
  /** the validated configuration (lib/config.ts `loadConfig`) */
  readonly config: ModelCareConfig;
}

/** The deployable app: one ModelCare and the outputs a user needs after `cdk deploy`. */
export class ModelCareStack extends Stack {
  readonly care: ModelCare;

  constructor(scope: Construct, id: string, props: ModelCareStackProps) {
    super(scope, id, {
      description: 'model-care: monitoring, alerting and retraining of deployed ML models',
      ...props,
    });
    const { config } = props;
    this.care = new ModelCare(this, 'Care', {
      models: config.models,
      alerts: config.alerts,
      onCall: config.onCall,
      retention: config.retention,
      removalPolicy: config.removalPolicy,
      fanOut: config.fanOut,
      captureApi: config.captureApi,
      fleet: config.fleet,
    });

    new CfnOutput(this, 'CaptureApiUrl', {
      value: this.care.captureApi.url.url,
      description: 'capture API (AWS_IAM auth: sign requests with SigV4, service lambda)',
    });
    new CfnOutput(this, 'AdminApiUrl', {
      value: this.care.adminApi.url.url,
      description: 'admin API of models as data (model-care models --url, or --stack reads this output)',
    });
    new CfnOutput(this, 'CaptureBucket', {
      value: this.care.store.bucket.bucketName,
      description: 'capture store: point DataCaptureConfig.DestinationS3Uri at s3://<bucket>/capture',
    });
    new CfnOutput(this, 'CaptureKeyArn', {
      value: this.care.encryptionKey.keyArn,
      description: 'KMS key of the capture store: DataCaptureConfig.KmsKeyId',
    });
    new CfnOutput(this, AUDIT_TABLE.outputKey, {
      value: this.care.tables.audit.tableName,
      description: 'audit trail of every action on a model (model-care audit --stack reads this output)',
    });
    for (const [severity, topic] of Object.entries(this.care.alerting.topics)) {
      new CfnOutput(this, `${severity[0]?.toUpperCase()}${severity.slice(1)}TopicArn`, {
        value: topic.topicArn,
        description: `SNS topic of ${severity} alerts`,
      });
    }
  }
}
