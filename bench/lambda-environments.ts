import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config.ts';
import { ModelCareStack } from '../lib/model-care-stack.ts';
import { type CfnTemplate, resolveIntrinsics } from '../local/step-functions/resolve-state-machine.ts';

/**
 * The environment each Lambda handler starts with in the cloud: the variables the synthesized template gives
 * it (intrinsics resolved to stand-ins), keyed by the handler entry HouseFunction names in its role's
 * description (`model-care <entry>`). A handler reads its environment at module scope, so importing a bundle
 * without these fails.
 */
export const lambdaEnvironments = (
  configFile = 'config/three-models.json',
): Map<string, Record<string, string>> => {
  const context = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> })
    .context;
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const config = loadConfig(configFile);
  const stack = new ModelCareStack(app, config.stackName, { config });
  const json = app.synth().getStackByName(stack.stackName).template as CfnTemplate;
  const environments = new Map<string, Record<string, string>>();
  for (const resource of Object.values(json.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const role = resource.Properties?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const description = String(
      json.Resources[role?.['Fn::GetAtt']?.[0] ?? '']?.Properties?.Description ?? '',
    );
    const entry = /^model-care (functions\/\S+\.ts)$/.exec(description)?.[1];
    if (!entry || environments.has(entry)) continue;
    const variables = (
      resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined
    )?.Variables;
    environments.set(
      entry,
      Object.fromEntries(
        Object.entries(variables ?? {}).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : String(resolveIntrinsics(value, json)),
        ]),
      ),
    );
  }
  return environments;
};
