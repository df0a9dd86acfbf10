import { InputError } from '../errors.ts';
import { divideOrZero, requireSameLength } from './input-checks.ts';
import { sortLabels } from './label-order.ts';

/**
 * Multiclass metrics with scikit-learn's definitions (checked against sklearn 1.2).
 *
 * `labels` is the sorted union of true and predicted labels (sklearn's `unique_labels`), in code-point
 * order; labels are strings, so "10" sorts before "9". `confusionMatrix[i][j]` counts records whose true
 * label is `labels[i]` and predicted label `labels[j]`. Per-class precision, recall and F1 are 0 when their
 * denominator is 0 (zero_division="warn"); macro averages weigh every label equally, including one that
 * is only ever predicted; weighted averages weigh by true support. With no records the rates are NaN.
 */
export interface MulticlassMetrics {
  readonly accuracy: number;
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
  readonly weightedPrecision: number;
  readonly weightedRecall: number;
  readonly weightedF1: number;
  readonly confusionMatrix: number[][];
  readonly labels: string[];
}

/** true label -> predicted label -> count */
export type MulticlassAccumulatorJson = Record<string, Record<string, number>>;

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

const weightedMean = (values: readonly number[], weights: readonly number[]): number => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    num += values[i]! * weights[i]!;
    den += weights[i]!;
  }
  return num / den;
};

/** Streaming multiclass accumulator: a sparse confusion table, O(labels^2) memory, merges exactly. */
export class MulticlassAccumulator {
  private readonly counts = new Map<string, Map<string, number>>();
  private total = 0;

  /** number of records added */
  get count(): number {
    return this.total;
  }

  /** Adds one record, or `times` identical ones. */
  add(actual: string, predicted: string, times = 1): void {
    if (typeof actual !== 'string' || typeof predicted !== 'string') {
      throw new InputError({ file: '<quality input>', field: 'label' }, 'multiclass labels must be strings');
    }
    if (!Number.isInteger(times) || times < 0) {
      throw new InputError(
        { file: '<quality input>', field: 'count' },
        `expected a count >= 0, got ${times}`,
      );
    }
    let row = this.counts.get(actual);
    if (row === undefined) {
      row = new Map();
      this.counts.set(actual, row);
    }
    row.set(predicted, (row.get(predicted) ?? 0) + times);
    this.total += times;
  }

  /** Adds parallel arrays of true and predicted labels. */
  addAll(actual: readonly string[], predicted: readonly string[]): this {
    requireSameLength(actual, predicted, 'predicted');
    for (let i = 0; i < actual.length; i++) this.add(actual[i]!, predicted[i]!);
    return this;
  }

  /** Folds another accumulator into this one. */
  merge(other: MulticlassAccumulator): this {
    for (const [actual, row] of other.counts) for (const [pred, n] of row) this.add(actual, pred, n);
    return this;
  }

  /** The metrics of everything added so far. */
  metrics(): MulticlassMetrics {
    const seen = new Set<string>();
    for (const [actual, row] of this.counts) {
      seen.add(actual);
      for (const pred of row.keys()) seen.add(pred);
    }
    const labels = sortLabels(seen);
    const matrix = labels.map((a) => labels.map((p) => this.counts.get(a)?.get(p) ?? 0));
    const n = this.total;
    const support = matrix.map((row) => row.reduce((s, v) => s + v, 0));
    const predictedTotals = labels.map((_, j) => matrix.reduce((s, row) => s + row[j]!, 0));
    const precision = labels.map((_, i) => divideOrZero(matrix[i]![i]!, predictedTotals[i]!));
    const recall = labels.map((_, i) => divideOrZero(matrix[i]![i]!, support[i]!));
    const f1 = labels.map((_, i) => divideOrZero(2 * precision[i]! * recall[i]!, precision[i]! + recall[i]!));
    const correct = labels.reduce((s, _, i) => s + matrix[i]![i]!, 0);
    const nan = Number.NaN;
    return {
      accuracy: n === 0 ? nan : correct / n,
      macroPrecision: n === 0 ? nan : mean(precision),
      macroRecall: n === 0 ? nan : mean(recall),
      macroF1: n === 0 ? nan : mean(f1),
      weightedPrecision: n === 0 ? nan : weightedMean(precision, support),
      weightedRecall: n === 0 ? nan : weightedMean(recall, support),
      weightedF1: n === 0 ? nan : weightedMean(f1, support),
      confusionMatrix: matrix,
      labels,
    };
  }

  /** Plain JSON state: true label -> predicted label -> count. */
  toJSON(): MulticlassAccumulatorJson {
    const out: MulticlassAccumulatorJson = {};
    for (const [actual, row] of this.counts) out[actual] = Object.fromEntries(row);
    return out;
  }

  /** Rebuilds an accumulator from `toJSON()` output. */
  static fromJSON(json: MulticlassAccumulatorJson): MulticlassAccumulator {
    const acc = new MulticlassAccumulator();
    for (const [actual, row] of Object.entries(json)) {
      for (const [pred, n] of Object.entries(row)) acc.add(actual, pred, n);
    }
    return acc;
  }
}

/** Multiclass metrics of parallel true and predicted label arrays in one call. */
export const multiclassMetrics = (
  actual: readonly string[],
  predicted: readonly string[],
): MulticlassMetrics => new MulticlassAccumulator().addAll(actual, predicted).metrics();
