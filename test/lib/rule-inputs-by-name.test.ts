import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { ModelCare } from '../../lib/model-care.ts';
import { wideFeatures } from '../support/model-fixtures.ts';
import { testApp } from './support/synth-stack.ts';

// Issue 16: rule targets carry the model's name, not its config, so a wide model no longer hits EventBridge's
// 8,192-character input limit (a 300-feature model used to be refused at synth).

// biome-ignore lint/suspicious/noExplicitAny: the example's churn model, edited as parsed JSON
const churn: any = JSON.parse(readFileSync('config/model-care.json', 'utf8')).models[0];

interface RuleTarget {
  readonly Input?: string;
  readonly InputTransformer?: { InputTemplate: string; InputPathsMap?: Record<string, string> };
}

const ruleInputs = (template: Template): string[] =>
  Object.values(template.findResources('AWS::Events::Rule')).flatMap((rule) =>
    ((rule.Properties?.Targets ?? []) as RuleTarget[]).map((target) =>
      JSON.stringify(target.InputTransformer ?? target.Input ?? null),
    ),
  );

describe('per-model rule inputs', () => {
  test('a model with 1,000 numerical features synthesizes, and every rule input is under 1 KB', () => {
    // Prepare
    const wide = { ...churn, name: 'wide', features: wideFeatures(1000) };
    const stack = new Stack(testApp(), 'WideModel');

    // Act
    new ModelCare(stack, 'Care', { models: [wide] });
    const inputs = ruleInputs(Template.fromStack(stack));

    // Assess: the retraining, schedule and event rules of the model all deliver an input, none carrying features
    expect(inputs.length).toBeGreaterThanOrEqual(7);
    for (const input of inputs) {
      expect(input.length).toBeLessThan(1024);
      expect(input).not.toContain('feature_0001');
    }
    // every rule is stack-level: the name comes from the event, never spelled out in the template
    expect(inputs.filter((input) => input.includes('\\"model\\":\\"wide\\"'))).toEqual([]);
  });
});
