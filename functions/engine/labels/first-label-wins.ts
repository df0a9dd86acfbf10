import type { LabelRecord } from './ground-truth.ts';

/**
 * Labels are idempotent per inference id: the FIRST stored label of an id is its label, for every consumer
 * (the window join and its metrics, the concept-drift detectors, re-evaluations). Later deliveries of the id
 * are left out and counted: a `duplicate` repeats the kept value (a retry, a file sent twice), a `conflict`
 * carries another one (a correction, or a forgery).
 *
 * Why the first and not the latest: the detectors consume a stream and cannot take a fed error back, so only
 * "first wins" keeps the metrics of a re-evaluated window and what the detectors saw in agreement. It also means
 * a later writer (a replayed file, a producer that should not be trusted with ground truth) cannot rewrite a
 * verdict already given; it shows up as a counted conflict instead. A genuine correction is an operator's act:
 * remove the wrong ground-truth object and re-run the window.
 */
export interface FirstLabels<B> {
  /** the batches in the order given, each keeping only the labels that are the first of their id */
  readonly batches: B[];
  /** later labels with the same value as the kept one */
  readonly duplicates: number;
  /** later labels with another value: left out, never used */
  readonly conflicts: number;
  /** the first few conflicts, for the run's report and log */
  readonly conflictSamples: readonly LabelConflict[];
}

export interface LabelConflict {
  readonly id: string;
  readonly kept: string;
  readonly ignored: string;
}

const CONFLICT_SAMPLES = 10;

const text = (value: LabelRecord['label']): string => (value === null ? '' : String(value));

/** keeps the first label of each id across `batches`, given oldest first (the order they were stored in) */
export const firstLabelPerId = <B extends { readonly labels: readonly LabelRecord[] }>(
  batches: readonly B[],
): FirstLabels<B> => {
  const kept = new Map<string, string>();
  let duplicates = 0;
  let conflicts = 0;
  const conflictSamples: LabelConflict[] = [];
  const out = batches.map((batch) => {
    const labels = batch.labels.filter((label) => {
      const value = text(label.label);
      const first = kept.get(label.id);
      if (first === undefined) {
        kept.set(label.id, value);
        return true;
      }
      if (first === value) duplicates += 1;
      else {
        conflicts += 1;
        if (conflictSamples.length < CONFLICT_SAMPLES)
          conflictSamples.push({ id: label.id, kept: first, ignored: value });
      }
      return false;
    });
    return { ...batch, labels };
  });
  return { batches: out, duplicates, conflicts, conflictSamples };
};
