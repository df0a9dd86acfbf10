import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeSageMakerLiveEndpoint } from '../../adapters/sagemaker/sagemaker-live-endpoint.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeInspectEndpointHandler } from './inspect-endpoint.ts';

// built once per cold start; a bad environment fails here, naming the variable
const { registryTable } = readEnvironment(['registryTable']);

export const handler = makeInspectEndpointHandler({
  endpoints: makeSageMakerLiveEndpoint(),
  registry: makeDynamoRegistryRepository(registryTable),
  now: () => new Date(),
  logger: makeLogger(),
});
