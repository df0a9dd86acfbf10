import type { MalformedRecord } from '../errors.ts';
import type { QualityEvaluation, QualityProblem } from '../quality/evaluate-quality.ts';
import type { ByteChunks } from '../readers/byte-source.ts';
import type { MalformedSink } from '../readers/types.ts';
import { BoundedJoin, type BoundedJoinOptions, type JoinStats } from './bounded-join.ts';
import { cellNumber, SlowPathNeededError, scanCsv } from './fast-csv.ts';
import { PairEvaluator } from './pair-evaluator.ts';
import { type PredictionColumns, readLabels, readPredictions } from './read-labels.ts';

/** a file that can be opened more than once (the fast path may hand over to the shared readers) */
export interface QualityInput {
  readonly file: string;
  readonly open: () => ByteChunks;
}

export interface QualityAtScaleOptions extends BoundedJoinOptions {
  /** binary: scores at or above it predict label 1; @default 0.5 */
  readonly threshold?: number;
  readonly columns?: PredictionColumns;
  /** names for unnamed columns (headerless CSV, capture request cells) */
  readonly names?: string[];
  readonly onMalformed: MalformedSink;
  /** scores held in memory for AUC and PR-AUC (8 bytes each); @default maxRowsInMemory */
  readonly maxScoresInMemory?: number;
}

export interface QualityAtScale {
  readonly evaluation: QualityEvaluation;
  readonly join: JoinStats;
  /** whether AUC and PR-AUC were computed from scores on disk */
  readonly scoresSpilled: boolean;
  /** which reader read each side: this module's CSV scanner, or the shared readers */
  readonly readers: { readonly predictions: 'fast-csv' | 'shared'; readonly labels: 'fast-csv' | 'shared' };
  /** where the time went (wall and CPU milliseconds, the CPU of every thread of the process): for the bench */
  readonly phases: Record<Phase, { readonly wallMs: number; readonly cpuMs: number }>;
}

/** read: parse and partition a side; join: per partition, table, probe and accumulate; metrics: sort and walk */
export type Phase = 'predictions' | 'labels' | 'join' | 'metrics';

/** a stopwatch over the phases, wall and CPU */
const phaseClock = () => {
  const phases = {} as Record<Phase, { wallMs: number; cpuMs: number }>;
  let wall = performance.now();
  let cpu = process.cpuUsage();
  return {
    phases,
    lap(phase: Phase): void {
      const nowWall = performance.now();
      const used = process.cpuUsage(cpu);
      phases[phase] = { wallMs: nowWall - wall, cpuMs: (used.user + used.system) / 1000 };
      wall = nowWall;
      cpu = process.cpuUsage();
    },
  };
};

const ONE = 49;
const ZERO = 48;

/**
 * `joinLabels` + `evaluateQuality` for windows of any size: the same figures (to the last bit, see the tests),
 * the same counts of unmatched, duplicate, invalid and malformed records, in bounded memory. The join holds at
 * most `maxRowsInMemory` prediction ids and spills by id hash past that (BoundedJoin); AUC and PR-AUC hold at
 * most `maxScoresInMemory` scores and spill by score past that (ScoreRanks).
 *
 * Plain CSV with a header (`id,prediction[,score]`, `id,label`), the common case, is read by a byte scanner that
 * makes no string per row; anything else (quotes, JSON Lines, capture, ground truth, headerless CSV with
 * `names`) by the shared readers, record by record, into the same join.
 */
export const evaluateQualityAtScale = async (
  predictions: QualityInput,
  labels: QualityInput,
  problem: QualityProblem,
  options: QualityAtScaleOptions,
): Promise<QualityAtScale> => {
  const run = new Run(problem, options);
  try {
    return await run.evaluate(predictions, labels);
  } finally {
    run.dispose();
  }
};

/** reading one side: the fast scanner first (when allowed), the shared reader when it declines */
class Run {
  private join: BoundedJoin;
  private readonly evaluator: PairEvaluator;
  private readonly readers: { predictions: 'fast-csv' | 'shared'; labels: 'fast-csv' | 'shared' } = {
    predictions: 'shared',
    labels: 'shared',
  };
  /** malformed records reported by the side being read */
  private reported = 0;
  private readonly report = (record: MalformedRecord): void => {
    this.reported += 1;
    this.options.onMalformed(record);
  };

  constructor(
    readonly problem: QualityProblem,
    private readonly options: QualityAtScaleOptions,
  ) {
    this.join = new BoundedJoin(options);
    this.evaluator = new PairEvaluator(problem, {
      threshold: options.threshold ?? 0.5,
      segmented: options.columns?.segment !== undefined,
      maxScoresInMemory: options.maxScoresInMemory ?? options.maxRowsInMemory ?? 1_000_000,
      spill: { dir: options.dir, bufferBytes: options.bufferBytes },
    });
  }

  async evaluate(predictions: QualityInput, labels: QualityInput): Promise<QualityAtScale> {
    const clock = phaseClock();
    const fast = this.options.names === undefined;
    await this.side(
      fast,
      () => this.fastPredictions(predictions),
      (skip) => this.sharedPredictions(predictions, skip),
      () => {
        this.join.dispose();
        this.join = new BoundedJoin(this.options);
      },
    );
    this.readers.predictions = fast && this.lastFast ? 'fast-csv' : 'shared';
    clock.lap('predictions');
    await this.side(
      fast,
      () => this.fastLabels(labels),
      (skip) => this.sharedLabels(labels, skip),
      () => this.join.resetLabels(),
    );
    this.readers.labels = fast && this.lastFast ? 'fast-csv' : 'shared';
    clock.lap('labels');
    const counts = this.join.finish(this.evaluator.add);
    clock.lap('join');
    const scoresSpilled = this.evaluator.scoresSpilled;
    const evaluation = this.evaluator.result(counts);
    clock.lap('metrics');
    return { evaluation, join: this.join.stats, scoresSpilled, readers: this.readers, phases: clock.phases };
  }

  private lastFast = false;

  /**
   * Reads one side. When the scanner gives up part-way (a quote deep in the file), what it joined is undone and
   * the shared reader starts the side over; the malformed records the scanner reported come first in the shared
   * reader's report too (lines without quotes read the same), so that many are not reported twice.
   */
  private async side(
    fast: boolean,
    scan: () => Promise<void>,
    shared: (skip: number) => Promise<void>,
    undo: () => void,
  ): Promise<void> {
    this.reported = 0;
    this.lastFast = false;
    if (fast) {
      try {
        await scan();
        this.lastFast = true;
        return;
      } catch (error) {
        if (!(error instanceof SlowPathNeededError)) throw error;
        undo();
      }
    }
    await shared(this.reported);
  }

  /** a sink for the shared reader that passes over the first `skip` records, already reported */
  private skipping(skip: number): MalformedSink {
    let seen = 0;
    return (record) => {
      seen += 1;
      if (seen > skip) this.options.onMalformed(record);
    };
  }

  dispose(): void {
    this.join.dispose();
    this.evaluator.dispose();
  }

  private async fastPredictions(input: QualityInput): Promise<void> {
    const columns = this.options.columns ?? {};
    const idName = columns.id ?? 'id';
    const scoreName = columns.score ?? 'score';
    const { evaluator, join, report } = this;
    const file = input.file;
    let id = -1;
    let prediction = -1;
    let score = -1;
    let segment = -1;
    const binary = this.problem === 'binary';
    const numeric = this.problem !== 'multiclass';
    await scanCsv(file, input.open(), {
      malformed: report,
      onHeader: (names) => {
        id = names.indexOf(idName);
        prediction = names.indexOf(columns.prediction ?? 'prediction');
        score = names.indexOf(scoreName);
        segment = columns.segment === undefined ? -1 : names.indexOf(columns.segment);
        const missing =
          id === -1 ||
          prediction === -1 ||
          (columns.score !== undefined && score === -1) ||
          (columns.segment !== undefined && segment === -1);
        // the shared reader names the missing column in its error
        if (missing) throw new SlowPathNeededError();
      },
      visit: (bytes, starts, ends, line) => {
        if (starts[id] === ends[id]) {
          report({ file, line, field: idName, reason: 'missing id' });
          return;
        }
        let value = Number.NaN;
        let scored = false;
        if (score !== -1 && starts[score] !== ends[score]) {
          value = cellNumber(bytes, starts[score]!, ends[score]!);
          if (!Number.isFinite(value)) {
            const text = bytes.toString('utf8', starts[score]!, ends[score]!);
            report({ file, line, field: scoreName, reason: `score ${JSON.stringify(text)} is not a number` });
            return;
          }
          scored = true;
        }
        const from = starts[prediction]!;
        const to = ends[prediction]!;
        if (!(binary && scored)) {
          if (numeric) {
            // an empty cell is missing; any other goes through Number(), as evaluateQuality reads it
            const n = from === to ? Number.NaN : cellNumber(bytes, from, to);
            value = Number.isFinite(n) ? n : Number.NaN;
          } else {
            value = from === to ? Number.NaN : evaluator.classes.numberOf(bytes.toString('utf8', from, to));
          }
        }
        const group =
          segment === -1
            ? -1
            : evaluator.segments.numberOf(bytes.toString('utf8', starts[segment]!, ends[segment]!));
        join.addPrediction(bytes, starts[id]!, ends[id]!, value, group);
      },
    });
  }

  private async fastLabels(input: QualityInput): Promise<void> {
    const { evaluator, join, report } = this;
    const file = input.file;
    let id = -1;
    let label = -1;
    const binary = this.problem === 'binary';
    await scanCsv(file, input.open(), {
      malformed: report,
      onHeader: (names) => {
        id = names.indexOf('id');
        label = names.indexOf('label');
        if (id === -1 || label === -1) throw new SlowPathNeededError();
      },
      visit: (bytes, starts, ends, line) => {
        if (starts[id] === ends[id]) {
          report({ file, line, field: 'id', reason: 'missing id' });
          return;
        }
        const from = starts[label]!;
        const to = ends[label]!;
        let value: number;
        if (from === to) value = Number.NaN;
        else if (binary && to === from + 1 && (bytes[from] === ONE || bytes[from] === ZERO))
          value = bytes[from]! - ZERO;
        else value = evaluator.labelValue(bytes.toString('utf8', from, to));
        join.addLabel(bytes, starts[id]!, ends[id]!, value);
      },
    });
  }

  private async sharedPredictions(input: QualityInput, skip: number): Promise<void> {
    const { evaluator, join } = this;
    const segmented = this.options.columns?.segment !== undefined;
    for await (const record of readPredictions(input.file, input.open(), {
      onMalformed: this.skipping(skip),
      names: this.options.names,
      columns: this.options.columns,
    })) {
      const value = evaluator.predictionValue(record.prediction, record.score);
      const group = segmented ? evaluator.segments.numberOf(record.segment ?? '') : -1;
      join.addPredictionId(record.id, value, group);
    }
  }

  private async sharedLabels(input: QualityInput, skip: number): Promise<void> {
    const { evaluator, join } = this;
    for await (const record of readLabels(input.file, input.open(), {
      onMalformed: this.skipping(skip),
    })) {
      join.addLabelId(record.id, evaluator.labelValue(record.label));
    }
  }
}
