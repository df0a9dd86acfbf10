import type { ModelConfig } from './model-schema.ts';
import { DEFAULT_PRIMARY_METRIC } from './vocabulary.ts';

/** Settings derived from a validated model config, where a default depends on other fields. */

/** Where a model's capture lands: capture/<endpointName>/<variantName>/yyyy/mm/dd/hh/ (SageMaker's layout). */
export const captureLocation = (model: ModelConfig): { endpointName: string; variantName: string } => ({
  endpointName: model.capture.endpointName ?? model.endpoint?.name ?? model.name,
  variantName: model.capture.variantName ?? model.endpoint?.variant ?? 'AllTraffic',
});

/** the primary metric the evaluate step compares, with its default per problem type */
export const primaryMetric = (model: ModelConfig): string =>
  model.retraining?.primaryMetric ?? DEFAULT_PRIMARY_METRIC[model.problemType];
