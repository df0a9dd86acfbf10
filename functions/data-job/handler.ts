import { makeDynamoDetectorStateRepository } from '../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeSfnWorkflowStarter } from '../adapters/sfn/sfn-workflow-starter.ts';
import { defaultRunDeps } from '../handler-kit/default-run-deps.ts';
import { DEFAULT_FAN_OUT_THRESHOLD_BYTES } from '../shared/config/fan-out-settings.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeDataJobHandler } from './data-job.ts';
import type { DataJobDeps } from './data-job-deps.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['fanOutStateMachineArn', 'fanOutThresholdBytes', 'stateTable']);

/** the fan-out path, when the stack wired one (lib/constructs/window-fan-out.ts), its threshold from config */
const fanOut = (): Pick<DataJobDeps, 'fanOut'> =>
  env.fanOutStateMachineArn
    ? {
        fanOut: {
          starter: makeSfnWorkflowStarter(),
          stateMachineArn: env.fanOutStateMachineArn,
          thresholdBytes: env.fanOutThresholdBytes ?? DEFAULT_FAN_OUT_THRESHOLD_BYTES,
        },
      }
    : {};

export const handler = makeDataJobHandler({
  ...defaultRunDeps(),
  ...fanOut(),
  // the sequential verdicts' evidence per feature, and the harm state the quality job keeps (issue 12)
  verdictStates: makeDynamoDetectorStateRepository(env.stateTable),
});
