import type { BinaryMetrics } from './binary-metrics.ts';
import type { MulticlassMetrics } from './multiclass-metrics.ts';
import {
  type ConstraintSection,
  METRIC_NAMES,
  type ModelQualityConstraintsJson,
  type ProblemType,
  R2_DEFINITION_KEY,
  SECTIONS,
  TEXTBOOK_R2,
} from './quality-constraints-format.ts';
import type { RegressionMetrics } from './regression-metrics.ts';

export interface SuggestOptions {
  /**
   * Also constrain the metrics Model Monitor does not compute (pr_auc, log_loss, brier_score, macro_*,
   * mape). Model Monitor's container does not know them, so leave this off for files it will read.
   * @default false
   */
  readonly extended?: boolean;
}

/**
 * Suggests model-quality constraints from baseline metrics, in Model Monitor's constraints.json format.
 *
 * As Model Monitor does, each threshold is the baseline value itself: metrics that should stay high
 * (accuracy, f1, auc, r2...) get `LessThanThreshold`, metrics that should stay low (errors, fpr, losses)
 * get `GreaterThanThreshold`. Loosen them before use if the baseline window is small. A metric whose
 * baseline is NaN (e.g. AUC with one class) gets no constraint. The regression r2 is the textbook one,
 * and says so in `additional_properties`, so it is not mistaken for Model Monitor's swapped r2.
 */
export function suggestQualityConstraints(
  baseline: BinaryMetrics,
  problem: 'BinaryClassification',
  options?: SuggestOptions,
): ModelQualityConstraintsJson;
export function suggestQualityConstraints(
  baseline: MulticlassMetrics,
  problem: 'MulticlassClassification',
  options?: SuggestOptions,
): ModelQualityConstraintsJson;
export function suggestQualityConstraints(
  baseline: RegressionMetrics,
  problem: 'Regression',
  options?: SuggestOptions,
): ModelQualityConstraintsJson;
export function suggestQualityConstraints(
  baseline: BinaryMetrics | MulticlassMetrics | RegressionMetrics,
  problem: ProblemType,
  options: SuggestOptions = {},
): ModelQualityConstraintsJson {
  const values = baseline as unknown as Record<string, unknown>;
  const section: ConstraintSection = {};
  for (const name of METRIC_NAMES[problem]) {
    if (!name.modelMonitor && options.extended !== true) continue;
    const value = values[name.key];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    section[name.file] = {
      threshold: value,
      comparison_operator:
        name.direction === 'higher-is-better' ? 'LessThanThreshold' : 'GreaterThanThreshold',
      ...(problem === 'Regression' && name.key === 'r2'
        ? { additional_properties: { [R2_DEFINITION_KEY]: TEXTBOOK_R2 } }
        : {}),
    };
  }
  return { version: 0.0, [SECTIONS[problem].constraints]: section };
}
