import { describe, expect, it } from 'vitest';
import { harmSeverity, severityFor } from '../../functions/alert-router/harm-severity.ts';
import type { MonitoringViolation } from '../../functions/handler-kit/monitoring-violation.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { NO_EVIDENCE, type VerdictContext } from '../../functions/shared/verdict-context.ts';

const violation = (check: string, value?: number, threshold?: number): MonitoringViolation => ({
  featureName: 'x',
  constraintCheckType: check as MonitoringViolation['constraintCheckType'],
  description: '',
  ...(value === undefined ? {} : { value }),
  ...(threshold === undefined ? {} : { threshold }),
});
const context = (over: Partial<VerdictContext>): VerdictContext => ({ ...NO_EVIDENCE, ...over });

describe('severity from harm', () => {
  it.each([
    [
      'drift far past its threshold, no loss known',
      violation('baseline_drift_check', 0.9, 0.1),
      NO_EVIDENCE,
      'info',
    ],
    [
      'sequential drift evidence alone',
      violation('sequential_drift_check', 500, 20),
      context({ driftEvidence: true }),
      'info',
    ],
    [
      'drift evidence and an estimated loss',
      violation('baseline_drift_check', 0.2, 0.1),
      context({ driftEvidence: true, estimatedLoss: true }),
      'warning',
    ],
    [
      'an estimated loss without drift evidence',
      violation('baseline_drift_check', 0.2, 0.1),
      context({ estimatedLoss: true }),
      'info',
    ],
    [
      'drift and a confirmed loss',
      violation('baseline_drift_check', 0.2, 0.1),
      context({ confirmedLoss: true }),
      'warning',
    ],
    [
      'drift evidence and confirmed harm',
      violation('sequential_drift_check', 500, 20),
      context({ driftEvidence: true, confirmedLoss: true, confirmedHarm: true }),
      'critical',
    ],
    ['a change in the error stream, no loss', violation('concept_drift_check', 0.3), NO_EVIDENCE, 'info'],
    [
      'a change in the error stream with a confirmed loss',
      violation('concept_drift_check', 0.3),
      context({ confirmedLoss: true }),
      'warning',
    ],
    ['the error e-process alarming', violation('model_error_check', 40, 20), NO_EVIDENCE, 'critical'],
    [
      'a quality constraint failing slightly',
      violation('model_quality_check', 0.74, 0.75),
      NO_EVIDENCE,
      'warning',
    ],
    [
      'a quality constraint failing by a margin',
      violation('model_quality_check', 0.2, 0.75),
      NO_EVIDENCE,
      'critical',
    ],
    ['an empty window (not drift: margin policy)', violation('no_data_check', 0), NO_EVIDENCE, 'warning'],
    ['an extra column (not drift: margin policy)', violation('extra_column_check'), NO_EVIDENCE, 'info'],
  ])('%s: %s', (_, v, evidence, expected) => {
    expect(harmSeverity(v, 2, evidence)).toBe(expected);
  });

  it('keeps the margin policy when the model asks for it', () => {
    const base = {
      name: 'm',
      problemType: 'binary',
      features: [{ name: 'x', type: 'numerical' }],
      outputs: [{ name: 's', role: 'score' }],
      baseline: { datasetUri: 's3://bucket/x.csv' },
    };
    const drift = violation('baseline_drift_check', 0.9, 0.1);
    expect(severityFor(parseModelConfig(base), drift, undefined)).toBe('info');
    expect(
      severityFor(parseModelConfig({ ...base, verdicts: { severity: 'margin' } }), drift, undefined),
    ).toBe('critical');
  });
});
