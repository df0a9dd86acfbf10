import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';

/**
 * The environment contract end to end: every Lambda of the synthesized template, loaded with exactly the
 * variables the template gives it (intrinsics resolved to stand-ins) plus what Lambda sets, builds its handler
 * at cold start. A variable lib/ forgot to set, or one a handler reads that no construct writes, fails here
 * with the handler's EnvironmentError naming it.
 */

const { json } = synthConfig('config/three-models.json');

interface LambdaUnderTest {
  readonly id: string;
  /** the handler file, from the role description HouseFunction writes (`model-care <entry>`) */
  readonly entry: string;
  readonly variables: Record<string, string>;
}

const lambdas: LambdaUnderTest[] = Object.entries(json.Resources)
  .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
  .flatMap(([id, resource]) => {
    const role = resource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const roleId = role?.['Fn::GetAtt']?.[0];
    const description = String(json.Resources[roleId ?? '']?.Properties?.Description ?? '');
    const entry = /^model-care (functions\/\S+\.ts)$/.exec(description)?.[1];
    if (!entry) return [];
    const environment = resource.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined;
    const variables = Object.fromEntries(
      Object.entries(environment?.Variables ?? {}).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : String(resolveIntrinsics(value, json)),
      ]),
    );
    return [{ id, entry, variables }];
  });

describe('every function of the stack', () => {
  test('is a HouseFunction whose handler entry the test can find', () => {
    const functions = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // CDK's own helpers (log retention, auto-delete) are not ours; every other function must be found
    expect(lambdas.length).toBeGreaterThanOrEqual(15);
    expect(lambdas.length).toBeLessThanOrEqual(functions.length);
    expect(new Set(lambdas.map((l) => l.entry))).toContain('functions/alert-router/handler.ts');
  });

  test.each(lambdas.map((lambda) => [lambda.entry, lambda] as const))(
    '%s starts with the environment the template gives it',
    async (entry, lambda) => {
      const saved = { ...process.env };
      try {
        // the function sees only its template variables and what Lambda itself sets
        for (const key of Object.keys(process.env))
          if (key.startsWith('MODEL_CARE_')) delete process.env[key];
        Object.assign(process.env, lambda.variables, { AWS_REGION: 'us-east-1' });
        const module = (await import(pathToFileURL(entry).href)) as { handler?: unknown };
        expect(typeof module.handler).toBe('function');
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
    },
  );
});
