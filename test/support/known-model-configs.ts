import type { LoadedModelConfig, ModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import { ModelNotFoundError } from '../../functions/adapters/model-store.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';

/**
 * The configs the handler tests' events name. Events carry a model's name; the test that builds an event registers
 * the config it means here, and the handler under test loads it through this source. Handler tests exercise the
 * jobs, not the models table: reading configs from the table (dynalite), its cache and pinned versions are
 * test/handlers/job-config-source.test.ts and test/adapters/model-config-source.test.ts.
 */
const known = new Map<string, ModelConfig>();

/** registers `model` under its name and returns the name, for an event's `model` field */
export const nameOf = (model: ModelConfig): string => {
  known.set(model.name, model);
  return model.name;
};

export const knownModelConfigs: ModelConfigSource = {
  load: async (name, version): Promise<LoadedModelConfig> => {
    const config = known.get(name);
    if (!config) throw new ModelNotFoundError(name, version);
    return { name, version: version ?? 1, config };
  },
};
