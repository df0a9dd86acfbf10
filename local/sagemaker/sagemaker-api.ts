/**
 * The part of SageMaker's API the local SageMaker serves: requests and descriptions with the API's own field
 * names (so Step Functions' SageMaker tasks bind to it directly), statuses, its error, and the events the local
 * runtime's timeline reads.
 */

/** SageMaker answers bad requests with ValidationException; messages follow its wording (the adapters match it) */
export class SageMakerValidationError extends Error {
  override readonly name = 'ValidationException';
}

export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopped';
export type EndpointStatus =
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'OutOfService'
  | 'Failed';

interface S3DataSourceRequest {
  readonly S3Uri: string;
  readonly S3DataType?: string;
}

export interface CreateTrainingJobRequest {
  readonly TrainingJobName: string;
  readonly AlgorithmSpecification: { readonly TrainingImage?: string; readonly TrainingInputMode?: string };
  readonly HyperParameters?: Readonly<Record<string, string>>;
  readonly InputDataConfig?: readonly {
    readonly ChannelName: string;
    readonly ContentType?: string;
    readonly DataSource: { readonly S3DataSource?: S3DataSourceRequest };
  }[];
  readonly OutputDataConfig: { readonly S3OutputPath: string; readonly KmsKeyId?: string };
  readonly RoleArn?: string;
  readonly ResourceConfig?: unknown;
  readonly StoppingCondition?: unknown;
  readonly Tags?: unknown;
}

export interface TrainingJobDescription extends CreateTrainingJobRequest {
  readonly TrainingJobArn: string;
  readonly TrainingJobStatus: JobStatus;
  readonly SecondaryStatus: string;
  readonly FailureReason?: string;
  readonly ModelArtifacts: { readonly S3ModelArtifacts: string };
  readonly CreationTime: string;
  readonly TrainingStartTime?: string;
  readonly TrainingEndTime?: string;
}

export interface CreateModelRequest {
  readonly ModelName: string;
  readonly PrimaryContainer: {
    readonly Image?: string;
    readonly ModelDataUrl?: string;
    readonly Mode?: string;
  };
  readonly ExecutionRoleArn?: string;
  readonly Tags?: unknown;
}

export interface ModelDescription extends CreateModelRequest {
  readonly ModelArn: string;
  readonly CreationTime: string;
}

export interface CreateTransformJobRequest {
  readonly TransformJobName: string;
  readonly ModelName: string;
  readonly TransformInput: {
    readonly DataSource: { readonly S3DataSource: S3DataSourceRequest };
    readonly ContentType?: string;
    readonly SplitType?: string;
  };
  readonly TransformOutput: {
    readonly S3OutputPath: string;
    readonly AssembleWith?: string;
    readonly Accept?: string;
  };
  readonly TransformResources?: unknown;
  readonly Tags?: unknown;
}

export interface TransformJobDescription extends CreateTransformJobRequest {
  readonly TransformJobArn: string;
  readonly TransformJobStatus: JobStatus;
  readonly FailureReason?: string;
  readonly CreationTime: string;
  readonly TransformStartTime?: string;
  readonly TransformEndTime?: string;
}

export interface ProductionVariantRequest {
  readonly VariantName: string;
  readonly ModelName: string;
  readonly InitialInstanceCount?: number;
  readonly InstanceType?: string;
  readonly InitialVariantWeight?: number;
  readonly ServerlessConfig?: { readonly MemorySizeInMB: number; readonly MaxConcurrency: number };
  /** any other field of the API's ProductionVariant, kept as given */
  readonly [field: string]: unknown;
}

export interface ResourceTag {
  readonly Key: string;
  readonly Value: string;
}

export interface DataCaptureConfigRequest {
  readonly EnableCapture?: boolean;
  readonly InitialSamplingPercentage: number;
  readonly DestinationS3Uri: string;
  readonly KmsKeyId?: string;
  readonly CaptureOptions?: readonly { readonly CaptureMode: string }[];
  readonly CaptureContentTypeHeader?: unknown;
}

export interface CreateEndpointConfigRequest {
  readonly EndpointConfigName: string;
  readonly ProductionVariants: readonly ProductionVariantRequest[];
  readonly ShadowProductionVariants?: readonly ProductionVariantRequest[];
  readonly DataCaptureConfig?: DataCaptureConfigRequest;
  readonly KmsKeyId?: string;
  readonly Tags?: readonly ResourceTag[];
  /** any other field of the API (AsyncInferenceConfig, ExplainerConfig, VpcConfig, ...), kept as given */
  readonly [field: string]: unknown;
}

/** UpdateEndpoint's DeploymentConfig, the parts the local SageMaker acts on */
export interface DeploymentConfigRequest {
  readonly BlueGreenUpdatePolicy?: {
    readonly TrafficRoutingConfiguration?: {
      readonly Type: 'ALL_AT_ONCE' | 'CANARY' | 'LINEAR';
      readonly WaitIntervalInSeconds?: number;
      readonly CanarySize?: { readonly Type: string; readonly Value: number };
      readonly LinearStepSize?: { readonly Type: string; readonly Value: number };
    };
    readonly MaximumExecutionTimeoutInSeconds?: number;
    readonly TerminationWaitInSeconds?: number;
  };
  readonly AutoRollbackConfiguration?: { readonly Alarms?: readonly { readonly AlarmName: string }[] };
}

export interface UpdateEndpointRequest {
  readonly EndpointName: string;
  readonly EndpointConfigName: string;
  /** keep the variants' current instance counts and weights (autoscaling) instead of the config's */
  readonly RetainAllVariantProperties?: boolean;
  readonly DeploymentConfig?: DeploymentConfigRequest;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface EndpointConfigDescription extends CreateEndpointConfigRequest {
  readonly EndpointConfigArn: string;
  readonly CreationTime: string;
}

export interface VariantSummary {
  readonly VariantName: string;
  readonly CurrentWeight: number;
  readonly CurrentInstanceCount: number;
  readonly DesiredInstanceCount: number;
  readonly CurrentServerlessConfig?: { readonly MemorySizeInMB: number; readonly MaxConcurrency: number };
}

export interface EndpointDescription {
  readonly EndpointName: string;
  readonly EndpointArn: string;
  readonly EndpointConfigName: string;
  readonly EndpointStatus: EndpointStatus;
  readonly FailureReason?: string;
  readonly CreationTime: string;
  readonly LastModifiedTime: string;
  readonly ProductionVariants: readonly VariantSummary[];
  readonly ShadowProductionVariants?: readonly VariantSummary[];
  readonly LastDeploymentConfig?: DeploymentConfigRequest;
  readonly DataCaptureConfig?: {
    readonly EnableCapture: boolean;
    readonly CaptureStatus: 'Started' | 'Stopped';
    readonly CurrentSamplingPercentage: number;
    readonly DestinationS3Uri: string;
  };
}

/** what happened, in order: the local runtime's timeline reads it */
export interface SageMakerEvent {
  readonly at: string;
  readonly kind:
    | 'training-started'
    | 'training-completed'
    | 'training-failed'
    | 'model-created'
    | 'transform-completed'
    | 'transform-failed'
    | 'endpoint-config-created'
    | 'endpoint-in-service'
    | 'endpoint-failed'
    | 'endpoint-update-started'
    | 'endpoint-update-reverted'
    | 'endpoint-rolled-back'
    | 'endpoint-system-update'
    | 'endpoint-weights-updated';
  readonly name: string;
  readonly detail?: string;
}

export interface InvokeRequest {
  readonly endpoint: string;
  readonly body: string;
  readonly contentType?: string;
  /** send to this variant instead of weighting */
  readonly variant?: string;
}

export interface InvokeResult {
  readonly body: string;
  readonly invokedVariant: string;
  /** the model that answered */
  readonly modelName: string;
}
