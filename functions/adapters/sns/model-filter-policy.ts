import { MESSAGE_ATTRIBUTES } from '../../shared/events.ts';

/**
 * The filter policies of model subscriptions: exactly `{"model": [<names>]}`. A policy of any other shape was
 * not made here (an operator's, or a hand-made one) and is never changed.
 */

/** SNS: "The total combination of values in a filter policy must not exceed 150" */
export const MAX_MODELS_PER_POLICY = 150;

/** the models a policy of ours lists, or undefined when the policy is not ours */
export const modelsInPolicy = (policy: string): string[] | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length !== 1 || entries[0]?.[0] !== MESSAGE_ATTRIBUTES.model) return undefined;
  const models = entries[0][1];
  if (!Array.isArray(models) || !models.every((m): m is string => typeof m === 'string')) return undefined;
  return models;
};

/** sorted, so the same set of models always gives the same text */
export const policyFor = (models: readonly string[]): string =>
  JSON.stringify({ [MESSAGE_ATTRIBUTES.model]: [...new Set(models)].sort() });
