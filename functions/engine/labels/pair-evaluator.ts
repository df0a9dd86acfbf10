import { BinaryAccumulator } from '../quality/binary-metrics.ts';
import {
  type AnyQualityMetrics,
  binaryLabel,
  type QualityEvaluation,
  type QualityProblem,
} from '../quality/evaluate-quality.ts';
import { fairnessFromSegments } from '../quality/fairness.ts';
import { sortLabels } from '../quality/label-order.ts';
import { MulticlassAccumulator } from '../quality/multiclass-metrics.ts';
import { RegressionAccumulator } from '../quality/regression-metrics.ts';
import { RankMemory } from '../quality/score-ranks.ts';
import { SegmentedAccumulator } from '../quality/segments.ts';
import type { CellValue } from '../readers/types.ts';
import type { JoinCounts } from './bounded-join.ts';
import type { SpillOptions } from './spill-file.ts';

/** a number from a cell as `evaluateQuality` reads one: undefined for missing, booleans and non-finite */
const finite = (value: CellValue): number | undefined => {
  if (value === null || value === '' || typeof value === 'boolean') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Names met in the data (classes, segment values), numbered in first-seen order, so the join carries numbers.
 */
export class NameTable {
  private readonly numbers = new Map<string, number>();
  readonly names: string[] = [];

  numberOf(name: string): number {
    let n = this.numbers.get(name);
    if (n === undefined) {
      n = this.names.length;
      this.numbers.set(name, n);
      this.names.push(name);
    }
    return n;
  }
}

/**
 * How one problem type turns cells into the numbers the bounded join carries (NaN where `evaluateQuality` would
 * find the value unreadable), and the accumulators those numbers feed. Binary: the prediction side is the score
 * (or the prediction read as a number), the label 0/1; regression: both numbers; multiclass: both class numbers.
 */
export class PairEvaluator {
  readonly classes = new NameTable();
  readonly segments = new NameTable();
  private pairs = 0;
  private invalid = 0;
  private readonly memory: RankMemory;
  private readonly binary: BinaryAccumulator[] = [];
  private readonly regression: RegressionAccumulator[] = [];
  /** multiclass: (segment + 1, label, prediction) -> count, keyed as one string */
  private readonly classCounts = new Map<string, number>();

  constructor(
    readonly problem: QualityProblem,
    private readonly options: {
      readonly threshold: number;
      /** whether a segment column was asked for */
      readonly segmented: boolean;
      /** scores held in memory for AUC and PR-AUC, shared by the overall and per-segment curves */
      readonly maxScoresInMemory: number;
      readonly spill?: SpillOptions;
    },
  ) {
    this.memory = new RankMemory(options.maxScoresInMemory, options.spill);
  }

  /** the prediction side's number of a record (score for binary, value for regression, class for multiclass) */
  predictionValue(prediction: CellValue, score: number | undefined): number {
    if (this.problem === 'binary') return score ?? finite(prediction) ?? Number.NaN;
    if (this.problem === 'regression') return finite(prediction) ?? Number.NaN;
    return prediction === null ? Number.NaN : this.classes.numberOf(String(prediction));
  }

  /** the label side's number of a record */
  labelValue(label: CellValue): number {
    if (this.problem === 'binary') return binaryLabel(label) ?? Number.NaN;
    if (this.problem === 'regression') return finite(label) ?? Number.NaN;
    return label === null ? Number.NaN : this.classes.numberOf(String(label));
  }

  /** the join's sink: one labelled prediction */
  readonly add = (prediction: number, segment: number, label: number): void => {
    this.pairs += 1;
    if (this.problem === 'binary') {
      if (Number.isNaN(label) || !(prediction >= 0 && prediction <= 1)) {
        this.invalid += 1;
        return;
      }
      this.binaryAt(-1).add(prediction, label);
      if (segment >= 0) this.binaryAt(segment).add(prediction, label);
      return;
    }
    if (Number.isNaN(label) || Number.isNaN(prediction)) {
      this.invalid += 1;
      return;
    }
    if (this.problem === 'regression') {
      this.regressionAt(-1).add(label, prediction);
      if (segment >= 0) this.regressionAt(segment).add(label, prediction);
      return;
    }
    const key = `${segment + 1},${label},${prediction}`;
    this.classCounts.set(key, (this.classCounts.get(key) ?? 0) + 1);
  };

  private binaryAt(segment: number): BinaryAccumulator {
    let acc = this.binary[segment + 1];
    if (acc === undefined) {
      acc = new BinaryAccumulator(this.options.threshold, this.memory);
      this.binary[segment + 1] = acc;
    }
    return acc;
  }

  private regressionAt(segment: number): RegressionAccumulator {
    let acc = this.regression[segment + 1];
    if (acc === undefined) {
      acc = new RegressionAccumulator();
      this.regression[segment + 1] = acc;
    }
    return acc;
  }

  /** whether any scores went to disk */
  get scoresSpilled(): boolean {
    return this.binary.some((acc) => acc?.spilled);
  }

  /** The evaluation, shaped as `evaluateQuality`'s, from the join's counts and the pairs it handed over. */
  result(counts: JoinCounts): QualityEvaluation {
    const hasSegments = this.options.segmented && this.pairs > 0;
    // the keys in evaluateQuality's order, so the JSON output reads the same
    const base = {
      problem: this.problem,
      unmatched: { predictions: counts.unmatchedPredictions, labels: counts.unmatchedLabels },
      duplicateIds: counts.duplicateIds,
      rows: this.pairs - this.invalid,
      invalid: this.invalid,
    };
    try {
      if (this.problem === 'binary') {
        const metrics = (this.binary[0] ?? new BinaryAccumulator(this.options.threshold)).metrics();
        if (!hasSegments) return { ...base, metrics };
        const bySegment = this.bySegment(
          (s) => this.binary[s + 1],
          (a) => a.metrics(),
        );
        return { ...base, metrics, segments: bySegment, fairness: fairnessFromSegments(bySegment) };
      }
      if (this.problem === 'regression') {
        const metrics = (this.regression[0] ?? new RegressionAccumulator()).metrics();
        if (!hasSegments) return { ...base, metrics };
        return {
          ...base,
          metrics,
          segments: this.bySegment(
            (s) => this.regression[s + 1],
            (a) => a.metrics(),
          ),
        };
      }
      const overall = new MulticlassAccumulator();
      const bySegment = new SegmentedAccumulator(() => new MulticlassAccumulator());
      const names = this.classes.names;
      for (const [key, count] of this.classCounts) {
        const [segment, label, prediction] = key.split(',').map(Number) as [number, number, number];
        const actual = names[label]!;
        const predicted = names[prediction]!;
        overall.add(actual, predicted, count);
        if (segment > 0) bySegment.segment(this.segments.names[segment - 1]!).add(actual, predicted, count);
      }
      const metrics: AnyQualityMetrics = overall.metrics();
      return hasSegments
        ? { ...base, metrics, segments: bySegment.map((a) => a.metrics()) }
        : { ...base, metrics };
    } finally {
      this.dispose();
    }
  }

  /** `metrics` of each segment's accumulator, keyed by segment value in code-point order */
  private bySegment<T, M>(at: (segment: number) => T | undefined, metrics: (acc: T) => M): Record<string, M> {
    const present = new Map<string, T>();
    this.segments.names.forEach((name, s) => {
      const acc = at(s);
      if (acc !== undefined) present.set(name, acc);
    });
    return Object.fromEntries(sortLabels(present.keys()).map((name) => [name, metrics(present.get(name)!)]));
  }

  /** Deletes any spilled scores. */
  dispose(): void {
    for (const acc of this.binary) acc?.dispose();
  }
}
