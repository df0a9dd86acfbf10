import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { groundTruthPrefix } from '../adapters/s3-layout.ts';
import { InputError } from '../engine/errors.ts';
import type { LabelRecord } from '../engine/labels/ground-truth.ts';
import { readLabels } from '../engine/labels/read-labels.ts';
import { MalformedLog } from '../engine/profile/malformed-log.ts';
import { objectSource } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import type { JobWindow } from '../handler-kit/job-window.ts';
import { labelRange } from '../handler-kit/label-horizon.ts';

/** the labels of one ground-truth object, with what identifies it for the detectors' watermark */
export interface LabelBatch {
  readonly key: string;
  readonly lastModified: Date;
  readonly labels: LabelRecord[];
}

export interface WindowLabels {
  /** oldest object first (by the time it was written, then key): the order labels arrived in */
  readonly batches: LabelBatch[];
  readonly unreadable: { key: string; reason: string }[];
  readonly malformed: MalformedLog;
}

/** orders ground-truth objects by arrival, so "the last label for an id wins" means the latest one */
export const byArrival = (a: LabelBatch, b: LabelBatch): number =>
  a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The labels that may belong to a window's predictions (label-horizon.ts): every ground-truth object in the hour
 * partitions from the window's start to its end plus the horizon. Ground-truth ingest quarantines unreadable
 * objects as they arrive; one still found here is counted and left out.
 */
export const readWindowLabels = async (deps: {
  readonly store: ObjectStore;
  readonly model: string;
  readonly window: JobWindow;
  readonly horizonHours: number;
  readonly logger: HandlerLogger;
}): Promise<WindowLabels> => {
  const { store, logger } = deps;
  const range = labelRange(deps.window, deps.horizonHours);
  const objects = await store.listHourWindow(groundTruthPrefix(deps.model), range.start, range.end);
  const malformed = new MalformedLog();
  const batches: LabelBatch[] = [];
  const unreadable: { key: string; reason: string }[] = [];
  for (const object of objects) {
    const labels: LabelRecord[] = [];
    try {
      for await (const label of readLabels(object.key, objectSource(store, object.key).open(), {
        onMalformed: malformed.sink,
      })) {
        labels.push(label);
      }
    } catch (error) {
      if (error instanceof ObjectNotFoundError) continue;
      if (!(error instanceof InputError)) throw error;
      unreadable.push({ key: object.key, reason: error.message });
      logger.warn('ground-truth object not readable; left out', { key: object.key, reason: error.message });
      continue;
    }
    batches.push({ key: object.key, lastModified: object.lastModified, labels });
  }
  return { batches: batches.sort(byArrival), unreadable, malformed };
};
