import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { ModelCare } from '../../lib/model-care.ts';
import { modelInput, wideFeatures } from '../support/model-fixtures.ts';
import { testApp } from './support/synth-stack.ts';

/** CloudFormation's quotas (AWS CloudFormation User Guide, "Quotas"): resources per stack, template body in S3 */
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_048_576;
/** IAM: an inline role policy's document, without whitespace */
const MAX_ROLE_POLICY_CHARS = 10_240;

interface Synthesized {
  readonly resources: number;
  readonly bytes: number;
  readonly byType: Record<string, number>;
  readonly largestPolicyChars: number;
}

/** `count` models of 300 numerical features each, without retraining (the shared retraining machine is s4-retrain's) */
const synthesizeFleet = (count: number): Synthesized => {
  const stack = new Stack(testApp(), `Fleet${count}`);
  new ModelCare(stack, 'Care', {
    models: Array.from({ length: count }, (_, i) =>
      modelInput(`model-${String(i + 1).padStart(3, '0')}`, { features: wideFeatures(300) }),
    ),
  });
  const json = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const resources = Object.values(json.Resources);
  const byType: Record<string, number> = {};
  for (const resource of resources) byType[resource.Type] = (byType[resource.Type] ?? 0) + 1;
  const largestPolicyChars = Math.max(
    ...resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .map((r) => JSON.stringify(r.Properties?.PolicyDocument).length),
  );
  return { resources: resources.length, bytes: JSON.stringify(json).length, byType, largestPolicyChars };
};

describe('fleet scale in the template (issue 16)', () => {
  const one = synthesizeFleet(1);
  const forty = synthesizeFleet(40);

  test('40 models of 300 features synthesize within a handful of resources of one model', () => {
    console.info(
      `1 model: ${one.resources} resources, ${one.bytes} bytes; 40 models: ${forty.resources} resources, ${forty.bytes} bytes`,
    );
    expect(forty.resources - one.resources).toBeLessThanOrEqual(5);
  });

  test('no per-model alarm, rule, dashboard, queue or subscription: their counts do not move', () => {
    for (const type of [
      'AWS::CloudWatch::Alarm',
      'AWS::Events::Rule',
      'AWS::CloudWatch::Dashboard',
      'AWS::SQS::Queue',
      'AWS::SNS::Subscription',
      'AWS::Lambda::Function',
      'AWS::Lambda::Permission',
    ]) {
      expect(forty.byType[type] ?? 0, type).toBe(one.byType[type] ?? 0);
    }
    expect(forty.byType['AWS::CloudWatch::Dashboard']).toBe(1);
  });

  test("stays well under CloudFormation's and IAM's limits with 40 models", () => {
    expect(forty.resources).toBeLessThan(MAX_RESOURCES / 2);
    expect(forty.bytes).toBeLessThan(MAX_TEMPLATE_BYTES / 4);
    expect(forty.largestPolicyChars).toBeLessThan(MAX_ROLE_POLICY_CHARS);
  });
});
