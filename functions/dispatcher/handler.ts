import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeEventBridgeBatchPublisher } from '../adapters/eventbridge/eventbridge-batch-publisher.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeDispatcherHandler } from './dispatcher.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['modelsTable', 'eventBusName', 'dispatchEveryMinutes']);

export const handler = makeDispatcherHandler({
  schedules: makeDynamoModelStore(env.modelsTable),
  publisher: makeEventBridgeBatchPublisher(env.eventBusName),
  periodMinutes: env.dispatchEveryMinutes,
  logger: makeLogger(),
});
