import type { MonitoringCheckType } from '../handler-kit/monitoring-violation.ts';

/**
 * Every check kind a run can report, each with its page `docs/runbooks/<check>.md` (meaning, causes, how to
 * confirm, how to fix or silence). A test fails when a kind has no page or a page no kind.
 */
export const RUNBOOK_CHECKS = [
  'data_type_check',
  'completeness_check',
  'baseline_drift_check',
  'missing_column_check',
  'extra_column_check',
  'categorical_values_check',
  'value_range_check',
  'no_data_check',
  'capture_readability_check',
  'model_quality_check',
  'concept_drift_check',
  'fairness_check',
  'operational_check',
  'sequential_drift_check',
  'model_error_check',
] as const satisfies readonly MonitoringCheckType[];

// every kind a run reports has a runbook: this fails to compile when MonitoringCheckType gains one without it
type WithoutRunbook = Exclude<MonitoringCheckType, (typeof RUNBOOK_CHECKS)[number]>;
export const EVERY_CHECK_HAS_A_RUNBOOK: [WithoutRunbook] extends [never] ? true : never = true;

/** `<base>/<check>.md`, with the base's trailing slashes dropped */
export const runbookUrl = (base: string, check: MonitoringCheckType): string =>
  `${base.replace(/\/+$/, '')}/${encodeURIComponent(check)}.md`;
