/**
 * `model-care`: the construct library's public entry. What is exported here is the supported API (README "Use
 * it in your own CDK app"); every other module of the package is internal, and the `exports` map of
 * package.json keeps it from being imported.
 *
 * @packageDocumentation
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ModelCareConfig } from '../functions/shared/config/model-care-schema.ts';
import { ModelCare as ModelCareConstruct, type ModelCareProps } from './model-care.ts';

export {
  type ModelCareConfig,
  type ModelCareConfigInput,
  modelCareConfigSchema,
} from '../functions/shared/config/model-care-schema.ts';
export {
  type ModelConfig,
  type ModelConfigInput,
  modelConfigSchema,
} from '../functions/shared/config/model-schema.ts';
export { ConfigError, loadConfig } from './config.ts';
export type { ModelCareProps } from './model-care.ts';

/** the severities alerts and topics are split by */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/** the capture store: every model's capture, ground truth, baselines and reports */
export interface ModelCareCaptureStore {
  /** KMS-encrypted with `ModelCare.encryptionKey`; point DataCaptureConfig at `s3://<bucket>/capture` */
  readonly bucket: s3.IBucket;
}

/** the SNS topics alerts go to, one per severity */
export interface ModelCareAlerting {
  readonly topics: Readonly<Record<AlertSeverity, sns.ITopic>>;
}

/** the capture API: a Lambda Function URL with AWS_IAM auth, for model servers other than SageMaker */
export interface ModelCareCaptureApi {
  readonly url: lambda.IFunctionUrl;
  /** lets a principal sign requests to the URL (lambda:InvokeFunctionUrl and lambda:InvokeFunction) */
  grantInvokeUrl(grantee: iam.IGrantable): void;
}

/**
 * model-care as one construct: capture store, capture API, results tables, monitoring jobs on per-model
 * schedules, alert routing to SNS by severity, CloudWatch alarms and dashboards, and a retraining workflow for
 * each model that has one. The fields below are the supported way into what it created.
 */
export interface ModelCare extends Construct {
  /** the validated configuration, defaults resolved */
  readonly config: ModelCareConfig;
  /** encrypts the capture store and the topics */
  readonly encryptionKey: kms.IKey;
  readonly store: ModelCareCaptureStore;
  readonly alerting: ModelCareAlerting;
  readonly captureApi: ModelCareCaptureApi;
  /**
   * lets a principal send the model's records to the capture API (lambda:InvokeFunctionUrl and
   * lambda:InvokeFunction); the model's `producers.records` must name it too
   */
  grantProducer(principal: iam.IGrantable, model: string): void;
  /** the model's retraining state machine, if it has retraining */
  stateMachine(model: string): sfn.IStateMachine | undefined;
}

/** `new ModelCare(this, 'Care', { models: [...] })`; props are validated with the config file's schema */
export const ModelCare: new (scope: Construct, id: string, props: ModelCareProps) => ModelCare =
  ModelCareConstruct;
