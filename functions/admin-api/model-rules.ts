import type { ModelSummary } from '../adapters/model-store.ts';
import { capturePrefix, capturePrefixesOverlap } from '../shared/config/capture-folders.ts';
import { ConfigError } from '../shared/config/config-error.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { parseModelConfig } from '../shared/config/parse-config.ts';
import { autoApprovalProblem } from '../shared/config/producers.ts';

/**
 * What a model config must satisfy before it is stored, beyond the schema: one line per problem, naming the
 * source (`body`, a file name), the field and, for conflicts, both models. Nothing is stored when one fails.
 */

/** parses with the one config schema and checks the rules that need no other model */
export const validateModelConfig = (input: unknown, source: string, expectedName?: string): ModelConfig => {
  const config = parseModelConfig(input, source);
  if (expectedName !== undefined && config.name !== expectedName) {
    throw new ConfigError(
      `${source}: name: ${JSON.stringify(config.name)} does not match the model in the path (${JSON.stringify(expectedName)})`,
    );
  }
  const approval = autoApprovalProblem(config);
  if (approval) throw new ConfigError(`${source}: ${approval.path.join('.')}: ${approval.message}`);
  return config;
};

/**
 * Two models whose capture prefixes are equal or nested would judge each other's traffic: refused, naming both.
 * `fleet` is the active models as stored (their summaries carry their capture prefix).
 */
export const assertOwnCapture = (
  config: ModelConfig,
  fleet: readonly ModelSummary[],
  source: string,
): void => {
  const mine = capturePrefix(config);
  const other = fleet.find(
    (m) => m.name !== config.name && m.status === 'active' && capturePrefixesOverlap(mine, m.capturePrefix),
  );
  if (!other) return;
  throw new ConfigError(
    `${source}: capture: model ${JSON.stringify(config.name)} would read ${mine}, which overlaps ${other.capturePrefix} of model ${JSON.stringify(other.name)}: give one of them its own capture.endpointName or capture.variantName`,
  );
};
