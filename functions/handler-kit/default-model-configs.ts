import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { type ModelConfigSource, makeCachedModelConfigSource } from '../adapters/model-config-source.ts';
import { readEnvironment } from '../shared/environment.ts';

/**
 * The configs of the models events name, read from the models table (MODEL_CARE_MODELS_TABLE) and cached for the
 * container's life: a pinned version for good, the current one for a minute, so a change made through the admin
 * API is used at the next window without a deploy. Built once per cold start; a missing table fails here.
 */
export const defaultModelConfigs = (
  variables: Record<string, string | undefined> = process.env,
): ModelConfigSource => {
  const env = readEnvironment(['modelsTable'], variables);
  return makeCachedModelConfigSource(makeDynamoModelStore(env.modelsTable));
};
