import * as z from 'zod';
import type { ModelConfigSource } from '../../adapters/model-config-source.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../../handler-kit/invalid-event-error.ts';
import { isoInstant } from '../../handler-kit/job-event.ts';
import type { ModelConfig } from '../../shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../shared/config/retraining-schema.ts';
import { modelRoleArn, modelRoleNames, type StackIdentity } from '../../shared/model-roles.ts';
import {
  type LoadModelResult,
  type RetrainingSettings,
  trainingArtifactsPrefix,
} from '../../shared/retraining-contract.ts';
import { executionRefSchema } from '../shared/step-input.ts';

export interface LoadModelDeps {
  readonly configs: ModelConfigSource;
  /** what the model's role ARNs are named from (functions/shared/model-roles.ts) */
  readonly stack: StackIdentity;
  readonly captureBucket: string;
  readonly logger: HandlerLogger;
}

const eventSchema = z.object({
  execution: executionRefSchema,
  trigger: z.object({
    id: z.string().min(1, 'must not be empty'),
    source: z.string().min(1, 'must not be empty'),
    detailType: z.string().min(1, 'must not be empty'),
    time: isoInstant,
    detail: z.object({
      model: z.string().min(1, 'must be the name of a model'),
      configVersion: z.number().int().positive().nullish(),
    }),
  }),
});

const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');

/** every per-model value the SageMaker states read by JSONPath (RetrainingSettings) */
export const retrainingSettings = (
  model: ModelConfig & { retraining: RetrainingConfig },
  configVersion: number,
  deps: Pick<LoadModelDeps, 'stack' | 'captureBucket'>,
): RetrainingSettings => {
  const { retraining } = model;
  const roles = modelRoleNames(deps.stack, model.name);
  return {
    configVersion,
    accessRoleArn: modelRoleArn(deps.stack, roles.access),
    trainingRoleArn: modelRoleArn(deps.stack, roles.training),
    trainingImage: retraining.trainingImage,
    inferenceImage: retraining.inferenceImage ?? retraining.trainingImage,
    instanceType: retraining.instanceType,
    instanceCount: retraining.instanceCount,
    volumeSizeGb: retraining.volumeSizeGb,
    maxRuntimeSeconds: retraining.maxRuntimeMinutes * 60,
    hyperparameters: { ...retraining.hyperparameters },
    artifactsUri: `s3://${deps.captureBucket}/${trainingArtifactsPrefix(model.name)}`,
    transformInstanceType: retraining.transformInstanceType,
    approvalTimeoutSeconds: retraining.approvalTimeoutHours * 3600,
    hasEndpoint: model.endpoint !== undefined,
  };
};

/**
 * The first step of the one retraining state machine: the model the `Retraining Requested` event names, read
 * through ModelConfigSource at the version the event pins (else the current one), and the settings its SageMaker
 * states run with, its own roles among them. A model without retraining answers `retrains: false`, which ends
 * the execution in NotRetrainable before anything is locked or changed. An unknown or removed model fails the
 * step (ModelNotFoundError, ModelRemovedError): the execution fails with that error and nothing else runs.
 */
export const makeLoadModelHandler = (deps: LoadModelDeps) => {
  return async (event: unknown): Promise<LoadModelResult> => {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new InvalidEventError(
        `load-model: ${first ? `event${formatPath(first.path)}: ${first.message}` : 'event: invalid'}`,
      );
    }
    const { execution, trigger } = parsed.data;
    const name = trigger.detail.model;
    const loaded = await deps.configs.load(name, trigger.detail.configVersion ?? undefined);
    const context = { model: name, configVersion: loaded.version, execution: execution.name };
    const model = loaded.config;
    if (!model.retraining) {
      deps.logger.warn('retraining not started: the model has no retraining section', context);
      return { retrains: false, modelName: name, model: null, settings: null };
    }
    deps.logger.info('retraining model loaded', context);
    return {
      retrains: true,
      modelName: name,
      model,
      settings: retrainingSettings({ ...model, retraining: model.retraining }, loaded.version, deps),
    };
  };
};
