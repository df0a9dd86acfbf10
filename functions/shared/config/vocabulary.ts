/**
 * The words a model-care config is written in: severities, problem types, metric names and their direction,
 * Model Monitor's comparison operators, CloudWatch's log retentions and the label horizon's default.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 1 (info) to 3 (critical): a higher severity breaks through an alert's cooldown (stored in the state table) */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity) + 1;

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);

export const PROBLEM_TYPES = ['binary', 'multiclass', 'regression'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** quality metric names per problem type, as the quality job reports them (issue 6) */
export const QUALITY_METRICS = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'aucRoc', 'prAuc', 'logLoss', 'brier', 'tpr', 'fpr'],
  multiclass: [
    'accuracy',
    'macroPrecision',
    'macroRecall',
    'macroF1',
    'weightedPrecision',
    'weightedRecall',
    'weightedF1',
  ],
  regression: ['mae', 'mse', 'rmse', 'r2', 'mape'],
} as const satisfies Record<ProblemType, readonly string[]>;

/** the metric a challenger must beat the champion on, unless `retraining.primaryMetric` says otherwise */
export const DEFAULT_PRIMARY_METRIC: Record<ProblemType, string> = {
  binary: 'aucRoc',
  multiclass: 'macroF1',
  regression: 'rmse',
};

/** metrics where smaller is better; the evaluate step and the alarms need the direction */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'logLoss',
  'brier',
  'fpr',
  'mae',
  'mse',
  'rmse',
  'mape',
]);

/** Model Monitor's comparison operators; a constraint is violated when `metric <operator> threshold` holds */
export const COMPARISON_OPERATORS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

/** retention periods CloudWatch Logs accepts */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * How late labels may arrive, in hours, unless `quality.labelHorizonHours` says otherwise
 * (functions/handler-kit/label-horizon.ts explains the rule both the quality job and ground-truth ingest follow).
 */
export const DEFAULT_LABEL_HORIZON_HOURS = 48;
