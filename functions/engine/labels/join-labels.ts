import type { LabelRecord } from './ground-truth.ts';
import type { PredictionRecord } from './read-labels.ts';

export interface LabelledPrediction extends PredictionRecord {
  readonly label: LabelRecord['label'];
}

export interface JoinResult {
  readonly pairs: LabelledPrediction[];
  /** predictions without a label (yet): labels arrive late, so these are counted, not errors */
  readonly unmatchedPredictions: number;
  /** labels whose prediction is not in the window */
  readonly unmatchedLabels: number;
  /** ids seen more than once on either side; the first one wins (first-label-wins.ts), the rest are counted */
  readonly duplicateIds: number;
}

/**
 * Joins a window's predictions with the labels that have arrived, by id (inferenceId, else eventId). The
 * predictions of one window are held in memory (bounded by the window); labels stream past them. Give both in
 * the order they were stored: a repeated id keeps its first record on either side, as every consumer of labels
 * does (first-label-wins.ts).
 */
export const joinLabels = async (
  predictions: AsyncIterable<PredictionRecord> | Iterable<PredictionRecord>,
  labels: AsyncIterable<LabelRecord> | Iterable<LabelRecord>,
): Promise<JoinResult> => {
  const byId = new Map<string, PredictionRecord>();
  let duplicateIds = 0;
  for await (const prediction of predictions) {
    if (byId.has(prediction.id)) {
      duplicateIds += 1;
      continue;
    }
    byId.set(prediction.id, prediction);
  }
  const labelled = new Map<string, LabelledPrediction>();
  let unmatchedLabels = 0;
  for await (const label of labels) {
    const prediction = byId.get(label.id);
    if (!prediction) {
      unmatchedLabels += 1;
      continue;
    }
    if (labelled.has(label.id)) {
      duplicateIds += 1;
      continue;
    }
    labelled.set(label.id, { ...prediction, label: label.label });
  }
  return {
    pairs: [...labelled.values()],
    unmatchedPredictions: byId.size - labelled.size,
    unmatchedLabels,
    duplicateIds,
  };
};
