import { EndpointNotFoundError } from '../../functions/adapters/errors.ts';
import type { LiveEndpointReader } from '../../functions/adapters/live-endpoint.ts';
import type { LocalSageMaker } from './local-sagemaker.ts';
import { SageMakerValidationError } from './sagemaker-api.ts';

const NOT_FOUND = /could not find/i;

const call = <T>(resource: string, fn: () => T): T => {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SageMakerValidationError && NOT_FOUND.test(error.message)) {
      throw new EndpointNotFoundError(resource, { cause: error });
    }
    throw error;
  }
};

/**
 * The LiveEndpointReader port (functions/adapters/live-endpoint.ts) over the local SageMaker, so inspect-endpoint
 * and plan-promotion read local endpoints through the same port as the cloud: descriptions as JSON with the API's
 * field names, the config's tags apart, as DescribeEndpointConfig and ListTags answer.
 */
export const makeLocalLiveEndpoint = (sageMaker: LocalSageMaker): LiveEndpointReader => ({
  async describeEndpoint(name) {
    const out = call(`endpoint ${name}`, () => sageMaker.describeEndpoint(name));
    return {
      name: out.EndpointName,
      status: out.EndpointStatus,
      configName: out.EndpointConfigName,
      failureReason: out.FailureReason ?? null,
    };
  },

  async describeEndpointConfig(name) {
    const out = call(`endpoint config ${name}`, () => sageMaker.describeEndpointConfig(name));
    const { Tags: _tags, ...description } = out as typeof out & { Tags?: unknown };
    return {
      description: JSON.parse(JSON.stringify(description)) as Record<string, unknown>,
      tags: sageMaker.listTags({ ResourceArn: out.EndpointConfigArn }).Tags,
    };
  },

  async describeModel(name) {
    const out = call(`model ${name}`, () => sageMaker.describeModel(name));
    return { name: out.ModelName, modelDataUrl: out.PrimaryContainer.ModelDataUrl ?? null };
  },
});
