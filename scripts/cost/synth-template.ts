import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import { ModelCareStack } from '../../lib/model-care-stack.ts';

/** a CloudFormation template as plain JSON */
export interface CfnTemplate {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

/**
 * The template `cdk synth` makes of a config (cdk.json's feature flags), in-process; no bundling, since only the
 * resources matter to the cost.
 */
export const synthTemplate = (config: ModelCareConfig): CfnTemplate => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new ModelCareStack(app, config.stackName, { config });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
};
