import * as z from 'zod';
import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RunRepository } from '../adapters/run-repository.ts';
import { groundTruthPrefix, quarantineKey } from '../adapters/s3-layout.ts';
import { InputError } from '../engine/errors.ts';
import { readLabels } from '../engine/labels/read-labels.ts';
import { MalformedLog } from '../engine/profile/malformed-log.ts';
import { objectSource, partitionTimes } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { readJobEvent } from '../handler-kit/job-event.ts';
import { windowRange } from '../handler-kit/job-window.ts';
import { windowsForLabelHour } from '../handler-kit/label-horizon.ts';
import { DETAIL_TYPES, type QualityEvaluationRequestedDetail, type WindowRange } from '../shared/events.ts';
import { STORE_PREFIXES } from '../shared/store-layout.ts';

export interface GroundTruthIngestDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  /** the capture store; ground-truth/ is read, unreadable objects move to quarantine/ */
  readonly store: ObjectStore;
  readonly bucket: string;
  /** which quality windows were evaluated already */
  readonly runs: RunRepository;
  readonly events: EventPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** overrides how late labels may arrive (label-horizon.ts); @default - the model's `quality.labelHorizonHours`, as the quality job */
  readonly labelHorizonHours?: number;
}

export interface GroundTruthIngestResult {
  readonly key: string;
  readonly status: 'accepted' | 'quarantined' | 'vanished';
  readonly labels: number;
  readonly malformed: number;
  /** quality windows asked to be evaluated again */
  readonly reopened: WindowRange[];
}

/** the part of S3's `Object Created` detail used here (events.ts ObjectCreatedDetail) */
const detailSchema = z.looseObject({
  bucket: z.looseObject({ name: z.string().min(1) }),
  object: z.looseObject({ key: z.string().min(1), size: z.number().optional() }),
});

/**
 * The stack's one ground-truth rule cannot name the model (EventBridge cannot cut a key apart): its envelope is
 * `{ trigger }` and the model is the key's first folder under ground-truth/. An envelope that names a model
 * (a person re-sending an event) is taken as it is.
 */
const withModelFromKey = (event: unknown): unknown => {
  if (event === null || typeof event !== 'object' || Array.isArray(event) || 'model' in event) return event;
  const key = (event as { trigger?: { detail?: { object?: { key?: unknown } } } }).trigger?.detail?.object
    ?.key;
  if (typeof key !== 'string' || !key.startsWith(STORE_PREFIXES.groundTruth)) return event;
  const model = key.slice(STORE_PREFIXES.groundTruth.length).split('/')[0];
  return model ? { ...event, model } : event;
};

/**
 * Ground-truth ingest, on S3's `Object Created` under `ground-truth/<model>/`. Reads the object's labels (Model
 * Monitor's ground-truth JSON Lines, or CSV/JSONL with id and label): an object that cannot be read at all, or
 * that sits outside the `yyyy/mm/dd/hh/` partitions (no quality window would ever read it), moves to quarantine/
 * with its reason; malformed lines are counted. Then every quality window those labels can belong to under the
 * label-horizon rule, that has ended and was evaluated before, is re-opened with `Quality Evaluation Requested`
 * (windows not evaluated yet get the labels on their scheduled run).
 */
export const makeGroundTruthIngestHandler = (deps: GroundTruthIngestDeps) => {
  const { store, logger } = deps;

  return async (event: unknown): Promise<GroundTruthIngestResult> => {
    const { model, trigger } = await readJobEvent(withModelFromKey(event), detailSchema, deps.configs);
    const { key } = trigger.detail.object;
    if (trigger.detail.bucket.name !== deps.bucket) {
      throw new InvalidEventError(
        `event.trigger.detail.bucket.name: "${trigger.detail.bucket.name}" is not the capture store ("${deps.bucket}")`,
      );
    }
    const prefix = groundTruthPrefix(model.name);
    if (!key.startsWith(prefix)) {
      throw new InvalidEventError(`event.trigger.detail.object.key: "${key}" is not under ${prefix}`);
    }
    const context = { model: model.name, key };
    const quarantine = async (
      reason: string,
      labels: number,
      malformed: number,
    ): Promise<GroundTruthIngestResult> => {
      await store.move(key, quarantineKey(key), { reason });
      logger.warn('ground-truth object quarantined', { ...context, reason });
      return { key, status: 'quarantined', labels, malformed, reopened: [] };
    };

    const times = partitionTimes(prefix, key);
    if (!times) {
      return quarantine(`not under ${prefix}yyyy/mm/dd/hh/: no quality window would read it`, 0, 0);
    }

    const malformed = new MalformedLog();
    let labels = 0;
    try {
      for await (const _label of readLabels(key, objectSource(store, key).open(), {
        onMalformed: malformed.sink,
      })) {
        labels += 1;
      }
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        logger.warn('ground-truth object vanished before it was read', context);
        return { key, status: 'vanished', labels: 0, malformed: 0, reopened: [] };
      }
      if (!(error instanceof InputError)) throw error;
      return quarantine(error.message, labels, malformed.count);
    }
    if (labels === 0) {
      const first = malformed.lines()[0];
      return quarantine(
        malformed.count > 0
          ? `every record malformed (${malformed.count}), first: ${first}`
          : 'no labels in the object',
        0,
        malformed.count,
      );
    }

    const now = deps.now();
    const horizonHours = deps.labelHorizonHours ?? model.quality.labelHorizonHours;
    const candidates = windowsForLabelHour(
      times.hour,
      horizonHours,
      model.schedules.qualityWindowMinutes,
    ).filter((w) => w.end.getTime() <= now.getTime());
    const reopened: WindowRange[] = [];
    for (const window of candidates) {
      const range = windowRange(window);
      const run = await deps.runs.getRun(model.name, 'quality', range.start);
      // no run yet: the schedule will evaluate it; a run without predictions has nothing to join the labels to
      if (!run || run.status === 'no-data') continue;
      reopened.push(range);
    }
    if (reopened.length > 0) {
      await deps.events.publish(
        reopened.map((window) => ({
          detailType: DETAIL_TYPES.qualityEvaluationRequested,
          detail: {
            model: model.name,
            window,
            reason: `labels arrived in ${key}`,
          } satisfies QualityEvaluationRequestedDetail,
          time: now,
        })),
      );
    }
    logger.info('ground truth ingested', {
      ...context,
      labels,
      malformed: malformed.count,
      malformedSamples: malformed.lines().slice(0, 5),
      reopened: reopened.map((w) => w.start),
    });
    return { key, status: 'accepted', labels, malformed: malformed.count, reopened };
  };
};
