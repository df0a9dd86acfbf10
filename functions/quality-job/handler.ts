import { makeCloudWatchEndpointMetrics } from '../adapters/cloudwatch/cloudwatch-endpoint-metrics.ts';
import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoDetectorStateRepository } from '../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoMetricRepository } from '../adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRegistryRepository } from '../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeLogger } from '../shared/handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../shared/handler-kit/job-environment.ts';
import { makeQualityJobHandler } from './quality-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();

export const handler = makeQualityJobHandler({
  store: makeS3ObjectStore(env.bucket),
  bucket: env.bucket,
  runs: makeDynamoRunRepository(requireEnv(TABLE_ENV.runs)),
  series: makeDynamoMetricRepository(requireEnv(TABLE_ENV.metrics), undefined, {
    retentionDays: env.metricsTtlDays,
  }),
  detectors: makeDynamoDetectorStateRepository(requireEnv(TABLE_ENV.state)),
  registry: makeDynamoRegistryRepository(requireEnv(TABLE_ENV.registry)),
  events: makeEventBridgePublisher(env.eventBusName),
  metrics: makeEmfRunMetrics(),
  // called only for models with an endpoint and `operational` thresholds (needs cloudwatch:GetMetricData)
  endpointMetrics: makeCloudWatchEndpointMetrics(),
  now: () => new Date(),
  logger: makeLogger(),
});
