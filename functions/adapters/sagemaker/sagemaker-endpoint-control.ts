import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import { assertVariantsExist, type EndpointControl } from '../endpoint-control.ts';
import { EndpointBusyError, EndpointNotFoundError, InvalidRecordError } from '../errors.ts';

const defaultSageMaker = new SageMakerClient({});

/*
 * SageMaker reports these conditions only as ValidationException with a message; matching the message is
 * what AWS's own tools do. Anything unmatched is rethrown as it is.
 */
const NOT_FOUND = /could not find/i;
const ALREADY_EXISTS = /already exist/i;
const BUSY = /in-progress|cannot update .* (updating|creating)|is (updating|creating)/i;

const isValidation = (error: unknown, pattern: RegExp): error is Error =>
  error instanceof Error && error.name === 'ValidationException' && pattern.test(error.message);

export const makeSageMakerEndpointControl = (
  sagemaker: SageMakerClient = defaultSageMaker,
): EndpointControl => {
  const notFound = (resource: string) => (error: unknown) => {
    throw isValidation(error, NOT_FOUND) ? new EndpointNotFoundError(resource, { cause: error }) : error;
  };

  const describeEndpoint = async (endpoint: string) => {
    const out = await sagemaker
      .send(new DescribeEndpointCommand({ EndpointName: endpoint }))
      .catch(notFound(`endpoint ${endpoint}`));
    return {
      name: out.EndpointName ?? endpoint,
      arn: out.EndpointArn ?? '',
      status: out.EndpointStatus ?? 'Unknown',
      configName: out.EndpointConfigName,
      failureReason: out.FailureReason,
      dataCaptureEnabled: out.DataCaptureConfig?.EnableCapture ?? false,
      variants: (out.ProductionVariants ?? []).map((v) => ({
        variantName: v.VariantName ?? '',
        currentWeight: v.CurrentWeight,
        currentInstanceCount: v.CurrentInstanceCount,
      })),
    };
  };

  const describeConfig = (configName: string) =>
    sagemaker
      .send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }))
      .catch(notFound(`endpoint config ${configName}`));

  const ignoreExisting = (error: unknown) => {
    if (!isValidation(error, ALREADY_EXISTS)) throw error;
  };

  return {
    describeEndpoint,

    async getCurrentEndpointConfig(endpoint) {
      const { configName } = await describeEndpoint(endpoint);
      if (!configName) throw new EndpointNotFoundError(`endpoint config of ${endpoint}`);
      const config = await describeConfig(configName);
      const capture = config.DataCaptureConfig;
      return {
        name: configName,
        variants: (config.ProductionVariants ?? []).map((v) => ({
          variantName: v.VariantName ?? '',
          modelName: v.ModelName,
          instanceType: v.InstanceType,
          initialInstanceCount: v.InitialInstanceCount,
          initialVariantWeight: v.InitialVariantWeight,
          serverless: v.ServerlessConfig !== undefined,
        })),
        ...(capture
          ? {
              dataCapture: {
                destination: capture.DestinationS3Uri ?? '',
                samplingPercentage: capture.InitialSamplingPercentage ?? 0,
                enabled: capture.EnableCapture ?? true,
              },
            }
          : {}),
      };
    },

    async createModelFrom(sourceModel, newModel, modelDataUrl) {
      const source = await sagemaker
        .send(new DescribeModelCommand({ ModelName: sourceModel }))
        .catch(notFound(`model ${sourceModel}`));
      const container = source.PrimaryContainer;
      if (!container || (source.Containers?.length ?? 0) > 0) {
        throw new InvalidRecordError(`model ${sourceModel}`, 'only single-container models can be copied');
      }
      if (!container.Image) {
        throw new InvalidRecordError(
          `model ${sourceModel}`,
          'has no image (model-package models cannot be copied)',
        );
      }
      // the new artefact replaces whichever way the source pointed at its model data
      const { ModelDataSource: _source, ModelPackageName: _package, ...rest } = container;
      await sagemaker
        .send(
          new CreateModelCommand({
            ModelName: newModel,
            PrimaryContainer: { ...rest, ModelDataUrl: modelDataUrl },
            ExecutionRoleArn: source.ExecutionRoleArn,
            VpcConfig: source.VpcConfig,
            EnableNetworkIsolation: source.EnableNetworkIsolation,
            InferenceExecutionConfig: source.InferenceExecutionConfig,
            Tags: [{ Key: 'model-care:copied-from', Value: sourceModel }],
          }),
        )
        .catch(ignoreExisting);
    },

    async cloneEndpointConfig(sourceConfig, newConfig, modelByVariant) {
      const source = await describeConfig(sourceConfig);
      const variants = source.ProductionVariants ?? [];
      const unknown = Object.keys(modelByVariant).filter(
        (name) => !variants.some((v) => v.VariantName === name),
      );
      if (unknown.length > 0) {
        throw new InvalidRecordError(
          `endpoint config ${sourceConfig}`,
          `has no variant ${unknown.join(', ')}`,
        );
      }
      await sagemaker
        .send(
          new CreateEndpointConfigCommand({
            EndpointConfigName: newConfig,
            ProductionVariants: variants.map((v) => ({
              ...v,
              ModelName:
                (v.VariantName !== undefined ? modelByVariant[v.VariantName] : undefined) ?? v.ModelName,
            })),
            DataCaptureConfig: source.DataCaptureConfig,
            KmsKeyId: source.KmsKeyId,
            AsyncInferenceConfig: source.AsyncInferenceConfig,
            ExplainerConfig: source.ExplainerConfig,
            ShadowProductionVariants: source.ShadowProductionVariants,
            ExecutionRoleArn: source.ExecutionRoleArn,
            VpcConfig: source.VpcConfig,
            EnableNetworkIsolation: source.EnableNetworkIsolation,
            MetricsConfig: source.MetricsConfig,
            Tags: [{ Key: 'model-care:copied-from', Value: sourceConfig }],
          }),
        )
        .catch(ignoreExisting);
    },

    async updateEndpoint(endpoint, configName, options = {}) {
      await sagemaker
        .send(
          new UpdateEndpointCommand({
            EndpointName: endpoint,
            EndpointConfigName: configName,
            RetainAllVariantProperties: options.retainVariantProperties ?? true,
          }),
        )
        .catch((error: unknown) => {
          if (isValidation(error, BUSY)) throw new EndpointBusyError(endpoint, { cause: error });
          return notFound(`endpoint ${endpoint}`)(error);
        });
    },

    async updateVariantWeights(endpoint, weights) {
      const described = await describeEndpoint(endpoint);
      assertVariantsExist(endpoint, described, Object.keys(weights));
      await sagemaker
        .send(
          new UpdateEndpointWeightsAndCapacitiesCommand({
            EndpointName: endpoint,
            DesiredWeightsAndCapacities: Object.entries(weights).map(([VariantName, DesiredWeight]) => ({
              VariantName,
              DesiredWeight,
            })),
          }),
        )
        .catch((error: unknown) => {
          if (isValidation(error, BUSY)) throw new EndpointBusyError(endpoint, { cause: error });
          return notFound(`endpoint ${endpoint}`)(error);
        });
    },
  };
};
