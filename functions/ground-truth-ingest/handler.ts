import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { defaultModelConfigs } from '../handler-kit/default-model-configs.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeGroundTruthIngestHandler } from './ground-truth-ingest.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'runsTable', 'eventBusName']);

export const handler = makeGroundTruthIngestHandler({
  configs: defaultModelConfigs(),
  store: makeS3ObjectStore(env.captureBucket),
  bucket: env.captureBucket,
  runs: makeDynamoRunRepository(env.runsTable),
  events: makeEventBridgePublisher(env.eventBusName),
  now: () => new Date(),
  logger: makeLogger(),
});
