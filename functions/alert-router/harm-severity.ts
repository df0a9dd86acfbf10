import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { Severity } from '../shared/config/vocabulary.ts';
import { NO_EVIDENCE, type VerdictContext } from '../shared/verdict-context.ts';
import { baseSeverity, marginOf, severityOf } from './severity-policy.ts';

/**
 * Severity from harm (issue 12, item 6), the default (`verdicts.severity: harm`):
 *
 * | violation                                     | info                | warning                                                         | critical                                   |
 * |-----------------------------------------------|---------------------|-----------------------------------------------------------------|--------------------------------------------|
 * | drift (`baseline_drift_check`, `sequential_drift_check`) | no loss known | sequential drift evidence and an estimated loss, or a confirmed loss | drift evidence and confirmed harm          |
 * | `concept_drift_check` (a change in the error)  | no loss known       | a confirmed loss                                                | confirmed harm                             |
 * | `model_error_check` (the error e-process)      |                     |                                                                 | always: it is confirmed harm               |
 * | `model_quality_check`                          |                     | a constraint fails                                              | by `alerts.criticalFactor` (a margin)      |
 *
 * A confirmed loss is labels saying so (the error e-process alarmed, or a quality constraint failed in the
 * latest quality run); confirmed harm is the error e-process's alarm; an estimated loss the label-free
 * estimate's e-process. Every other check (data quality, no data, operational, fairness) keeps the margin
 * policy of severity-policy.ts, as does every check with `verdicts.severity: margin`.
 */
const DRIFT_CHECKS: ReadonlySet<string> = new Set(['baseline_drift_check', 'sequential_drift_check']);

export const harmSeverity = (
  violation: MonitoringViolation,
  criticalFactor: number,
  evidence: VerdictContext = NO_EVIDENCE,
): Severity => {
  const check = violation.constraintCheckType;
  if (DRIFT_CHECKS.has(check)) {
    if (evidence.driftEvidence && evidence.confirmedHarm) return 'critical';
    if ((evidence.driftEvidence && evidence.estimatedLoss) || evidence.confirmedLoss) return 'warning';
    return 'info';
  }
  if (check === 'concept_drift_check') {
    if (evidence.confirmedHarm) return 'critical';
    return evidence.confirmedLoss ? 'warning' : 'info';
  }
  if (check === 'model_error_check') return 'critical';
  if (check === 'model_quality_check') {
    const margin = marginOf(violation);
    return margin !== undefined && margin >= criticalFactor ? 'critical' : baseSeverity(check);
  }
  return severityOf(violation, criticalFactor);
};

/** the model's policy: harm (the default) or the margin policy alone */
export const severityFor = (
  model: Pick<ModelConfig, 'verdicts' | 'alerts'>,
  violation: MonitoringViolation,
  evidence: VerdictContext | undefined,
): Severity =>
  model.verdicts.severity === 'harm'
    ? harmSeverity(violation, model.alerts.criticalFactor, evidence)
    : severityOf(violation, model.alerts.criticalFactor);
