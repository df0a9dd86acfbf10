import type { CaptureSource } from '../adapters/capture-source.ts';
import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { InputError } from '../engine/errors.ts';
import type { PredictionRecord } from '../engine/labels/read-labels.ts';
import { MalformedLog } from '../engine/profile/malformed-log.ts';
import { PerformanceEstimator } from '../engine/quality/index.ts';
import { parseCustomAttributes } from '../engine/readers/payload-mapping.ts';
import { openTable } from '../engine/readers/table.ts';
import { isCaptureRow } from '../engine/readers/types.ts';
import { listWindowCapture, objectSource } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import type { JobWindow } from '../handler-kit/job-window.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { captureLocation } from '../shared/config/model-settings.ts';
import { numeric, toBinary } from './binary-labels.ts';

export interface WindowPredictions {
  /** by id (inferenceId, else eventId); a repeated id keeps its first prediction (capture order) and is counted */
  readonly byId: Map<string, PredictionRecord>;
  readonly duplicateIds: number;
  readonly objects: number;
  /** objects that could not be read (the data job quarantines them; here they are only counted) */
  readonly unreadable: { key: string; reason: string }[];
  readonly malformed: MalformedLog;
  /** binary models with a score: the label-free estimate of the window's predictions, labelled or not, each id once */
  readonly estimator: PerformanceEstimator | null;
}

/**
 * The window's predictions from its capture, read with the model's column names: the output with role
 * `prediction` is the prediction, the one with role `score` the score (for binary models, the probability of
 * the positive class; a binary model without a prediction output predicts score >= decisionThreshold), and the
 * segment feature, when one is configured, the segment. Held in memory by id, as joining needs them.
 */
export const readWindowPredictions = async (deps: {
  readonly store: ObjectStore;
  readonly model: ModelConfig;
  readonly window: JobWindow;
  readonly segmentFeature?: string;
  /** a key of the capture's custom attributes whose value is the segment (instead of a feature) */
  readonly segmentAttribute?: string;
  readonly logger: HandlerLogger;
  /** where the capture objects are (capture.s3Uri); @default the store's `capture/<endpoint>/<variant>/` */
  readonly source?: CaptureSource;
}): Promise<WindowPredictions> => {
  const { model, logger } = deps;
  const store = deps.source?.store ?? deps.store;
  const featureNames = model.features.map((f) => f.name);
  const outputNames = model.outputs.map((o) => o.name);
  const predictionName = model.outputs.find((o) => o.role === 'prediction')?.name;
  const scoreName = model.outputs.find((o) => o.role === 'score')?.name;
  const binary = model.problemType === 'binary';
  const estimator = binary ? new PerformanceEstimator(model.decisionThreshold) : null;
  const malformed = new MalformedLog();
  const byId = new Map<string, PredictionRecord>();
  const unreadable: { key: string; reason: string }[] = [];
  let duplicateIds = 0;
  let objects = 0;

  for (const object of await listWindowCapture(
    store,
    captureLocation(model),
    deps.window,
    deps.source?.prefix,
  )) {
    const source = objectSource(store, object.key);
    // an object counts whole or not at all: one that breaks halfway (corrupt gzip) adds nothing
    const rows: { record: PredictionRecord; score?: number }[] = [];
    try {
      const table = await openTable(object.key, source.open(), {
        format: 'capture',
        schema: {
          inputNames: featureNames,
          outputNames,
          ...(model.payload === undefined ? {} : { payload: model.payload }),
        },
        firstRecord: 'report',
        onMalformed: malformed.sink,
      });
      const column = (name: string | undefined): number =>
        name === undefined ? -1 : table.columns.indexOf(name);
      const predictionAt = column(predictionName);
      const scoreAt = column(scoreName);
      const segmentAt = column(deps.segmentFeature);
      for await (const batch of table.batches) {
        for (const row of batch) {
          if (!isCaptureRow(row)) continue;
          const id = row.capture.inferenceId ?? row.capture.eventId;
          const values = row.values;
          const score = scoreAt === -1 ? undefined : numeric(values[scoreAt] ?? null);
          const raw = predictionAt === -1 ? null : (values[predictionAt] ?? null);
          // a binary prediction is a class (mapped to 1/0) or, without a score output, the score itself
          const prediction = binary
            ? raw === null
              ? score === undefined
                ? null
                : Number(score >= model.decisionThreshold)
              : (numeric(raw) ?? toBinary(raw, model.positiveLabel))
            : raw;
          const effectiveScore = score ?? (binary ? numeric(raw) : undefined);
          rows.push({
            record: {
              id,
              prediction,
              ...(score === undefined ? {} : { score }),
              ...(segmentAt === -1 ? {} : { segment: String(values[segmentAt] ?? '') }),
              ...(deps.segmentAttribute === undefined
                ? {}
                : { segment: attributeOf(row.capture.customAttributes, deps.segmentAttribute) }),
            },
            ...(effectiveScore !== undefined && effectiveScore >= 0 && effectiveScore <= 1
              ? { score: effectiveScore }
              : {}),
          });
        }
      }
      // idempotent per id, as labels are (first-label-wins.ts): a replayed record changes neither the join nor
      // the label-free estimate
      for (const { record, score } of rows) {
        if (byId.has(record.id)) {
          duplicateIds += 1;
          continue;
        }
        byId.set(record.id, record);
        if (score !== undefined) estimator?.add(score);
      }
      objects += 1;
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue;
      if (!(error instanceof InputError)) throw error;
      unreadable.push({ key: object.key, reason: error.message });
      logger.warn('capture object not readable; left out of the quality window', {
        key: object.key,
        reason: error.message,
      });
    }
  }
  return { byId, duplicateIds, objects, unreadable, malformed, estimator };
};

/** a custom attribute's value, '' when the record has none (as a missing segment feature value is) */
const attributeOf = (text: string | undefined, key: string): string =>
  text === undefined ? '' : (parseCustomAttributes(text).get(key) ?? '');
