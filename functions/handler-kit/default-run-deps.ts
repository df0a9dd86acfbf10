import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoMetricRepository } from '../adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeRoleCaptureSources } from '../adapters/s3/role-capture-sources.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { readEnvironment } from '../shared/environment.ts';
import { defaultModelConfigs } from './default-model-configs.ts';
import { makeLogger } from './handler-logger.ts';

/**
 * What every job that records a monitoring run needs in the cloud (the data job, the fan-out reducer, the quality
 * job): the capture store, the runs and metric-series tables, the event bus, EMF metrics, the clock and a logger.
 * Built from the environment once per cold start; a bad environment fails here, naming the variable.
 */
export const defaultRunDeps = () => {
  const env = readEnvironment([
    'captureBucket',
    'eventBusName',
    'metricsTtlDays',
    'runsTable',
    'metricsTable',
    'modelAccessRoles',
  ]);
  const store = makeS3ObjectStore(env.captureBucket);
  return {
    configs: defaultModelConfigs(),
    store,
    bucket: env.captureBucket,
    // capture outside the stack bucket (capture.s3Uri) is read with the model's access role
    captureSources: makeRoleCaptureSources({ store, bucket: env.captureBucket }, env.modelAccessRoles),
    runs: makeDynamoRunRepository(env.runsTable),
    series: makeDynamoMetricRepository(env.metricsTable, undefined, { retentionDays: env.metricsTtlDays }),
    events: makeEventBridgePublisher(env.eventBusName),
    metrics: makeEmfRunMetrics(),
    now: () => new Date(),
    logger: makeLogger(),
  };
};
