import { makeCloudWatchEndpointMetrics } from '../adapters/cloudwatch/cloudwatch-endpoint-metrics.ts';
import { makeDynamoDetectorStateRepository } from '../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoRegistryRepository } from '../adapters/dynamodb/dynamodb-registry-repository.ts';
import { defaultRunDeps } from '../handler-kit/default-run-deps.ts';
import { requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeQualityJobHandler } from './quality-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
export const handler = makeQualityJobHandler({
  ...defaultRunDeps(),
  detectors: makeDynamoDetectorStateRepository(requireEnv(TABLE_ENV.state)),
  registry: makeDynamoRegistryRepository(requireEnv(TABLE_ENV.registry)),
  // called only for models with an endpoint and `operational` thresholds (needs cloudwatch:GetMetricData)
  endpointMetrics: makeCloudWatchEndpointMetrics(),
});
