/** Model Monitor's check types, plus `value_range_check`, model-care's own. */
export type ConstraintCheckType =
  | 'data_type_check'
  | 'completeness_check'
  | 'baseline_drift_check'
  | 'missing_column_check'
  | 'extra_column_check'
  | 'categorical_values_check'
  | 'value_range_check';

/** One entry of `constraint_violations.json`, exactly Model Monitor's shape. */
export interface Violation {
  readonly feature_name: string;
  readonly constraint_check_type: ConstraintCheckType;
  readonly description: string;
}

/** The same violation with the figures behind it, for our richer report and for alert severity. */
export interface ViolationDetail extends Violation {
  /** the observed figure the threshold was applied to */
  readonly value: number | null;
  readonly threshold: number | null;
}

export const toModelMonitorViolation = ({
  feature_name,
  constraint_check_type,
  description,
}: Violation): Violation => ({
  feature_name,
  constraint_check_type,
  description,
});
