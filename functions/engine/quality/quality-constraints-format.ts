/**
 * SageMaker Model Monitor's model-quality files, and how their metric names map to model-care's.
 *
 * constraints.json:  {"version": 0.0, "<section>": {"<metric>": {"threshold": t, "comparison_operator": op}}}
 * statistics.json:   {"version": 0.0, "dataset": {"item_count": n}, "<metrics section>": {"<metric>":
 *                    {"value": v, "standard_deviation": s | "NaN"}, "confusion_matrix": {...}}}
 * violations:        {"violations": [{"metric_name", "constraint_check_type": op, "description"}]}
 */
import type { BinaryMetrics } from './binary-metrics.ts';
import type { MulticlassMetrics } from './multiclass-metrics.ts';
import type { RegressionMetrics } from './regression-metrics.ts';

export type ProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

export type ComparisonOperator =
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold';

export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
];

export interface MetricConstraintJson {
  threshold: number;
  comparison_operator: ComparisonOperator;
  /** Model Monitor writes null; model-care records its r2 definition here (see R2_DEFINITION_KEY) */
  additional_properties?: Record<string, unknown> | null;
}

export type ConstraintSection = Record<string, MetricConstraintJson>;

export interface ModelQualityConstraintsJson {
  version: number;
  binary_classification_constraints?: ConstraintSection;
  multiclass_classification_constraints?: ConstraintSection;
  regression_constraints?: ConstraintSection;
}

export interface QualityViolation {
  readonly metric_name: string;
  readonly constraint_check_type: ComparisonOperator;
  readonly description: string;
}

export type QualityMetrics = BinaryMetrics | MulticlassMetrics | RegressionMetrics;

/** the constraints and statistics sections of each problem type */
export const SECTIONS = {
  BinaryClassification: {
    constraints: 'binary_classification_constraints',
    metrics: 'binary_classification_metrics',
  },
  MulticlassClassification: {
    constraints: 'multiclass_classification_constraints',
    metrics: 'multiclass_classification_metrics',
  },
  Regression: { constraints: 'regression_constraints', metrics: 'regression_metrics' },
} as const;

/**
 * One metric as it appears in Model Monitor's files.
 * `direction` says which way is better: a metric that should stay high alarms below its threshold.
 * `modelMonitor` is false for model-care's additions, which Model Monitor itself does not compute.
 */
export interface MetricName {
  readonly file: string;
  readonly key: string;
  readonly direction: 'higher-is-better' | 'lower-is-better';
  readonly modelMonitor: boolean;
}

const higher = (file: string, key: string, modelMonitor = true): MetricName => ({
  file,
  key,
  direction: 'higher-is-better',
  modelMonitor,
});
const lower = (file: string, key: string, modelMonitor = true): MetricName => ({
  file,
  key,
  direction: 'lower-is-better',
  modelMonitor,
});

export const METRIC_NAMES: Record<ProblemType, readonly MetricName[]> = {
  BinaryClassification: [
    higher('accuracy', 'accuracy'),
    higher('precision', 'precision'),
    higher('recall', 'recall'),
    higher('f1', 'f1'),
    higher('auc', 'aucRoc'),
    higher('true_positive_rate', 'tpr'),
    lower('false_positive_rate', 'fpr'),
    higher('pr_auc', 'prAuc', false),
    lower('log_loss', 'logLoss', false),
    lower('brier_score', 'brier', false),
  ],
  MulticlassClassification: [
    higher('accuracy', 'accuracy'),
    higher('weighted_precision', 'weightedPrecision'),
    higher('weighted_recall', 'weightedRecall'),
    higher('weighted_f1', 'weightedF1'),
    higher('macro_precision', 'macroPrecision', false),
    higher('macro_recall', 'macroRecall', false),
    higher('macro_f1', 'macroF1', false),
  ],
  Regression: [
    lower('mae', 'mae'),
    lower('mse', 'mse'),
    lower('rmse', 'rmse'),
    higher('r2', 'r2'),
    lower('mape', 'mape', false),
  ],
};

/**
 * Key in a constraint's `additional_properties` where model-care writes which r2 it means. Model Monitor
 * leaves `additional_properties` null, so an r2 constraint without this key is taken as Model Monitor's.
 */
export const R2_DEFINITION_KEY = 'r2_definition';
export const TEXTBOOK_R2 = 'r2_score(y_true, y_pred)';
