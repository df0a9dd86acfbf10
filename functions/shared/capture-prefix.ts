import { STORE_PREFIXES } from './env-keys.ts';
import { captureLocation, type ModelConfig } from './model-config.ts';

/**
 * The key prefix a model's data job reads its capture from, with the trailing slash that makes prefix tests
 * respect folder boundaries (`capture/churn/AllTraffic/` is not a prefix of `capture/churn/AllTraffic2/`).
 */
export const capturePrefix = (model: ModelConfig): string => {
  const { endpointName, variantName } = captureLocation(model);
  return `${STORE_PREFIXES.capture}${endpointName}/${variantName}/`;
};

/** whether two capture prefixes overlap: one model would read the other's records */
export const capturePrefixesOverlap = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
