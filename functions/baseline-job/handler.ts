import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoRegistryRepository } from '../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeS3ObjectStore, makeS3StoreFor } from '../adapters/s3/s3-object-store.ts';
import { defaultModelConfigs } from '../handler-kit/default-model-configs.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeBaselineJobHandler } from './baseline-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'registryTable', 'runsTable']);
const store = makeS3ObjectStore(env.captureBucket);

export const handler = makeBaselineJobHandler({
  configs: defaultModelConfigs(),
  store,
  bucket: env.captureBucket,
  storeFor: makeS3StoreFor(undefined, { [env.captureBucket]: store }),
  registry: makeDynamoRegistryRepository(env.registryTable),
  runs: makeDynamoRunRepository(env.runsTable),
  metrics: makeEmfRunMetrics(),
  now: () => new Date(),
  logger: makeLogger(),
});
