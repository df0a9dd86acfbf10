import { VersionExistsError } from '../../adapters/errors.ts';
import type { ModelVersion, RegistryRepository } from '../../adapters/registry-repository.ts';
import { baselinePrefix } from '../../adapters/s3-layout.ts';
import type { VersionLedger } from '../../adapters/version-ledger.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { RegisterVersionResult } from '../../shared/retraining-contract.ts';
import { parseS3Uri } from '../../shared/s3-uri.ts';
import {
  evaluationSchema,
  executionRefSchema,
  parseStepInput,
  preparedDataSchema,
  trainingResultSchema,
} from '../shared/step-input.ts';

export interface RegisterVersionDeps {
  readonly registry: RegistryRepository;
  readonly ledger: VersionLedger;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/** other executions kept taking the next version number */
export class VersionRaceError extends Error {
  override readonly name = 'VersionRaceError';
}

const MAX_ATTEMPTS = 5;

/**
 * Registers the challenger as the model's next version, whatever the decision (a rejected version stays on
 * record with its metrics): artifact, training job, SageMaker model, data manifest and holdout metrics in the
 * registry (a conditional write: versions are immutable, a lost race takes the next number), and its
 * hyperparameters, manifest hash and judgement in the version ledger. A retried step finds the version its
 * training job already registered.
 */
export const makeRegisterVersionHandler = (deps: RegisterVersionDeps) => {
  const { registry, ledger, logger } = deps;
  return async (event: unknown): Promise<RegisterVersionResult> => {
    const { model, execution, data, training, evaluation } = parseStepInput(
      'register-version',
      {
        execution: executionRefSchema,
        data: preparedDataSchema,
        training: trainingResultSchema,
        evaluation: evaluationSchema,
      },
      event,
    );
    const now = deps.now();
    const findOwn = async (): Promise<ModelVersion | undefined> =>
      (await registry.listVersions(model.name)).find((v) => v.trainingJobName === training.trainingJobName);

    let registered = await findOwn();
    for (let attempt = 1; !registered; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new VersionRaceError(
          `register-version: no free version of ${model.name} after ${MAX_ATTEMPTS} tries`,
        );
      }
      const next = ((await registry.latestVersion(model.name))?.version ?? 0) + 1;
      try {
        registered = await registry.registerVersion(model.name, {
          version: next,
          createdAt: now.toISOString(),
          artifactUri: training.modelArtifactsUri,
          trainingJobName: training.trainingJobName,
          sagemakerModelName: data.jobName,
          dataManifestKey: parseS3Uri(data.manifestUri).key,
          baselinePrefix: baselinePrefix(model.name, next),
          evaluation: evaluation.challenger,
        });
      } catch (error) {
        if (!(error instanceof VersionExistsError)) throw error;
        registered = await findOwn();
      }
    }

    await ledger.record(
      model.name,
      registered.version,
      {
        trainingImage: model.retraining.trainingImage,
        hyperparameters: model.retraining.hyperparameters,
        trainingJobArn: training.trainingJobArn,
        manifestUri: data.manifestUri,
        manifestSha256: data.manifestSha256,
        recordCount: data.recordCount,
        decision: evaluation.decision,
        primaryMetric: evaluation.primaryMetric,
        improvement: evaluation.improvement,
        summary: evaluation.summary,
        comparedWith: data.championVersion,
        encoderUri: data.encoder.uri,
        encoderSha256: data.encoder.sha256,
      },
      {
        status: 'registered',
        at: now.toISOString(),
        executionId: execution.id,
        detail: null,
        approval: null,
      },
    );
    logger.info('version registered', {
      model: model.name,
      version: registered.version,
      trainingJobName: training.trainingJobName,
      decision: evaluation.decision,
    });
    return { version: registered.version, registeredAt: registered.createdAt };
  };
};
