import type { ModelConfig, ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';

/**
 * Model configs for the model-store, admin API, CLI and seeding tests: a small valid model (the shape of
 * config/model-care.json's churn), with overrides, and wide ones for the 1,000-feature limit.
 */
export const modelInput = (name: string, overrides: Partial<ModelConfigInput> = {}): ModelConfigInput => ({
  name,
  problemType: 'binary',
  endpoint: { name: `${name}-endpoint`, variant: 'AllTraffic' },
  features: [
    { name: 'tenure_months', type: 'numerical' },
    { name: 'contract', type: 'categorical' },
  ],
  outputs: [{ name: 'churn_probability', role: 'score' }],
  baseline: { datasetUri: `s3://example-ml-data/${name}/baseline/train.csv` },
  ...overrides,
});

export const model = (name: string, overrides: Partial<ModelConfigInput> = {}): ModelConfig =>
  parseModelConfig(modelInput(name, overrides), `fixture ${name}`);

/** `count` numerical features named `<prefix>_0001` ... */
export const wideFeatures = (count: number, prefix = 'feature') =>
  Array.from({ length: count }, (_, i) => ({
    name: `${prefix}_${String(i + 1).padStart(4, '0')}`,
    type: 'numerical' as const,
  }));

export const retraining = (name: string) => ({
  trainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  inputChannels: [
    { name: 'train', s3Uri: `s3://example-ml-data/${name}/train/` },
    { name: 'validation', s3Uri: `s3://example-ml-data/${name}/validation/` },
  ],
});
