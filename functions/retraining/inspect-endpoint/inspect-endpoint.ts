import { VersionExistsError } from '../../adapters/errors.ts';
import type { LiveEndpointReader } from '../../adapters/live-endpoint.ts';
import type { RegistryRepository } from '../../adapters/registry-repository.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../../handler-kit/invalid-event-error.ts';
import type { CurrentEndpoint } from '../../shared/retraining-contract.ts';
import { variantModel } from '../plan-promotion/endpoint-config-copy.ts';
import { executionRefSchema, lockResultSchema, parseStepInput } from '../shared/step-input.ts';

export interface InspectEndpointDeps {
  readonly endpoints: LiveEndpointReader;
  readonly registry: RegistryRepository;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/** other executions kept taking the next version number */
export class AdoptionRaceError extends Error {
  override readonly name = 'AdoptionRaceError';
}

const MAX_ATTEMPTS = 5;

/**
 * What serves the model now, before anything changes: the endpoint's config (what rollback returns to) and the
 * SageMaker model behind the monitored variant. When the registry knows no champion yet (the first retraining of
 * a model that was serving before model-care), that model is registered as the next version and made champion,
 * so the first challenger is compared with it on the same holdout instead of being judged alone. A retried step
 * finds the version it registered by its SageMaker model name.
 */
export const makeInspectEndpointHandler = (deps: InspectEndpointDeps) => {
  const { endpoints, registry, logger } = deps;
  return async (event: unknown): Promise<CurrentEndpoint> => {
    const { model, lock } = parseStepInput(
      'inspect-endpoint',
      { execution: executionRefSchema, lock: lockResultSchema },
      event,
    );
    if (!lock.acquired)
      throw new InvalidEventError('inspect-endpoint: event.lock.acquired: the lock was not acquired');
    const endpoint = model.endpoint;
    if (!endpoint)
      throw new InvalidEventError('inspect-endpoint: event.model.endpoint: the model has no endpoint');
    const live = await endpoints.describeEndpoint(endpoint.name);
    const serving = variantModel(await endpoints.describeEndpointConfig(live.configName), endpoint.variant);

    let adopted: number | null = null;
    const champion = await registry.getChampion(model.name);
    if (champion) {
      const version = await registry.getVersion(model.name, champion.version);
      if (version?.sagemakerModelName !== serving) {
        logger.warn('the endpoint serves another model than the registered champion', {
          model: model.name,
          champion: champion.version,
          championModel: version?.sagemakerModelName ?? null,
          serving,
        });
      }
    } else {
      adopted = await adopt(deps, model.name, serving);
      logger.info('the serving model became the champion', {
        model: model.name,
        version: adopted,
        sagemakerModel: serving,
      });
    }
    return {
      endpointName: endpoint.name,
      endpointConfigName: live.configName,
      endpointStatus: live.status,
      variantName: endpoint.variant,
      modelName: serving,
      adoptedChampionVersion: adopted,
      restoreConfigName: null,
    };
  };
};

/** registers the serving SageMaker model as the next version (or finds it) and makes it champion */
const adopt = async (deps: InspectEndpointDeps, model: string, sagemakerModel: string): Promise<number> => {
  const { registry, endpoints } = deps;
  const findOwn = async () =>
    (await registry.listVersions(model)).find((v) => v.sagemakerModelName === sagemakerModel)?.version;
  let version = await findOwn();
  if (version === undefined) {
    const { modelDataUrl } = await endpoints.describeModel(sagemakerModel);
    for (let attempt = 1; version === undefined; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new AdoptionRaceError(
          `inspect-endpoint: no free version of ${model} after ${MAX_ATTEMPTS} tries`,
        );
      }
      const next = ((await registry.latestVersion(model))?.version ?? 0) + 1;
      try {
        const registered = await registry.registerVersion(model, {
          version: next,
          createdAt: deps.now().toISOString(),
          // a model without model data (a model package, an image with the model inside) is named by itself
          artifactUri: modelDataUrl ?? `sagemaker-model://${sagemakerModel}`,
          sagemakerModelName: sagemakerModel,
          evaluation: {},
        });
        version = registered.version;
      } catch (error) {
        if (!(error instanceof VersionExistsError)) throw error;
        version = await findOwn();
      }
    }
  }
  await registry.setChampion(model, version, null, deps.now());
  return version;
};
