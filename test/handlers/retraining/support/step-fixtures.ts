import type { ModelConfig, ModelConfigInput } from '../../../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../../../functions/shared/config/parse-config.ts';
import type { ExecutionRef } from '../../../../functions/shared/retraining-contract.ts';

/** a binary model on two numeric features, as the state machine passes it (already parsed) */
export const stepModel = (overrides: Partial<ModelConfigInput> = {}, retraining: object = {}): ModelConfig =>
  parseModelConfig({
    name: 'churn',
    problemType: 'binary',
    endpoint: { name: 'churn-ep' },
    features: [
      { name: 'x1', type: 'numerical' },
      { name: 'x2', type: 'numerical' },
    ],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://sources/churn/baseline.csv' },
    ...overrides,
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1',
      hyperparameters: { depth: 3 },
      inputChannels: [{ name: 'train', s3Uri: 's3://sources/churn/train/' }],
      approval: 'auto',
      ...retraining,
    },
  });

export const execution = (name = 'exec-1', startTime = '2026-11-23T08:00:00Z'): ExecutionRef => ({
  id: `arn:aws:states:us-east-1:123456789012:execution:churn-retraining:${name}`,
  name,
  startTime,
});

export const HOUR = 3_600_000;
export const at = (iso: string) => new Date(iso);
