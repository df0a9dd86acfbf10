import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoMetricRepository } from '../adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeLogger } from './handler-logger.ts';
import { readJobEnvironment } from './job-environment.ts';

/**
 * What every job that records a monitoring run needs in the cloud (the data job, the fan-out reducer, the quality
 * job): the capture store, the runs and metric-series tables, the event bus, EMF metrics, the clock and a logger.
 * Built from the environment once per cold start; a bad environment fails here, naming the variable.
 */
export const defaultRunDeps = () => {
  const env = readJobEnvironment();
  return {
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
  };
};
