import { makeCloudWatchEndpointMetrics } from '../adapters/cloudwatch/cloudwatch-endpoint-metrics.ts';
import { makeDynamoDetectorStateRepository } from '../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoRegistryRepository } from '../adapters/dynamodb/dynamodb-registry-repository.ts';
import { defaultRunDeps } from '../handler-kit/default-run-deps.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeQualityJobHandler } from './quality-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['stateTable', 'registryTable']);

export const handler = makeQualityJobHandler({
  ...defaultRunDeps(),
  detectors: makeDynamoDetectorStateRepository(env.stateTable),
  registry: makeDynamoRegistryRepository(env.registryTable),
  // called only for models with an endpoint and `operational` thresholds (needs cloudwatch:GetMetricData)
  endpointMetrics: makeCloudWatchEndpointMetrics(),
});
