import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import { ModelNotFoundError, ModelRemovedError } from '../adapters/model-store.ts';
import { type CaptureRoute, captureRouteFor } from '../shared/config/capture-routes.ts';

/** the capture route of a model by name; undefined for a model that does not exist or was removed */
export type CaptureRouteLookup = (model: string) => Promise<CaptureRoute | undefined>;

/**
 * Routes from the models table (issue 16): a model put through the admin API is served without a deploy, and the
 * number of models is not bounded by the 4 KB of a Lambda's environment. The config source caches the current
 * config for a minute per container, so a request costs no table read in the steady state.
 */
export const routesFromConfigs =
  (configs: ModelConfigSource): CaptureRouteLookup =>
  async (model) => {
    try {
      return captureRouteFor((await configs.load(model)).config);
    } catch (error) {
      if (error instanceof ModelNotFoundError || error instanceof ModelRemovedError) return undefined;
      throw error;
    }
  };

/** routes given as a list (tests, and callers that hold the configs already) */
export const routesFromList = (routes: readonly CaptureRoute[]): CaptureRouteLookup => {
  const byModel = new Map(routes.map((route) => [route.model, route]));
  return async (model) => byModel.get(model);
};
