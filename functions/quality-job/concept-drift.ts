import * as z from 'zod';
import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import { StaleStateError } from '../adapters/errors.ts';
import type { PredictionRecord } from '../engine/labels/read-labels.ts';
import { Adwin, Ddm, PageHinkley } from '../engine/quality/index.ts';
import type { CellValue } from '../engine/readers/types.ts';
import type { ProblemType } from '../shared/config/vocabulary.ts';
import { numeric } from './binary-labels.ts';
import { advanceWatermarks, unfedBatches, type Watermarks } from './label-watermark.ts';
import type { LabelBatch } from './window-labels.ts';

/**
 * The concept-drift detectors of a model (river's ADWIN, DDM and Page-Hinkley, with river's defaults) on its
 * per-prediction error stream: 1/0 for a wrong/right class, the absolute error for regression (DDM, which
 * takes 1/0 only, is left out there). The detectors and the label watermarks live in ONE state item, saved with
 * a conditional write, so "these labels were fed" and "the detectors saw them" cannot disagree after a crash or
 * a concurrent run: a run that loses the race reloads and replays what is still unfed.
 */

export const DETECTOR_STATE_NAME = 'quality-error-stream';
export const DETECTORS = ['adwin', 'ddm', 'page_hinkley'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface Detection {
  readonly detector: DetectorName;
  readonly kind: 'drift' | 'warning';
  /** 1-based position in the model's whole error stream, so detections compare across runs */
  readonly position: number;
  /** the error stream's mean as ADWIN sees it right after */
  readonly errorEstimate: number;
}

export interface FeedResult {
  /** labelled predictions fed in this run */
  readonly fed: number;
  /** the stream's length after this run */
  readonly streamLength: number;
  readonly detections: Detection[];
  readonly adwin: { readonly width: number; readonly estimate: number };
  /** the window had settled (its labels were fed before): nothing fed */
  readonly settled: boolean;
  /** what this run fed, summed, for the error e-process (issue 12): errors (0/1), or losses min(1, |error| / lossScale) */
  readonly fedLoss: { readonly sum: number; readonly squares: number };
}

const stateSchema = z.object({
  formatVersion: z.literal(1),
  streamLength: z.number().int().nonnegative(),
  adwin: z.unknown(),
  ddm: z.unknown().nullable(),
  pageHinkley: z.unknown(),
  windows: z.record(
    z.string(),
    z.object({
      end: z.string(),
      fedBefore: z.string(),
      recent: z.array(z.object({ key: z.string(), at: z.string() })),
    }),
  ),
  settledBefore: z.string().nullable(),
});

interface Detectors {
  readonly adwin: Adwin;
  readonly ddm: Ddm | null;
  readonly pageHinkley: PageHinkley;
}

const freshDetectors = (problem: ProblemType): Detectors => ({
  adwin: new Adwin(),
  ddm: problem === 'regression' ? null : new Ddm(),
  pageHinkley: new PageHinkley(),
});

/** the error of one labelled prediction, or undefined when either side is unreadable for the problem */
export const predictionError = (
  problem: ProblemType,
  prediction: PredictionRecord,
  label: CellValue,
  threshold: number,
): number | undefined => {
  if (label === null || label === '') return undefined;
  if (problem === 'regression') {
    const actual = numeric(label);
    const predicted = numeric(prediction.prediction);
    return actual === undefined || predicted === undefined ? undefined : Math.abs(actual - predicted);
  }
  if (problem === 'binary') {
    const actual = numeric(label);
    const score = prediction.score ?? numeric(prediction.prediction);
    if ((actual !== 0 && actual !== 1) || score === undefined) return undefined;
    return Number((score >= threshold ? 1 : 0) !== actual);
  }
  if (prediction.prediction === null) return undefined;
  return Number(String(prediction.prediction) !== String(label));
};

/** feeds detectors one error at a time, collecting what they report */
export const feedErrors = (
  detectors: Detectors,
  errors: Iterable<number>,
  startPosition: number,
): { detections: Detection[]; position: number } => {
  const detections: Detection[] = [];
  let position = startPosition;
  for (const error of errors) {
    position += 1;
    const adwin = detectors.adwin.update(error);
    const ddm = detectors.ddm?.update(error);
    const ph = detectors.pageHinkley.update(error);
    const estimate = detectors.adwin.estimation;
    if (adwin.drift) detections.push({ detector: 'adwin', kind: 'drift', position, errorEstimate: estimate });
    if (ddm?.drift) detections.push({ detector: 'ddm', kind: 'drift', position, errorEstimate: estimate });
    else if (ddm?.warning)
      detections.push({ detector: 'ddm', kind: 'warning', position, errorEstimate: estimate });
    if (ph.drift)
      detections.push({ detector: 'page_hinkley', kind: 'drift', position, errorEstimate: estimate });
  }
  return { detections, position };
};

const MAX_ATTEMPTS = 5;

const summedLoss = (errors: readonly number[], scale: number | undefined): FeedResult['fedLoss'] => {
  let sum = 0;
  let squares = 0;
  for (const error of errors) {
    const loss = scale === undefined ? error : Math.min(1, error / scale);
    sum += loss;
    squares += loss * loss;
  }
  return { sum, squares };
};

/** The stored detector state does not parse: never silently restarted, as that would hide a drift. */
export class DetectorStateError extends Error {
  override readonly name = 'DetectorStateError';
  constructor(model: string, reason: string) {
    super(
      `the concept-drift state of ${model} is unreadable (${reason}); delete the state item ` +
        `DETECTOR#${model}#${DETECTOR_STATE_NAME} to start the detectors afresh`,
    );
  }
}

const restore = (
  model: string,
  problem: ProblemType,
  stateJson: string | undefined,
): { state: z.output<typeof stateSchema> | undefined; detectors: Detectors } => {
  if (stateJson === undefined) return { state: undefined, detectors: freshDetectors(problem) };
  try {
    const state = stateSchema.parse(JSON.parse(stateJson));
    return {
      state,
      detectors: {
        adwin: Adwin.fromJSON(state.adwin),
        ddm: state.ddm === null ? null : Ddm.fromJSON(state.ddm),
        pageHinkley: PageHinkley.fromJSON(state.pageHinkley),
      },
    };
  } catch (error) {
    throw new DetectorStateError(model, error instanceof Error ? error.message.slice(0, 200) : String(error));
  }
};

/**
 * Feeds the window's not yet fed labelled predictions (in label arrival order) to the model's detectors and
 * saves them with the advanced watermark, in one conditional write. `batches` are all the window's label
 * batches with each inference id kept once, in its first batch (`firstLabelPerId`): a label repeated in a later
 * object is then never fed, whichever run reads it.
 */
export const feedConceptDrift = async (deps: {
  readonly repository: DetectorStateRepository;
  readonly model: string;
  readonly problem: ProblemType;
  readonly threshold: number;
  readonly window: { readonly start: string; readonly end: string };
  readonly batches: readonly LabelBatch[];
  readonly predictions: ReadonlyMap<string, PredictionRecord>;
  readonly horizonMs: number;
  readonly now: Date;
  /** regression: absolute errors are divided by it and capped at 1 in `fedLoss` */
  readonly lossScale?: number;
}): Promise<FeedResult> => {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.repository.load(deps.model, DETECTOR_STATE_NAME);
    const { state, detectors } = restore(deps.model, deps.problem, stored?.stateJson);
    const watermarks: Watermarks = state
      ? { windows: state.windows, settledBefore: state.settledBefore }
      : { windows: {}, settledBefore: null };
    const streamStart = state?.streamLength ?? 0;
    const settled = watermarks.settledBefore !== null && deps.window.start < watermarks.settledBefore;
    const todo = unfedBatches(watermarks, deps.window.start, deps.batches);

    const errors: number[] = [];
    for (const batch of todo) {
      for (const label of batch.labels) {
        const prediction = deps.predictions.get(label.id);
        if (!prediction) continue;
        const error = predictionError(deps.problem, prediction, label.label, deps.threshold);
        if (error !== undefined) errors.push(error);
      }
    }
    const { detections, position } = feedErrors(detectors, errors, streamStart);
    const next = settled
      ? watermarks
      : advanceWatermarks(watermarks, deps.window, todo, deps.now, deps.horizonMs);
    const stateJson = JSON.stringify({
      formatVersion: 1,
      streamLength: position,
      adwin: detectors.adwin.toJSON(),
      ddm: detectors.ddm?.toJSON() ?? null,
      pageHinkley: detectors.pageHinkley.toJSON(),
      windows: next.windows,
      settledBefore: next.settledBefore,
    });
    try {
      await deps.repository.save(deps.model, DETECTOR_STATE_NAME, stateJson, stored?.version ?? 0, deps.now);
    } catch (error) {
      // another run of this model saved first: start over from its state, so nothing is fed twice
      if (error instanceof StaleStateError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    return {
      fed: errors.length,
      streamLength: position,
      detections,
      adwin: { width: detectors.adwin.windowLength, estimate: detectors.adwin.estimation },
      settled,
      fedLoss: summedLoss(errors, deps.lossScale),
    };
  }
};
