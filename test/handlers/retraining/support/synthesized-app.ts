import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelCareConfigInput } from '../../../../functions/shared/config/model-care-schema.ts';
import type { ModelConfigInput } from '../../../../functions/shared/config/model-schema.ts';
import { synthesizeLocalStack } from '../../../../local/runtime/local-stack.ts';
import type { SynthesizedApp } from '../../../../local/step-functions/retraining-machine.ts';

export const SOURCES_BUCKET = 'training-sources';
export const TRAINING_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/threshold-trainer:1';

/** a binary model on two numeric features behind an endpoint, retraining from one channel */
const testModel = (name: string, approval: 'auto' | 'manual'): ModelConfigInput => ({
  name,
  problemType: 'binary',
  endpoint: { name: `${name}-ep`, variant: 'AllTraffic' },
  features: [
    { name: 'x1', type: 'numerical' },
    { name: 'x2', type: 'numerical' },
  ],
  outputs: [{ name: 'score', role: 'score' }],
  baseline: { datasetUri: `s3://${SOURCES_BUCKET}/${name}/baseline.csv` },
  // automatic approval needs its label producers named (issue 11.1)
  producers: { labels: ['arn:aws:iam::123456789012:role/labelling'] },
  retraining: {
    trainingImage: TRAINING_IMAGE,
    hyperparameters: { steepness: 6 },
    inputChannels: [{ name: 'train', s3Uri: `s3://${SOURCES_BUCKET}/${name}/train/` }],
    holdoutFraction: 0.25,
    approval,
    cooldownHours: 0,
    maxRunsPerDay: 100,
    // the local SageMaker's guardrails read this alarm's state (LocalSageMaker.setAlarmState)
    deployment: { rollbackAlarms: [`${name}-5xx`] },
  },
});

export const TEST_CONFIG: ModelCareConfigInput = {
  stackName: 'RetrainingTest',
  models: [testModel('auto-model', 'auto'), testModel('manual-model', 'manual')],
};

let cached: SynthesizedApp | undefined;

/**
 * The CDK app synthesized once per test file with TEST_CONFIG, through the local runtime's own synthesis
 * (local/runtime/local-stack.ts). CloudFormation's template validation is skipped (CDK_VALIDATION=false):
 * it costs seconds and checks nothing the runner uses.
 */
export const synthesizedApp = (): SynthesizedApp => {
  if (cached) return cached;
  const file = join(mkdtempSync(join(tmpdir(), 'model-care-retraining-')), 'config.json');
  writeFileSync(file, JSON.stringify(TEST_CONFIG));
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    cached = synthesizeLocalStack(file);
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
  return cached;
};
