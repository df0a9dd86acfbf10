/**
 * What EventBridge delivers to a rule target with an InputTransformer: each `<name>` in the template replaced by
 * the JSON value at its InputPathsMap path in the event. The local runtime uses it to invoke handlers exactly as
 * the synthesized rules would; tests use it to check what a target receives.
 */

export interface InputTransformer {
  readonly InputPathsMap?: Record<string, string>;
  readonly InputTemplate: string;
}

const valueAt = (event: unknown, path: string): unknown =>
  path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((key) => key !== '')
    .reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      event,
    );

export const renderRuleInput = (transformer: InputTransformer, event: unknown): unknown => {
  const paths = transformer.InputPathsMap ?? {};
  const text = transformer.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (placeholder, name: string) => {
    const path = paths[name];
    if (path === undefined) return placeholder;
    // EventBridge writes a missing path as null
    return JSON.stringify(valueAt(event, path) ?? null);
  });
  return JSON.parse(text);
};
