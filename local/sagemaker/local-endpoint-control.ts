import {
  assertVariantsExist,
  type EndpointControl,
  type EndpointDescription,
} from '../../functions/adapters/endpoint-control.ts';
import {
  EndpointBusyError,
  EndpointNotFoundError,
  InferenceError,
  InvalidRecordError,
} from '../../functions/adapters/errors.ts';
import type { InferenceClient } from '../../functions/adapters/inference.ts';
import type { LocalSageMaker } from './local-sagemaker.ts';
import { SageMakerValidationError } from './sagemaker-api.ts';

const NOT_FOUND = /could not find/i;
const ALREADY_EXISTS = /already exist/i;
const BUSY = /in-progress/i;

const isValidation = (error: unknown, pattern: RegExp): boolean =>
  error instanceof SageMakerValidationError && pattern.test(error.message);

/** the two things a caller may ask, translated into the port's errors as the SageMaker adapter does */
const call = <T>(resource: string, fn: () => T): T => {
  try {
    return fn();
  } catch (error) {
    if (isValidation(error, NOT_FOUND)) throw new EndpointNotFoundError(resource, { cause: error });
    throw error;
  }
};

const ignoreExisting = (fn: () => unknown): void => {
  try {
    fn();
  } catch (error) {
    if (!isValidation(error, ALREADY_EXISTS)) throw error;
  }
};

/**
 * The EndpointControl port (functions/adapters/endpoint-control.ts) over the local SageMaker, so the rollback
 * step and the local runtime switch local endpoints through the same port as the cloud.
 */
export const makeLocalEndpointControl = (sageMaker: LocalSageMaker): EndpointControl => {
  const describeEndpoint = async (endpoint: string): Promise<EndpointDescription> => {
    const out = call(`endpoint ${endpoint}`, () => sageMaker.describeEndpoint(endpoint));
    return {
      name: out.EndpointName,
      arn: out.EndpointArn,
      status: out.EndpointStatus,
      configName: out.EndpointConfigName,
      failureReason: out.FailureReason,
      dataCaptureEnabled: out.DataCaptureConfig?.EnableCapture ?? false,
      variants: out.ProductionVariants.map((v) => ({
        variantName: v.VariantName,
        currentWeight: v.CurrentWeight,
        currentInstanceCount: v.CurrentInstanceCount,
      })),
    };
  };

  return {
    describeEndpoint,

    async getCurrentEndpointConfig(endpoint) {
      const { configName } = await describeEndpoint(endpoint);
      if (!configName) throw new EndpointNotFoundError(`endpoint config of ${endpoint}`);
      const config = call(`endpoint config ${configName}`, () =>
        sageMaker.describeEndpointConfig(configName),
      );
      const capture = config.DataCaptureConfig;
      return {
        name: configName,
        variants: config.ProductionVariants.map((v) => ({
          variantName: v.VariantName,
          modelName: v.ModelName,
          instanceType: v.InstanceType,
          initialInstanceCount: v.InitialInstanceCount,
          initialVariantWeight: v.InitialVariantWeight,
          serverless: false,
        })),
        ...(capture
          ? {
              dataCapture: {
                destination: capture.DestinationS3Uri,
                samplingPercentage: capture.InitialSamplingPercentage,
                enabled: capture.EnableCapture ?? true,
              },
            }
          : {}),
      };
    },

    async createModelFrom(sourceModel, newModel, modelDataUrl) {
      const source = call(`model ${sourceModel}`, () => sageMaker.describeModel(sourceModel));
      ignoreExisting(() =>
        sageMaker.createModel({
          ModelName: newModel,
          PrimaryContainer: { ...source.PrimaryContainer, ModelDataUrl: modelDataUrl },
          ExecutionRoleArn: source.ExecutionRoleArn,
        }),
      );
    },

    async cloneEndpointConfig(sourceConfig, newConfig, modelByVariant) {
      const source = call(`endpoint config ${sourceConfig}`, () =>
        sageMaker.describeEndpointConfig(sourceConfig),
      );
      const unknown = Object.keys(modelByVariant).filter(
        (name) => !source.ProductionVariants.some((v) => v.VariantName === name),
      );
      if (unknown.length > 0) {
        throw new InvalidRecordError(
          `endpoint config ${sourceConfig}`,
          `has no variant ${unknown.join(', ')}`,
        );
      }
      ignoreExisting(() =>
        sageMaker.createEndpointConfig({
          EndpointConfigName: newConfig,
          ProductionVariants: source.ProductionVariants.map((v) => ({
            ...v,
            ModelName: modelByVariant[v.VariantName] ?? v.ModelName,
          })),
          DataCaptureConfig: source.DataCaptureConfig,
          KmsKeyId: source.KmsKeyId,
        }),
      );
    },

    async updateEndpoint(endpoint, configName) {
      try {
        sageMaker.updateEndpoint({ EndpointName: endpoint, EndpointConfigName: configName });
      } catch (error) {
        if (isValidation(error, BUSY)) throw new EndpointBusyError(endpoint, { cause: error });
        if (isValidation(error, NOT_FOUND))
          throw new EndpointNotFoundError(`endpoint ${endpoint}`, { cause: error });
        throw error;
      }
    },

    async updateVariantWeights(endpoint, weights) {
      const described = await describeEndpoint(endpoint);
      assertVariantsExist(endpoint, described, Object.keys(weights));
      try {
        sageMaker.updateEndpointWeightsAndCapacities({
          EndpointName: endpoint,
          DesiredWeightsAndCapacities: Object.entries(weights).map(([VariantName, DesiredWeight]) => ({
            VariantName,
            DesiredWeight,
          })),
        });
      } catch (error) {
        if (isValidation(error, BUSY)) throw new EndpointBusyError(endpoint, { cause: error });
        throw error;
      }
    },
  };
};

/** The InferenceClient port over the local SageMaker: the capture API's proxy mode, locally. */
export const makeLocalInference = (sageMaker: LocalSageMaker): InferenceClient => ({
  async invokeEndpoint(request) {
    const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
    try {
      const out = await sageMaker.invokeEndpoint({
        endpoint: request.endpoint,
        body,
        contentType: request.contentType,
        variant: request.variant,
      });
      return {
        body: new TextEncoder().encode(out.body),
        contentType: request.accept ?? 'text/csv',
        invokedVariant: out.invokedVariant,
      };
    } catch (error) {
      if (isValidation(error, NOT_FOUND)) {
        throw new InferenceError(request.endpoint, 'invalid-request', 400, false, (error as Error).message);
      }
      if (error instanceof SageMakerValidationError) {
        throw new InferenceError(request.endpoint, 'not-ready', 503, true, error.message);
      }
      throw new InferenceError(request.endpoint, 'model-error', 424, false, (error as Error).message);
    }
  },
});
