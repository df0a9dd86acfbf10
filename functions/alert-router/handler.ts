import { makeDynamoAlertStateRepository } from '../adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeSnsNotifier } from '../adapters/sns/sns-notifier.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../handler-kit/job-environment.ts';
import { requireEnv, TABLE_ENV, TOPIC_ENV } from '../shared/env-keys.ts';
import { makeAlertRouterHandler } from './alert-router.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();
const logger = makeLogger();

export const handler = makeAlertRouterHandler({
  alerts: makeDynamoAlertStateRepository(requireEnv(TABLE_ENV.state)),
  runs: makeDynamoRunRepository(requireEnv(TABLE_ENV.runs)),
  notifier: makeSnsNotifier(undefined, { logger }),
  events: makeEventBridgePublisher(env.eventBusName),
  topics: {
    info: requireEnv(TOPIC_ENV.info),
    warning: requireEnv(TOPIC_ENV.warning),
    critical: requireEnv(TOPIC_ENV.critical),
  },
  links: { region: env.region, dashboardPrefix: env.dashboardPrefix },
  now: () => new Date(),
  logger,
});
