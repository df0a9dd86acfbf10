import { InputError } from '../errors.ts';
import type { BinaryMetrics } from './binary-metrics.ts';
import type { MulticlassMetrics } from './multiclass-metrics.ts';
import {
  METRIC_NAMES,
  type ProblemType,
  type QualityMetrics,
  SECTIONS,
} from './quality-constraints-format.ts';

/** `{"value": v, "standard_deviation": s}`; Model Monitor writes "NaN" when it has no deviation */
export interface MetricStatisticJson {
  value: number;
  standard_deviation: number | 'NaN';
}

export type ConfusionMatrixJson = Record<string, Record<string, number>>;

export interface ModelQualityStatisticsJson {
  version: number;
  dataset: { item_count: number };
  [section: string]: unknown;
}

export interface StatisticsOptions {
  /** also write metrics Model Monitor does not compute (pr_auc, log_loss...) @default false */
  readonly extended?: boolean;
}

/** outer key the true label, inner key the predicted label, as in Model Monitor's statistics */
const confusionJson = (
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
): ConfusionMatrixJson =>
  Object.fromEntries(
    labels.map((a, i) => [a, Object.fromEntries(labels.map((p, j) => [p, matrix[i]![j]!]))]),
  );

/**
 * Writes metrics as a Model Monitor model-quality statistics.json. `standard_deviation` is "NaN": Model
 * Monitor estimates it by resampling, which model-care does not do. Undefined (NaN) metrics are left out.
 * Regression r2 is model-care's textbook r2, not Model Monitor's swapped one.
 */
export const qualityStatistics = (
  metrics: QualityMetrics,
  problem: ProblemType,
  itemCount: number,
  options: StatisticsOptions = {},
): ModelQualityStatisticsJson => {
  const values = metrics as unknown as Record<string, unknown>;
  const section: Record<string, unknown> = {};
  if (problem === 'BinaryClassification') {
    section.confusion_matrix = confusionJson(['0', '1'], (metrics as BinaryMetrics).confusionMatrix);
  } else if (problem === 'MulticlassClassification') {
    const m = metrics as MulticlassMetrics;
    section.confusion_matrix = confusionJson(m.labels, m.confusionMatrix);
  }
  for (const name of METRIC_NAMES[problem]) {
    if (!name.modelMonitor && options.extended !== true) continue;
    const value = values[name.key];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    section[name.file] = { value, standard_deviation: 'NaN' } satisfies MetricStatisticJson;
  }
  return { version: 0.0, dataset: { item_count: itemCount }, [SECTIONS[problem].metrics]: section };
};

/** What a model-quality statistics.json says, by Model Monitor metric name. */
export interface QualityStatistics {
  readonly problem: ProblemType;
  readonly itemCount: number | undefined;
  /** metric name in the file -> value; a Model Monitor `r2` here is its swapped r2_score(y_pred, y_true) */
  readonly values: Record<string, number>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the metric values of a model-quality statistics.json (Model Monitor's or model-care's). */
export const readQualityStatistics = (json: unknown, file = '<statistics>'): QualityStatistics => {
  if (!isRecord(json)) throw new InputError({ file, field: '$' }, 'expected a JSON object');
  const problems = (Object.keys(SECTIONS) as ProblemType[]).filter((p) =>
    isRecord(json[SECTIONS[p].metrics]),
  );
  if (problems.length !== 1) {
    throw new InputError(
      { file, field: '$' },
      `expected exactly one metrics section, found ${problems.length}`,
    );
  }
  const problem = problems[0]!;
  const section = json[SECTIONS[problem].metrics] as Record<string, unknown>;
  const values: Record<string, number> = {};
  for (const [metric, entry] of Object.entries(section)) {
    // curves and the confusion matrix have no single value
    if (isRecord(entry) && typeof entry.value === 'number') values[metric] = entry.value;
  }
  const dataset = json.dataset;
  const itemCount =
    isRecord(dataset) && typeof dataset.item_count === 'number' ? dataset.item_count : undefined;
  return { problem, itemCount, values };
};
