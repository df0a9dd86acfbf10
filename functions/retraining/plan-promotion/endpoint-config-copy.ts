import type { DescribedEndpointConfig, ResourceTag } from '../../adapters/live-endpoint.ts';
import type { SageMakerRequest } from '../../shared/retraining-contract.ts';

/**
 * A CreateEndpointConfig request that copies a described endpoint config: every field DescribeEndpointConfig
 * returned (production and shadow variants with their sizing or serverless settings, async inference, explainer,
 * data capture, KMS key, VPC, execution role, metrics, and fields added to the API later), the user's tags, and
 * at most one change: the model one variant serves. Output-only fields (name, ARN, creation time) are left out.
 */

/** fields DescribeEndpointConfig returns that CreateEndpointConfig does not take */
const OUTPUT_ONLY = new Set(['EndpointConfigName', 'EndpointConfigArn', 'CreationTime']);
const VARIANT_LISTS = ['ProductionVariants', 'ShadowProductionVariants'] as const;
/** SageMaker's limit per resource */
const MAX_TAGS = 50;

export class VariantNotFoundError extends Error {
  override readonly name = 'VariantNotFoundError';
  constructor(
    readonly configName: string,
    readonly variantName: string,
    readonly variants: readonly string[],
  ) {
    super(
      `endpoint config ${configName} has no variant ${variantName} (it has ${variants.join(', ') || 'none'}): ` +
        'check endpoint.variant in the config',
    );
  }
}

type Json = Record<string, unknown>;

/** JSON without nulls: SageMaker rejects an explicit null where a field may only be absent */
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
};

const variantsOf = (description: Json, list: (typeof VARIANT_LISTS)[number]): Json[] => {
  const variants = description[list];
  return Array.isArray(variants) ? (variants as Json[]) : [];
};

/** every variant name of a described config, production then shadow */
export const variantNames = (described: DescribedEndpointConfig): string[] =>
  VARIANT_LISTS.flatMap((list) => variantsOf(described.description, list).map((v) => String(v.VariantName)));

/** the model a variant serves (production or shadow); throws VariantNotFoundError when there is no such variant */
export const variantModel = (described: DescribedEndpointConfig, variantName: string): string => {
  for (const list of VARIANT_LISTS) {
    const variant = variantsOf(described.description, list).find((v) => v.VariantName === variantName);
    if (variant) return String(variant.ModelName ?? '');
  }
  throw new VariantNotFoundError(
    String(described.description.EndpointConfigName ?? 'unknown'),
    variantName,
    variantNames(described),
  );
};

export interface CopyOptions {
  /** the new config's name */
  readonly name: string;
  /** the one change: this variant serves this model instead */
  readonly swap?: { readonly variantName: string; readonly modelName: string };
  /** tags added to (or replacing same-key) tags of the source, while SageMaker's 50 allow */
  readonly tags?: readonly ResourceTag[];
}

/** the copy as a CreateEndpointConfig request */
export const copyEndpointConfig = (
  described: DescribedEndpointConfig,
  options: CopyOptions,
): SageMakerRequest => {
  const source = withoutNulls(described.description) as Json;
  if (options.swap) variantModel(described, options.swap.variantName); // fails naming the variants there are
  const request: Json = { EndpointConfigName: options.name };
  for (const [field, value] of Object.entries(source)) {
    if (OUTPUT_ONLY.has(field)) continue;
    request[field] = value;
  }
  const swap = options.swap;
  if (swap) {
    for (const list of VARIANT_LISTS) {
      if (!(list in request)) continue;
      request[list] = variantsOf(request, list).map((variant) =>
        variant.VariantName === swap.variantName ? { ...variant, ModelName: swap.modelName } : variant,
      );
    }
  }
  // tags with the reserved aws: prefix are SageMaker's own and cannot be set by a caller
  const tags = new Map(described.tags.filter((t) => !t.Key.startsWith('aws:')).map((t) => [t.Key, t.Value]));
  for (const tag of options.tags ?? []) {
    if (tags.has(tag.Key) || tags.size < MAX_TAGS) tags.set(tag.Key, tag.Value);
  }
  if (tags.size > 0) request.Tags = [...tags].map(([Key, Value]) => ({ Key, Value }));
  return request;
};
