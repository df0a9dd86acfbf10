import { makeDynamoAlertBook } from '../adapters/dynamodb/dynamodb-alert-book.ts';
import { makeDynamoAlertStateRepository } from '../adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeSnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { defaultModelConfigs } from '../handler-kit/default-model-configs.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeAlertRouterHandler } from './alert-router.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment([
  'stateTable',
  'runsTable',
  'eventBusName',
  'infoTopicArn',
  'warningTopicArn',
  'criticalTopicArn',
  'dashboardPrefix',
  'awsRegion',
]);
const logger = makeLogger();

export const handler = makeAlertRouterHandler({
  configs: defaultModelConfigs(),
  alerts: makeDynamoAlertStateRepository(env.stateTable),
  book: makeDynamoAlertBook(env.stateTable),
  runs: makeDynamoRunRepository(env.runsTable),
  notifier: makeSnsNotifier(undefined, { logger }),
  events: makeEventBridgePublisher(env.eventBusName),
  topics: { info: env.infoTopicArn, warning: env.warningTopicArn, critical: env.criticalTopicArn },
  links: { region: env.awsRegion, dashboardPrefix: env.dashboardPrefix },
  now: () => new Date(),
  logger,
});
