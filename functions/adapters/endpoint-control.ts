import { VariantNotFoundError } from './errors.ts';

/**
 * SageMaker control-plane steps of retraining: find what an endpoint serves, build the challenger's model and
 * endpoint config from the champion's, and switch the endpoint. Implementation: sagemaker/sagemaker-endpoint-control.ts.
 */

export interface EndpointDescription {
  readonly name: string;
  readonly arn: string;
  /** InService, Updating, Creating, RollingBack, Failed, ... */
  readonly status: string;
  readonly configName?: string;
  readonly failureReason?: string;
  readonly dataCaptureEnabled: boolean;
  readonly variants: readonly {
    readonly variantName: string;
    readonly currentWeight?: number;
    readonly currentInstanceCount?: number;
  }[];
}

export interface EndpointConfigSummary {
  readonly name: string;
  readonly variants: readonly {
    readonly variantName: string;
    readonly modelName?: string;
    readonly instanceType?: string;
    readonly initialInstanceCount?: number;
    readonly initialVariantWeight?: number;
    readonly serverless: boolean;
  }[];
  readonly dataCapture?: {
    readonly destination: string;
    readonly samplingPercentage: number;
    readonly enabled: boolean;
  };
}

export interface EndpointControl {
  /** Rejects with EndpointNotFoundError for an unknown endpoint. */
  describeEndpoint(endpoint: string): Promise<EndpointDescription>;
  getCurrentEndpointConfig(endpoint: string): Promise<EndpointConfigSummary>;
  /**
   * Creates `newModel` as a copy of `sourceModel` (same image, role, network settings, environment) serving
   * `modelDataUrl`. Succeeds if `newModel` already exists, so a retried step is harmless: use names that
   * identify the version.
   */
  createModelFrom(sourceModel: string, newModel: string, modelDataUrl: string): Promise<void>;
  /**
   * Creates `newConfig` as a copy of `sourceConfig` (data capture included, so monitoring continues) with
   * the variants named in `modelByVariant` serving another model. Succeeds if `newConfig` already exists.
   */
  cloneEndpointConfig(
    sourceConfig: string,
    newConfig: string,
    modelByVariant: Readonly<Record<string, string>>,
  ): Promise<void>;
  /**
   * Starts switching the endpoint to `configName`; SageMaker keeps the old config serving until the new one is
   * healthy. Keeps current instance counts and weights (autoscaling) unless told otherwise.
   * Rejects with EndpointBusyError while another update runs.
   */
  updateEndpoint(
    endpoint: string,
    configName: string,
    options?: { retainVariantProperties?: boolean },
  ): Promise<void>;
  /**
   * Sets production variants' traffic weights in place (UpdateEndpointWeightsAndCapacities): no new config, the
   * instances stay. Checks the names against the live endpoint first, so a name it does not have changes nothing
   * (VariantNotFoundError, naming it); rejects with EndpointBusyError while an update runs.
   */
  updateVariantWeights(endpoint: string, weights: Readonly<Record<string, number>>): Promise<void>;
}

/**
 * Refuses variant names the endpoint does not have (VariantNotFoundError naming them and the ones it has), so
 * every implementation checks the names before anything is changed.
 */
export const assertVariantsExist = (
  endpoint: string,
  described: EndpointDescription,
  names: readonly string[],
): void => {
  const unknown = names.filter((name) => !described.variants.some((v) => v.variantName === name));
  if (unknown.length > 0) {
    throw new VariantNotFoundError(
      endpoint,
      unknown,
      described.variants.map((v) => v.variantName),
    );
  }
};
