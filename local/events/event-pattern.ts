/**
 * EventBridge's pattern matching, for the subset model-care's rules use: a field matches when its value is
 * one of the listed values, or satisfies `{ prefix }` or `{ exists }` (the field is present, or absent); nested objects match field by field; arrays in the
 * event match when any element does. Anything else in a pattern is refused loudly rather than ignored, so a
 * rule the local twin cannot honour is found at start-up, not by a missing alert.
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly PatternValue[] };
type PatternValue =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly exists: boolean };

const matchesValue = (allowed: readonly PatternValue[], actual: unknown): boolean => {
  // EventBridge: `exists` is about the field (a leaf), whatever its value
  const existence = allowed.find(
    (rule): rule is { readonly exists: boolean } =>
      rule !== null && typeof rule === 'object' && 'exists' in rule && Object.keys(rule).length === 1,
  );
  if (existence) return existence.exists === (actual !== undefined);
  const candidates = Array.isArray(actual) ? actual : [actual];
  return candidates.some((value) =>
    allowed.some((rule) => {
      if (rule !== null && typeof rule === 'object') {
        if (!('prefix' in rule) || Object.keys(rule).length !== 1) {
          throw new Error(`unsupported event pattern operator ${JSON.stringify(rule)}`);
        }
        return typeof value === 'string' && value.startsWith((rule as { readonly prefix: string }).prefix);
      }
      return rule === value;
    }),
  );
};

export const matchesPattern = (pattern: EventPattern, event: unknown): boolean => {
  if (event === null || typeof event !== 'object') return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([field, rule]) =>
    Array.isArray(rule)
      ? matchesValue(rule as readonly PatternValue[], record[field])
      : matchesPattern(rule as EventPattern, record[field]),
  );
};
