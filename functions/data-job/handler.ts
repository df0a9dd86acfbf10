import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeDynamoMetricRepository } from '../adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoRunRepository } from '../adapters/dynamodb/dynamodb-run-repository.ts';
import { makeEventBridgePublisher } from '../adapters/eventbridge/eventbridge-event-publisher.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeSfnWorkflowStarter } from '../adapters/sfn/sfn-workflow-starter.ts';
import { ENV, requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { makeLogger } from '../shared/handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../shared/handler-kit/job-environment.ts';
import { type DataJobDeps, DEFAULT_FAN_OUT_THRESHOLD_BYTES, makeDataJobHandler } from './data-job.ts';

/** the fan-out path, when the stack wired one (lib/constructs/window-fan-out.ts) */
function fanOut(): Pick<DataJobDeps, 'fanOut'> {
  const stateMachineArn = process.env[ENV.fanOutStateMachineArn];
  if (!stateMachineArn) return {};
  const raw = process.env[ENV.fanOutThresholdBytes];
  const thresholdBytes = raw ? Number(raw) : DEFAULT_FAN_OUT_THRESHOLD_BYTES;
  if (!(Number.isFinite(thresholdBytes) && thresholdBytes > 0)) {
    throw new Error(`environment variable ${ENV.fanOutThresholdBytes} is not a positive number`);
  }
  return { fanOut: { starter: makeSfnWorkflowStarter(), stateMachineArn, thresholdBytes } };
}

// built once per cold start; a bad environment fails here, naming the variable
const env = readJobEnvironment();

export const handler = makeDataJobHandler({
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
  ...fanOut(),
});
