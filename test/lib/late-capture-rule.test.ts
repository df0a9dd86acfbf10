import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { ModelCare } from '../../lib/model-care.ts';
import { matchesPattern } from '../../local/events/event-pattern.ts';
import { testApp } from './support/synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: the cases below edit parts of a parsed JSON file
type Json = any;

const churn: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8')).models[0];
const { retraining: _retraining, ...plain } = churn;

const stack = new Stack(testApp(), 'LateCaptureRules');
const care = new ModelCare(stack, 'Care', {
  models: [plain, { ...plain, name: 'churn-live', capture: { s3Uri: 's3://acme-capture/datacapture' } }],
});
const template = Template.fromStack(stack);
const bucketId = stack.getLogicalId(care.store.bucket.node.defaultChild as never);
const handlerId = stack.getLogicalId(care.lateCapture.handler.function.node.defaultChild as never);

/** the rules that target the late-capture function, their bucket Ref resolved to a name */
const rules = (): Json[] =>
  Object.values(template.findResources('AWS::Events::Rule'))
    .filter((rule: Json) => JSON.stringify(rule.Properties.Targets).includes(handlerId))
    .map((rule: Json) =>
      JSON.parse(
        JSON.stringify(rule.Properties.EventPattern).replaceAll(`{"Ref":"${bucketId}"}`, '"stack-bucket"'),
      ),
    );

const objectCreated = (bucket: string, key: string) => ({
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: bucket }, object: { key } },
});

describe('late capture rules', () => {
  test.each<[string, string, string, boolean]>([
    [
      'a capture object of the stack bucket',
      'stack-bucket',
      'capture/churn-xgboost/AllTraffic/2026/03/01/10/a.jsonl',
      true,
    ],
    ['a label of the stack bucket', 'stack-bucket', 'ground-truth/churn/2026/03/01/10/a.jsonl', false],
    [
      'a capture object of a capture.s3Uri bucket',
      'acme-capture',
      'datacapture/churn-xgboost/AllTraffic/2026/03/01/10/a.jsonl',
      true,
    ],
    ['an object elsewhere in that bucket', 'acme-capture', 'exports/a.csv', false],
    ['another bucket', 'someone-else', 'capture/churn-xgboost/AllTraffic/2026/03/01/10/a.jsonl', false],
  ])('%s: delivered %s', (_name, bucket, key, delivered) => {
    expect(rules().some((pattern) => matchesPattern(pattern, objectCreated(bucket, key)))).toBe(delivered);
  });

  test('the function may read models and runs, take locks and put events, with the dispatch period set', () => {
    const fn = template.toJSON().Resources[handlerId] as Json;
    expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([
        'MODEL_CARE_CAPTURE_BUCKET',
        'MODEL_CARE_DISPATCH_EVERY_MINUTES',
        'MODEL_CARE_STATE_TABLE',
      ]),
    );
    expect(fn.Properties.Environment.Variables.MODEL_CARE_DISPATCH_EVERY_MINUTES).toBe('5');
  });
});
