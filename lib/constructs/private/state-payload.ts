import { Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** a literal value in a state's parameters, as opposed to a JSONPath */
export interface Literal {
  readonly literal: unknown;
}
export const literal = (value: unknown): Literal => ({ literal: value });

/**
 * Where each field of a payload comes from: a JSONPath string (`$.model`, `$$.Execution.Id`), a literal, or for
 * an object field a nested mapping. Every field of T is required, so adding a field to a contract in
 * functions/shared/retraining-contract.ts fails the type check here until the state machine passes it.
 */
export type Bindings<T> = { readonly [K in keyof T]-?: Binding<T[K]> };
export type Binding<V> =
  | string
  | Literal
  | (V extends readonly unknown[] ? never : V extends object ? Bindings<V> : never);

const isLiteral = (value: unknown): value is Literal =>
  value !== null && typeof value === 'object' && Object.keys(value).length === 1 && 'literal' in value;

// CDK drops null values from rendered parameters; States.StringToJson('null') keeps an explicit null in the ASL
const renderLiteral = (value: unknown): unknown => {
  if (value === null) return sfn.JsonPath.stringToJson('null');
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, renderLiteral(v)]));
  }
  return value;
};

const render = (bindings: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(bindings).map(([key, binding]: [string, unknown]) => {
      if (typeof binding === 'string') {
        if (Token.isUnresolved(binding)) return [key, binding];
        if (!binding.startsWith('$')) throw new Error(`binding "${key}" is not a JSONPath: ${binding}`);
        return [key, sfn.JsonPath.stringAt(binding)];
      }
      if (isLiteral(binding)) return [key, renderLiteral(binding.literal)];
      return [key, render(binding as object)];
    }),
  );

/** a Task's input built from its contract's bindings */
export const payloadOf = <T>(bindings: Bindings<T>): sfn.TaskInput =>
  sfn.TaskInput.fromObject(render(bindings));

/** plain parameters (Pass states, SDK tasks, SNS messages) from bindings */
export const parametersOf = <T>(bindings: Bindings<T>): Record<string, unknown> => render(bindings);

/**
 * A Lambda step's `resultSelector`: keeps exactly the fields of the result contract from `$.Payload` and drops
 * the invocation metadata (StatusCode, ExecutedVersion, headers). Naming every key makes the mapping complete.
 */
export const payloadFields = <T>(fields: { readonly [K in keyof T]-?: true }): Record<string, string> =>
  Object.fromEntries(Object.keys(fields).map((key) => [key, sfn.JsonPath.stringAt(`$.Payload.${key}`)]));

/** a resultSelector over a service integration's response, field by field */
export const selectFields = <T>(
  paths: { readonly [K in keyof T]-?: string | Literal },
): Record<string, unknown> => render(paths);
