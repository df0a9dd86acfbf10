/**
 * Which variants of a model's endpoint are monitored, and where each one's capture and results live (issue 15).
 * SageMaker's capture writes each production and shadow variant under `capture/<endpoint>/<variant>/`; the
 * config may list the variants to watch (`endpoint.variants`), by default every variant the endpoint has.
 * A listed name the endpoint does not have is refused with one line naming it, before anything is read or
 * written.
 */
import { STORE_PREFIXES } from '../store-layout.ts';
import type { ModelConfig } from './model-schema.ts';

/** A configured variant name that the live endpoint does not have. */
export class UnknownVariantError extends Error {
  override readonly name = 'UnknownVariantError';
  constructor(
    readonly model: string,
    readonly field: string,
    readonly unknown: readonly string[],
    readonly endpoint: string,
    readonly known: readonly string[],
  ) {
    super(
      `model ${model}: ${field} names ${unknown.join(', ')}, which endpoint ${endpoint} does not have ` +
        `(it has ${known.join(', ') || 'no variant'}); nothing changed`,
    );
  }
}

export interface MonitoredVariant {
  readonly endpointName: string;
  readonly variantName: string;
  /** `capture/<endpoint>/<variant>/` */
  readonly capturePrefix: string;
}

/**
 * The variants to monitor, in the endpoint's order (production first, then shadow), given the names the live
 * endpoint has. Throws UnknownVariantError for a configured name (in `endpoint.variants` or `endpoint.abTest`)
 * the endpoint does not have.
 */
export const monitoredVariants = (
  model: ModelConfig,
  endpointVariants: readonly string[],
): MonitoredVariant[] => {
  const endpoint = model.endpoint;
  if (!endpoint) return [];
  const check = (field: string, names: readonly string[]) => {
    const unknown = names.filter((name) => !endpointVariants.includes(name));
    if (unknown.length > 0) {
      throw new UnknownVariantError(model.name, field, unknown, endpoint.name, endpointVariants);
    }
  };
  check('endpoint.variants', endpoint.variants ?? []);
  if (endpoint.abTest) {
    check('endpoint.abTest', [endpoint.abTest.champion, endpoint.abTest.challenger]);
  }
  const wanted = endpoint.variants ?? endpointVariants;
  return endpointVariants
    .filter((name) => wanted.includes(name))
    .map((variantName) => ({
      endpointName: endpoint.name,
      variantName,
      capturePrefix: `${STORE_PREFIXES.capture}${endpoint.name}/${variantName}/`,
    }));
};

/**
 * The deterministic key of a variant's result for a window, next to the model's own: the same window checked
 * twice overwrites, never duplicates. `kind` is the job (`data`, `quality`, `ab-test`).
 */
export const variantResultKey = (
  model: string,
  kind: string,
  variant: string,
  windowStartIso: string,
): string => `${STORE_PREFIXES.reports}${model}/variants/${variant}/${kind}/${windowStartIso}.json`;
