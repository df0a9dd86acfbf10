import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import { type Severity, severityRank } from '../shared/config/vocabulary.ts';
import type { ClassifiedViolation } from './alert-message.ts';
import { maxSeverity } from './severity-policy.ts';

/** a violation as the event carries it (figures may be null) */
export interface ReportedViolation {
  readonly featureName: string;
  readonly constraintCheckType: string;
  readonly description: string;
  readonly value?: number | null;
  readonly threshold?: number | null;
}

export interface ClassifiedRun {
  /** every violation with its severity, worst first */
  readonly violations: readonly ClassifiedViolation[];
  /** the same, by check, in the order of their worst violation */
  readonly byCheck: ReadonlyMap<string, readonly ClassifiedViolation[]>;
  /** the worst severity of the run */
  readonly severity: Severity;
}

/**
 * Grades every violation of a run with the model's policy (harm-severity.ts `severityFor`: harm-aware, or the
 * margin policy of severity-policy.ts) and groups them by check.
 */
export const classifyViolations = (
  reported: readonly ReportedViolation[],
  grade: (violation: MonitoringViolation) => Severity,
): ClassifiedRun => {
  const violations: ClassifiedViolation[] = reported
    .map(
      (v): MonitoringViolation => ({
        featureName: v.featureName,
        constraintCheckType: v.constraintCheckType as MonitoringViolation['constraintCheckType'],
        description: v.description,
        ...(v.value === undefined || v.value === null ? {} : { value: v.value }),
        ...(v.threshold === undefined || v.threshold === null ? {} : { threshold: v.threshold }),
      }),
    )
    .map((v) => ({ ...v, severity: grade(v) }))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const byCheck = new Map<string, ClassifiedViolation[]>();
  for (const v of violations)
    byCheck.set(v.constraintCheckType, [...(byCheck.get(v.constraintCheckType) ?? []), v]);
  return { violations, byCheck, severity: maxSeverity(violations.map((v) => v.severity)) };
};
