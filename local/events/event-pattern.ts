/**
 * EventBridge's pattern matching, for the subset model-care's rules use: a field matches when its value is
 * one of the listed values, or satisfies `{ prefix }`; nested objects match field by field; arrays in the
 * event match when any element does. Anything else in a pattern is refused loudly rather than ignored, so a
 * rule the local twin cannot honour is found at start-up, not by a missing alert.
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly PatternValue[] };
type PatternValue = string | number | boolean | null | { readonly prefix: string };

const matchesValue = (allowed: readonly PatternValue[], actual: unknown): boolean => {
  const candidates = Array.isArray(actual) ? actual : [actual];
  return candidates.some((value) =>
    allowed.some((rule) => {
      if (rule !== null && typeof rule === 'object') {
        if (!('prefix' in rule) || Object.keys(rule).length !== 1) {
          throw new Error(`unsupported event pattern operator ${JSON.stringify(rule)}`);
        }
        return typeof value === 'string' && value.startsWith(rule.prefix);
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
