import { makeDynamoLockRepository } from '../adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeLateCaptureHandler } from './late-capture.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment([
  'captureBucket',
  'modelsTable',
  'runsTable',
  'stateTable',
  'eventBusName',
  'dispatchEveryMinutes',
]);

export const handler = makeLateCaptureHandler({
  models: makeDynamoModelStore(env.modelsTable),
  runs: makeDynamoRunRepository(env.runsTable),
  locks: makeDynamoLockRepository(env.stateTable),
  events: makeEventBridgePublisher(env.eventBusName),
  stackBucket: env.captureBucket,
  dispatchEveryMinutes: env.dispatchEveryMinutes,
  now: () => new Date(),
  logger: makeLogger(),
});
