import { makeDynamoScheduleIndex } from '../adapters/dynamodb/dynamodb-schedule-index.ts';
import { makeEventBridgeBatchPublisher } from '../adapters/eventbridge/eventbridge-batch-publisher.ts';
import { errorSummary, makeLogger } from '../shared/handler-kit/handler-logger.ts';
import { makeDispatcherHandler } from './dispatcher.ts';
import { readDispatcherEnvironment } from './dispatcher-environment.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readDispatcherEnvironment();
const logger = makeLogger();

export const handler = makeDispatcherHandler({
  schedules: makeDynamoScheduleIndex(env.modelsTable, undefined, {
    onCorrupt: (error) =>
      logger.error('schedule index item skipped', { key: error.key, ...errorSummary(error) }),
  }),
  publisher: makeEventBridgeBatchPublisher(env.eventBusName),
  periodMinutes: env.periodMinutes,
  logger,
});
