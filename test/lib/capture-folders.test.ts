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
        'capture folder as model "churn" (models[0], capture/churn-xgboost/AllTraffic/): set capture.endpointName ' +
        'or capture.variantName so that each model reads its own',
    ],
    [
      "a model whose capture.endpointName is another model's default folder",
      [
        other('scorer', { endpoint: undefined }),
        other('rescorer', { endpoint: undefined, capture: { endpointName: 'scorer' } }),
      ],
      'ModelCare props: models[1].capture: model "rescorer" reads capture/scorer/AllTraffic/, the same capture ' +
        'folder as model "scorer" (models[0], capture/scorer/AllTraffic/): set capture.endpointName or ' +
        'capture.variantName so that each model reads its own',
    ],
  ])('rejects %s at synth, in one line naming both models and the field', (_name, models, message) => {
    expect(synth(models)).toBe(message);
  });

  test('two variants of one endpoint are two folders', () => {
    expect(synth([churn, other('churn-b', { endpoint: { name: 'churn-xgboost', variant: 'B' } })])).toBe(
      'synthesized',
    );
  });
});
