/**
 * What retraining reads of a live SageMaker endpoint before it touches it: the endpoint's status and config, the
 * config exactly as DescribeEndpointConfig describes it (every field, so a copy loses nothing SageMaker knows,
 * including fields this code has never heard of) with its tags, and where a model's artefact is.
 * Implementations: sagemaker/sagemaker-live-endpoint.ts, and the local SageMaker's in local/sagemaker.
 */

export interface LiveEndpointStatus {
  readonly name: string;
  /** InService, Creating, Updating, SystemUpdating, RollingBack, OutOfService, Deleting, Failed, ... */
  readonly status: string;
  readonly configName: string;
  readonly failureReason: string | null;
}

/** a SageMaker resource tag */
export interface ResourceTag {
  readonly Key: string;
  readonly Value: string;
}

/**
 * DescribeEndpointConfig's answer as JSON (the API's field names; times as ISO strings), and ListTags' tags of
 * the config.
 */
export interface DescribedEndpointConfig {
  readonly description: Readonly<Record<string, unknown>>;
  readonly tags: readonly ResourceTag[];
}

export interface LiveModel {
  readonly name: string;
  /** the primary container's ModelDataUrl (or its S3 ModelDataSource); null for models with neither */
  readonly modelDataUrl: string | null;
  /** the role the model's containers run as (they write data capture with it); absent where unknown */
  readonly executionRoleArn?: string;
}

export interface LiveEndpointReader {
  /** Rejects with EndpointNotFoundError for an unknown endpoint. */
  describeEndpoint(name: string): Promise<LiveEndpointStatus>;
  /** Rejects with EndpointNotFoundError for an unknown config. */
  describeEndpointConfig(name: string): Promise<DescribedEndpointConfig>;
  /** Rejects with EndpointNotFoundError for an unknown model. */
  describeModel(name: string): Promise<LiveModel>;
}
