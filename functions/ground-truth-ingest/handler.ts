import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../handler-kit/job-environment.ts';
import { requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeGroundTruthIngestHandler } from './ground-truth-ingest.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();

export const handler = makeGroundTruthIngestHandler({
  store: makeS3ObjectStore(env.bucket),
  bucket: env.bucket,
  runs: makeDynamoRunRepository(requireEnv(TABLE_ENV.runs)),
  events: makeEventBridgePublisher(env.eventBusName),
  now: () => new Date(),
  logger: makeLogger(),
});
