import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

export interface CreateEndpointConfigTaskProps extends sfn.TaskStateBaseProps {
  /** JSONPath of the config name, e.g. `$.data.jobName` */
  readonly endpointConfigNamePath: string;
  /** every name the path can hold starts with this, so IAM can be scoped to `endpoint-config/<prefix>*` */
  readonly endpointConfigNamePrefix: string;
  /** JSONPath of the SageMaker model to serve */
  readonly modelNamePath: string;
  readonly variantName: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  /** the capture store URI the endpoint writes to: `s3://<bucket>/capture` */
  readonly captureDestinationUri: string;
  readonly captureSamplingPercentage: number;
  readonly captureKey: kms.IKey;
}

/**
 * SageMaker CreateEndpointConfig through Step Functions' optimized integration
 * (`arn:aws:states:::sagemaker:createEndpointConfig`) with DataCaptureConfig. CDK's
 * SageMakerCreateEndpointConfig task has no DataCaptureConfig property, and a promoted model must keep
 * capturing into the capture store or monitoring would go blind after every promotion.
 */
export class CreateEndpointConfigTask extends sfn.TaskStateBase {
  protected readonly taskMetrics?: sfn.TaskMetricsConfig;
  protected readonly taskPolicies?: iam.PolicyStatement[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: CreateEndpointConfigTaskProps,
  ) {
    super(scope, id, props);
    this.taskPolicies = [
      new iam.PolicyStatement({
        actions: ['sagemaker:CreateEndpointConfig'],
        resources: [
          Stack.of(this).formatArn({
            service: 'sagemaker',
            resource: 'endpoint-config',
            resourceName: `${props.endpointConfigNamePrefix.toLowerCase()}*`,
          }),
        ],
      }),
    ];
  }

  protected _renderTask(): unknown {
    const p = this.props;
    return {
      Resource: `arn:${Aws.PARTITION}:states:::sagemaker:createEndpointConfig`,
      Parameters: sfn.FieldUtils.renderObject({
        EndpointConfigName: sfn.JsonPath.stringAt(p.endpointConfigNamePath),
        ProductionVariants: [
          {
            VariantName: p.variantName,
            ModelName: sfn.JsonPath.stringAt(p.modelNamePath),
            InitialInstanceCount: p.instanceCount,
            InstanceType: p.instanceType,
            InitialVariantWeight: 1,
          },
        ],
        DataCaptureConfig: {
          EnableCapture: true,
          InitialSamplingPercentage: p.captureSamplingPercentage,
          DestinationS3Uri: p.captureDestinationUri,
          KmsKeyId: p.captureKey.keyArn,
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
        },
      }),
    };
  }
}
