import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoRegistryRepository } from '../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeS3ObjectStore, makeS3StoreFor } from '../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../handler-kit/job-environment.ts';
import { requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeBaselineJobHandler } from './baseline-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();
const store = makeS3ObjectStore(env.bucket);

export const handler = makeBaselineJobHandler({
  store,
  bucket: env.bucket,
  storeFor: makeS3StoreFor(undefined, { [env.bucket]: store }),
  registry: makeDynamoRegistryRepository(requireEnv(TABLE_ENV.registry)),
  runs: makeDynamoRunRepository(requireEnv(TABLE_ENV.runs)),
  metrics: makeEmfRunMetrics(),
  now: () => new Date(),
  logger: makeLogger(),
});
