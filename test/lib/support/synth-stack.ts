import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../../lib/config.ts';
import { ModelCareStack } from '../../../lib/model-care-stack.ts';
import type { CfnTemplate } from '../../../local/step-functions/resolve-state-machine.ts';

/** the feature flags of cdk.json, so tests synthesize what `cdk synth` does */
export const cdkJsonContext = (): Record<string, unknown> =>
  (
    JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context;

/** an App like bin/cdk-app.ts's, without esbuild bundling unless asked (only the template matters) */
export const testApp = (options: { bundle?: boolean } = {}): App =>
  new App({ context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });

export interface SynthesizedStack {
  readonly stack: ModelCareStack;
  readonly template: Template;
  readonly json: CfnTemplate;
}

const cache = new Map<string, SynthesizedStack>();

/** synthesizes the stack for a config file once per test run */
export const synthConfig = (file: string): SynthesizedStack => {
  const cached = cache.get(file);
  if (cached) return cached;
  const config = loadConfig(file);
  const stack = new ModelCareStack(testApp(), config.stackName, { config });
  const template = Template.fromStack(stack);
  const result = { stack, template, json: template.toJSON() as CfnTemplate };
  cache.set(file, result);
  return result;
};
