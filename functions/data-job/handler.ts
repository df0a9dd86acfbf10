import { makeDynamoDetectorStateRepository } from '../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeSfnWorkflowStarter } from '../adapters/sfn/sfn-workflow-starter.ts';
import { ENV, requireEnv, TABLE_ENV } from '../shared/env-keys.ts';
import { defaultRunDeps } from '../shared/handler-kit/default-run-deps.ts';
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

export const handler = makeDataJobHandler({
  ...defaultRunDeps(),
  ...fanOut(),
  verdictStates: makeDynamoDetectorStateRepository(requireEnv(TABLE_ENV.state)),
});
