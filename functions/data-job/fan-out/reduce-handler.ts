import { makeEmfRunMetrics } from '../../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoMetricRepository } from '../../adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRunRepository } from '../../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';
import { requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makeLogger } from '../../shared/handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../../shared/handler-kit/job-environment.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();

export const handler = makeFanOutReduceHandler({
  store: makeS3ObjectStore(env.bucket),
  bucket: env.bucket,
  runs: makeDynamoRunRepository(requireEnv(TABLE_ENV.runs)),
  series: makeDynamoMetricRepository(requireEnv(TABLE_ENV.metrics), undefined, {
    retentionDays: env.metricsTtlDays,
  }),
  events: makeEventBridgePublisher(env.eventBusName),
  metrics: makeEmfRunMetrics(),
  now: () => new Date(),
  logger: makeLogger(),
});
