import { describe, expect, it } from 'vitest';
import type { ClassifiedViolation } from '../../functions/alert-router/alert-message.ts';
import { decideRetraining } from '../../functions/alert-router/retraining-trigger.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';

const model = (retraining: Record<string, unknown> = {}) =>
  parseModelConfig({
    name: 'rain',
    problemType: 'binary',
    features: [{ name: 'wind', type: 'numerical' }],
    outputs: [{ name: 'p', role: 'score' }],
    baseline: { datasetUri: 's3://data-bucket/rain.csv' },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/rain:1',
      inputChannels: [{ name: 'train', s3Uri: 's3://data-bucket/train/' }],
      ...retraining,
    },
  });

const violation = (check: string, severity: ClassifiedViolation['severity']): ClassifiedViolation => ({
  featureName: check === 'model_quality_check' ? 'aucRoc' : 'wind',
  constraintCheckType: check as ClassifiedViolation['constraintCheckType'],
  description: 'x',
  severity,
});

describe('decideRetraining', () => {
  it.each([
    [
      'critical input drift alone, default triggers',
      [violation('baseline_drift_check', 'critical')],
      [],
      false,
    ],
    [
      'a first quality warning',
      [violation('model_quality_check', 'warning')],
      [{ check: 'model_quality_check', since: 'h7', runs: 1 }],
      false,
    ],
    [
      'a quality warning in its second window',
      [violation('model_quality_check', 'warning')],
      [{ check: 'model_quality_check', since: 'h7', runs: 2 }],
      true,
    ],
    ['a critical quality violation', [violation('model_quality_check', 'critical')], [], true],
    [
      'concept drift, persistent',
      [violation('concept_drift_check', 'warning')],
      [{ check: 'concept_drift_check', since: 'h6', runs: 3 }],
      true,
    ],
  ])('%s -> %s', (_name, violations, streaks, expected) => {
    expect(decideRetraining(model(), violations, streaks).request).toBe(expected);
  });

  it('retrains on input drift when the model opts in', () => {
    const decision = decideRetraining(
      model({ triggerChecks: ['baseline_drift_check'] }),
      [violation('baseline_drift_check', 'critical')],
      [],
    );
    expect(decision).toEqual({ request: true, reason: 'critical baseline_drift_check (wind)' });
  });

  it('never retrains automatically when startOnCritical is false', () => {
    const decision = decideRetraining(
      model({ startOnCritical: false }),
      [violation('model_quality_check', 'critical')],
      [],
    );
    expect(decision.request).toBe(false);
  });

  it('rejects an unknown trigger check in the config', () => {
    expect(() => model({ triggerChecks: ['vibes_check'] })).toThrow(/triggerChecks/);
  });
});
