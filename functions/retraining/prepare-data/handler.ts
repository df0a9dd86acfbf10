import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeS3StoreFor } from '../../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makePrepareDataHandler } from './prepare-data.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'registryTable']);

export const handler = makePrepareDataHandler({
  storeFor: makeS3StoreFor(),
  captureBucket: env.captureBucket,
  registry: makeDynamoRegistryRepository(env.registryTable),
  logger: makeLogger(),
});
