import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../lib/config.ts';
import { ModelCare } from '../../lib/model-care.ts';
import { testApp } from './support/synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: the cases below edit parts of a parsed JSON file
type Json = any;

const churn: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8')).models[0];
const { retraining: _retraining, ...plain } = churn;
/** a second model like the example's churn model, under another name */
const other = (name: string, changes: Record<string, unknown> = {}): Json => ({ ...plain, name, ...changes });

const synth = (models: Json[]): string => {
  try {
    new ModelCare(new Stack(testApp(), `Folders${Math.random().toString(36).slice(2, 8)}`), 'Care', {
      models,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return 'synthesized';
};

describe('each model reads its own capture folder', () => {
  test.each<[string, Json[], string]>([
    [
      'two models on the same endpoint and variant',
      [churn, other('churn-shadow')],
      'ModelCare props: models[1].capture: model "churn-shadow" reads capture/churn-xgboost/AllTraffic/, the same ' +
        'capture folder as model "churn" (models[0], capture/churn-xgboost/AllTraffic/): set capture.endpointName, ' +
        'capture.variantName or capture.s3Uri so that each model reads its own',
    ],
    [
      "a model whose capture.endpointName is another model's default folder",
      [
        other('scorer', { endpoint: undefined }),
        other('rescorer', { endpoint: undefined, capture: { endpointName: 'scorer' } }),
      ],
      'ModelCare props: models[1].capture: model "rescorer" reads capture/scorer/AllTraffic/, the same capture ' +
        'folder as model "scorer" (models[0], capture/scorer/AllTraffic/): set capture.endpointName, ' +
        'capture.variantName or capture.s3Uri so that each model reads its own',
    ],
    [
      'two models reading the same capture.s3Uri folder of another bucket',
      [
        other('scorer', { capture: { s3Uri: 's3://acme-capture/datacapture' } }),
        other('rescorer', { capture: { s3Uri: 's3://acme-capture/datacapture/' } }),
      ],
      'ModelCare props: models[1].capture: model "rescorer" reads s3://acme-capture/datacapture/churn-xgboost/' +
        'AllTraffic/, the same capture folder as model "scorer" (models[0], s3://acme-capture/datacapture/' +
        'churn-xgboost/AllTraffic/): set capture.endpointName, capture.variantName or capture.s3Uri so that each ' +
        'model reads its own',
    ],
    [
      "a model whose capture.s3Uri is nested in another model's folder",
      [
        other('scorer', { capture: { s3Uri: 's3://acme-capture/dc' } }),
        other('rescorer', { capture: { s3Uri: 's3://acme-capture/dc/churn-xgboost/AllTraffic/more' } }),
      ],
      'ModelCare props: models[1].capture: model "rescorer" reads s3://acme-capture/dc/churn-xgboost/AllTraffic/' +
        'more/churn-xgboost/AllTraffic/, a capture folder overlapping model "scorer" (models[0], ' +
        's3://acme-capture/dc/churn-xgboost/AllTraffic/): set capture.endpointName, capture.variantName or ' +
        'capture.s3Uri so that each model reads its own',
    ],
  ])('rejects %s at synth, in one line naming both models and the field', (_name, models, message) => {
    expect(synth(models)).toBe(message);
  });

  test.each<[string, Json]>([
    ['the same endpoint in another bucket', { capture: { s3Uri: 's3://acme-capture/datacapture' } }],
    ['the same bucket under another prefix', { capture: { s3Uri: 's3://acme-capture/other' } }],
  ])('%s is another folder', (_name, changes) => {
    const elsewhere = other('churn-elsewhere', { capture: { s3Uri: 's3://acme-capture/datacapture' } });
    expect(
      synth([changes.capture.s3Uri.endsWith('other') ? elsewhere : churn, other('churn-b', changes)]),
    ).toBe('synthesized');
  });

  test.each<[string, Json, string]>([
    [
      'a capture.s3Uri that is not an S3 URI',
      { s3Uri: 'https://acme-capture.s3.amazonaws.com/datacapture' },
      'ModelCare props: models[0].capture.s3Uri: "https://acme-capture.s3.amazonaws.com/datacapture" is not an ' +
        's3://bucket/prefix URI (lowercase bucket name, no empty path segment)',
    ],
    [
      'a capture.s3Uri with an empty path segment',
      { s3Uri: 's3://acme-capture//datacapture' },
      'ModelCare props: models[0].capture.s3Uri: "s3://acme-capture//datacapture" is not an s3://bucket/prefix URI ' +
        '(lowercase bucket name, no empty path segment)',
    ],
    [
      'a capture.kmsKeyArn that is an alias',
      { s3Uri: 's3://acme-capture/datacapture', kmsKeyArn: 'alias/capture' },
      'ModelCare props: models[0].capture.kmsKeyArn: "alias/capture" is not a KMS key ARN ' +
        '(arn:aws:kms:<region>:<account>:key/<key id>)',
    ],
    [
      'a capture.kmsKeyArn without capture.s3Uri',
      { kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      'ModelCare props: models[0].capture.kmsKeyArn: ' +
        '"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" needs capture.s3Uri: capture ' +
        "in the stack's bucket is encrypted with the stack's key",
    ],
  ])('rejects %s at synth, in one line naming the field', (_name, capture, message) => {
    expect(synth([other('scorer', { capture })])).toBe(message);
  });

  test('two variants of one endpoint are two folders', () => {
    expect(synth([churn, other('churn-b', { endpoint: { name: 'churn-xgboost', variant: 'B' } })])).toBe(
      'synthesized',
    );
  });
});
