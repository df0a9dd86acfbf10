import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LoadedModelConfig, ModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import { ModelNotFoundError } from '../../functions/adapters/model-store.ts';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { readEnvironment } from '../../functions/shared/environment.ts';
import type { StackIdentity } from '../../functions/shared/model-roles.ts';
import { makeLocalLiveEndpoint } from '../sagemaker/local-live-endpoint.ts';
import { LocalSageMaker } from '../sagemaker/local-sagemaker.ts';
import type { Scorer, Trainer } from '../sagemaker/model-runtime.ts';
import { LocalSnsSink } from './local-sns.ts';
import { resolveIntrinsics } from './resolve-state-machine.ts';
import { retrainingMachine, type SynthesizedApp } from './retraining-machine.ts';
import { type PendingTaskToken, RetrainingRunner } from './retraining-runner.ts';
import { type LambdaHandler, makeLocalRetrainingSteps } from './retraining-steps.ts';

export interface LocalRetrainingOptions {
  /** the synthesized app (local/runtime/local-stack.ts `synthesizeLocalStack`) */
  readonly app: SynthesizedApp;
  /** the model executions start for when a start names none (the machine serves every model) */
  readonly model: string;
  /**
   * where load-model reads configs: the models table as the twin seeded it; @default - the synthesized config's
   * models, each at version 1
   */
  readonly configs?: ModelConfigSource;
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
    configs: options.configs ?? configModels(options.app.config.models),
    stack: loadModelStack(options.app),
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

/** the config's models as a ModelConfigSource, each at version 1 (what a fresh deploy seeds) */
export const configModels = (models: readonly ModelConfig[]): ModelConfigSource => ({
  async load(name, version): Promise<LoadedModelConfig> {
    const config = models.find((model) => model.name === name);
    if (!config || (version !== undefined && version !== 1)) throw new ModelNotFoundError(name, version);
    return { name, version: 1, config };
  },
});

/** the stack identity load-model names role ARNs from, read from the environment the template gives it */
const loadModelStack = (app: SynthesizedApp): StackIdentity => {
  const id = app.ids.retrainingSteps['load-model'];
  const variables = (
    app.template.Resources[id ?? '']?.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables;
  if (!variables) throw new Error('the template has no load-model function with an environment');
  const resolved = Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, String(resolveIntrinsics(value, app.template))]),
  );
  return readEnvironment(['modelRoleStack'], resolved).modelRoleStack;
};
