import { InputError } from '../errors.ts';
import {
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  METRIC_NAMES,
  type ProblemType,
  R2_DEFINITION_KEY,
  SECTIONS,
  TEXTBOOK_R2,
} from './quality-constraints-format.ts';

/** One threshold on one metric. */
export interface QualityConstraint {
  /** the metric's name in the file, e.g. `auc`, `weighted_f1`, `rmse` */
  readonly metric: string;
  /** the model-care metric it applies to (`aucRoc`, `weightedF1`...); undefined if model-care does not compute it */
  readonly key: string | undefined;
  readonly threshold: number;
  readonly operator: ComparisonOperator;
  /**
   * True for an r2 from Model Monitor, which computes `r2_score(y_pred, y_true)` (arguments swapped):
   * its threshold must be compared with `RegressionAccumulator.modelMonitorR2()`, not the textbook r2.
   */
  readonly swappedR2?: boolean;
}

export interface QualityConstraints {
  readonly problem: ProblemType;
  readonly constraints: QualityConstraint[];
  /** things the user should know about the file, e.g. the swapped r2; safe to show as they are */
  readonly warnings: string[];
}

export interface LoadOptions {
  /** the file name, for error messages @default '<constraints>' */
  readonly file?: string;
  /**
   * Which r2 a regression file means. 'auto': the textbook r2 when model-care's `additional_properties`
   * marker says so, else Model Monitor's swapped r2.
   * @default 'auto'
   */
  readonly r2?: 'auto' | 'model-monitor' | 'textbook';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const PROBLEMS = Object.keys(SECTIONS) as ProblemType[];

/**
 * Parses a model-quality constraints.json, as Model Monitor's baselining job writes it or as
 * `suggestQualityConstraints` does. Exactly one of `binary_classification_constraints`,
 * `multiclass_classification_constraints`, `regression_constraints` must be present; each metric needs
 * a finite `threshold` and a known `comparison_operator`. Unknown metric names are kept (with `key`
 * undefined) so that checking can report them as skipped rather than lose them silently.
 * Throws InputError, naming the file and the field, on anything malformed.
 */
export const loadQualityConstraints = (json: unknown, options: LoadOptions = {}): QualityConstraints => {
  const file = options.file ?? '<constraints>';
  const fail = (field: string, reason: string): never => {
    throw new InputError({ file, field }, reason);
  };
  if (!isRecord(json)) return fail('$', 'expected a JSON object');
  const present = PROBLEMS.filter((p) => json[SECTIONS[p].constraints] !== undefined);
  if (present.length !== 1) {
    return fail(
      '$',
      `expected exactly one of ${PROBLEMS.map((p) => SECTIONS[p].constraints).join(', ')}, found ${present.length}`,
    );
  }
  const problem = present[0]!;
  const sectionName = SECTIONS[problem].constraints;
  const section = json[sectionName];
  if (!isRecord(section)) return fail(sectionName, 'expected an object of metric constraints');

  const known = new Map(METRIC_NAMES[problem].map((n) => [n.file, n.key]));
  const constraints: QualityConstraint[] = [];
  const warnings: string[] = [];
  for (const [metric, raw] of Object.entries(section)) {
    const field = `${sectionName}.${metric}`;
    if (!isRecord(raw)) return fail(field, 'expected an object with threshold and comparison_operator');
    const threshold = raw.threshold;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
      return fail(`${field}.threshold`, `expected a finite number, got ${JSON.stringify(threshold)}`);
    }
    const operator = raw.comparison_operator;
    if (typeof operator !== 'string' || !COMPARISON_OPERATORS.includes(operator as ComparisonOperator)) {
      return fail(
        `${field}.comparison_operator`,
        `expected one of ${COMPARISON_OPERATORS.join(', ')}, got ${JSON.stringify(operator)}`,
      );
    }
    const constraint: QualityConstraint = {
      metric,
      key: known.get(metric),
      threshold,
      operator: operator as ComparisonOperator,
    };
    if (problem === 'Regression' && metric === 'r2' && isSwappedR2(raw, options.r2 ?? 'auto')) {
      constraints.push({ ...constraint, swappedR2: true });
      warnings.push(
        `${field}: Model Monitor's r2 is r2_score(y_pred, y_true), with the arguments swapped; ` +
          `threshold ${threshold} is compared with that figure, while model-care reports the textbook ` +
          `r2_score(y_true, y_pred)`,
      );
    } else {
      constraints.push(constraint);
    }
  }
  return { problem, constraints, warnings };
};

const isSwappedR2 = (raw: Record<string, unknown>, mode: 'auto' | 'model-monitor' | 'textbook'): boolean => {
  if (mode !== 'auto') return mode === 'model-monitor';
  const extra = raw.additional_properties;
  return !(isRecord(extra) && extra[R2_DEFINITION_KEY] === TEXTBOOK_R2);
};
