import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import { makeLocalLiveEndpoint } from '../sagemaker/local-live-endpoint.ts';
import { LocalSageMaker } from '../sagemaker/local-sagemaker.ts';
import type { Scorer, Trainer } from '../sagemaker/model-runtime.ts';
import { LocalSnsSink } from './local-sns.ts';
import { retrainingMachine, type SynthesizedApp } from './retraining-machine.ts';
import { type PendingTaskToken, RetrainingRunner } from './retraining-runner.ts';
import { type LambdaHandler, makeLocalRetrainingSteps } from './retraining-steps.ts';

export interface LocalRetrainingOptions {
  /** the synthesized app (local/runtime/local-stack.ts `synthesizeLocalStack`) */
  readonly app: SynthesizedApp;
  readonly model: string;
  /** clients for the emulators (local/emulators.ts) */
  readonly s3: S3Client;
  readonly documentClient: DynamoDBDocumentClient;
  /** local names of the capture store and of the StateTable and RegistryTable */
  readonly captureBucket: string;
  readonly tables: { readonly state: string; readonly registry: string };
  /** what NewBaseline invokes: the baseline job's handler */
  readonly baselineJob: LambdaHandler;
  readonly logger: HandlerLogger;
  /** a SageMaker shared by several models; @default - a new one with `trainer` and `scorer` */
  readonly sageMaker?: LocalSageMaker;
  readonly trainer?: Trainer;
  readonly scorer?: Scorer;
  /** @default - a new sink */
  readonly sns?: LocalSnsSink;
  /** the simulated clock, for executions, handlers and SageMaker; @default the wall clock */
  readonly now?: () => Date;
  readonly pollIntervalMs?: number;
  readonly taskTokenTimeoutMs?: number;
  readonly onTaskToken?: (pending: PendingTaskToken) => void;
  readonly captureLookbackHours?: number;
}

export interface LocalRetraining {
  readonly runner: RetrainingRunner;
  readonly sageMaker: LocalSageMaker;
  readonly sns: LocalSnsSink;
}

/**
 * Everything one model's retraining needs locally, wired: the state machine from the template, the real step
 * handlers over the emulators, the local SageMaker (with the trainer and scorer plugged in) and the SNS sink.
 */
export const createLocalRetraining = (options: LocalRetrainingOptions): LocalRetraining => {
  const now = options.now ?? (() => new Date());
  let sageMaker = options.sageMaker;
  if (!sageMaker) {
    if (!options.trainer || !options.scorer)
      throw new Error('a local SageMaker needs a trainer and a scorer');
    sageMaker = new LocalSageMaker({ s3: options.s3, trainer: options.trainer, scorer: options.scorer, now });
  }
  const sns = options.sns ?? new LocalSnsSink(now);
  const machine = retrainingMachine(options.app, options.model, { captureBucket: options.captureBucket });
  const steps = makeLocalRetrainingSteps({
    s3: options.s3,
    documentClient: options.documentClient,
    captureBucket: options.captureBucket,
    tables: options.tables,
    endpoints: makeLocalLiveEndpoint(sageMaker),
    now,
    logger: options.logger,
    captureLookbackHours: options.captureLookbackHours,
  });
  const runner = new RetrainingRunner({
    machine,
    steps,
    baselineJob: options.baselineJob,
    sageMaker,
    sns,
    now,
    pollIntervalMs: options.pollIntervalMs,
    taskTokenTimeoutMs: options.taskTokenTimeoutMs,
    onTaskToken: options.onTaskToken,
  });
  return { runner, sageMaker, sns };
};
