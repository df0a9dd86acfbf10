import * as z from 'zod';
import type { ModelConfigSource } from '../adapters/model-config-source.ts';
import type { ObjectStore, StoreFor } from '../adapters/object-store.ts';
import type { RegistryRepository } from '../adapters/registry-repository.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository } from '../adapters/run-repository.ts';
import { suggestConstraints } from '../engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../engine/baseline/write-statistics.ts';
import { InputError } from '../engine/errors.ts';
import { MalformedLog } from '../engine/profile/malformed-log.ts';
import { profileSources } from '../engine/profile/profile-sources.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import {
  checkSlotRows,
  DEFAULT_MIN_SLOT_ROWS,
  type Seasonality,
} from '../engine/verdicts/seasonal-reference.ts';
import { VerdictSettingsError } from '../engine/verdicts/verdict-settings.ts';
import { baselineKeys, writeBaselinePointer } from '../handler-kit/baseline-pointer.ts';
import { objectSource } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { readJobEvent } from '../handler-kit/job-event.ts';
import { isoSeconds, type JobWindow } from '../handler-kit/job-window.ts';
import { recordFailedRun } from '../handler-kit/run-failure.ts';
import { slotsDocument } from '../handler-kit/slot-baseline.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { BaselineJobResult } from '../shared/retraining-contract.ts';
import { parseS3Uri, s3Uri } from '../shared/s3-uri.ts';
import { datasetKeys } from './dataset-objects.ts';
import { withModelThresholds } from './model-constraints.ts';
import { profileSlots, type SlotProfiles } from './slot-profiles.ts';

export interface BaselineJobDeps {
  /** the configs of the models events name (models table, cached per container) */
  readonly configs: ModelConfigSource;
  /** the capture store, where baselines/ lives */
  readonly store: ObjectStore;
  /** its bucket name, for the URIs the job returns */
  readonly bucket: string;
  /** datasets may live in any bucket the function may read */
  readonly storeFor: StoreFor;
  /** the champion's version, when the request names none */
  readonly registry: RegistryRepository;
  readonly runs: RunRepository;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
}

/**
 * A seasonal slot with fewer rows than the minimum: one line naming the setting (the config is what to change).
 * An InputError, so the run is recorded as failed on bad input and not retried.
 */
export class SlotRowsError extends InputError {}

const checkSlots = (seasonality: Seasonality, profiles: SlotProfiles, minimum: number): void => {
  try {
    checkSlotRows(
      seasonality,
      profiles.slots.map((s) => s.rows),
      minimum,
    );
  } catch (error) {
    if (error instanceof VerdictSettingsError) throw new SlotRowsError({ file: error.setting }, error.reason);
    throw error;
  }
};

/** The dataset lacks a column the model config names as a feature. */
export class BaselineDatasetError extends Error {
  override readonly name = 'BaselineDatasetError';
}

const detailSchema = z.looseObject({
  model: z.string().optional(),
  datasetUri: z.string().optional(),
  version: z.number().int().nonnegative().optional(),
});

/** the columns the data job checks: the features, and the outputs when the dataset has them */
const monitoredColumns = (model: ModelConfig, columns: readonly string[], file: string): string[] => {
  const features = model.features.map((f) => f.name);
  const missing = features.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new BaselineDatasetError(
      `${file}: the dataset has no column ${missing.map((m) => JSON.stringify(m)).join(', ')} ` +
        `named in the model's features (columns: ${columns.join(', ')})`,
    );
  }
  const outputs = model.outputs.map((o) => o.name);
  return columns.filter((c) => features.includes(c) || outputs.includes(c));
};

/**
 * The baseline job: profiles the model's dataset (the config's `baseline.datasetUri`, or the one a
 * `Baseline Requested` event or the retraining state machine names) in one streaming pass and writes
 * Model Monitor's statistics.json and constraints.json under `baselines/<model>/<version>/`, with the model's
 * thresholds in the constraints' monitoring_config. Then `baselines/<model>/current.json` is pointed at them
 * (last, so a reader never finds half a baseline). The version is the request's, else the registry's champion,
 * else 0 for a model with no registered version. Re-running the same request rewrites the same files.
 */
export const makeBaselineJobHandler = (deps: BaselineJobDeps) => {
  const { store, logger } = deps;
  return async (event: unknown): Promise<BaselineJobResult> => {
    const { model, trigger } = await readJobEvent(event, detailSchema, deps.configs);
    const startedAt = deps.now();
    const triggerTime = new Date(trigger.time);
    const stamp = new Date(Math.floor(triggerTime.getTime() / 1000) * 1000);
    const datasetUri = trigger.detail.datasetUri ?? model.baseline.datasetUri;
    const context = { model: model.name, datasetUri, trigger: trigger.id };
    let version: number | undefined = trigger.detail.version;
    try {
      const location = parseS3Uri(datasetUri, 'event.trigger.detail.datasetUri');
      version ??= (await deps.registry.getChampion(model.name))?.version ?? 0;
      const datasetStore = deps.storeFor(location.bucket);
      const keys = await datasetKeys(datasetStore, location.key, datasetUri);
      const malformed = new MalformedLog();
      const headerless = model.baseline.format === 'csv' && !model.baseline.header;
      const { seasonality, timeField } = model.baseline;
      const readOptions = {
        format: model.baseline.format,
        ...(model.baseline.format === 'csv' ? { header: model.baseline.header } : {}),
        // a headerless CSV holds the features in config order (as prepare-data writes it)
        ...(headerless ? { schema: { inputNames: model.features.map((f) => f.name) } } : {}),
        malformed,
      };
      const sources = keys.map((key) => objectSource(datasetStore, key));
      // a seasonal baseline profiles each slot in the same pass (config validation ensures a timeField)
      const seasonal =
        seasonality !== 'none' && timeField !== undefined
          ? await profileSlots(sources, { ...readOptions, seasonality, timeField })
          : undefined;
      if (seasonal) checkSlots(seasonality, seasonal, DEFAULT_MIN_SLOT_ROWS);
      const full = seasonal?.pooled ?? (await profileSources(sources, readOptions)).profile;
      const keep = monitoredColumns(model, full.columns, datasetUri);
      const dropped = full.columns.filter((c) => !keep.includes(c));
      const profile = dropped.length > 0 ? full.without(dropped) : full;

      const { statisticsKey, constraintsKey, slotsKey } = baselineKeys(model.name, version);
      if (seasonal && seasonality !== 'none') {
        const slots = seasonal.slots.map((slot) => {
          const kept = dropped.length > 0 ? slot.without(dropped) : slot;
          return kept.rows > 0 ? toStatisticsFile(kept) : null;
        });
        const rows = seasonal.slots.map((slot) => slot.rows);
        await store.put(
          slotsKey,
          `${JSON.stringify(slotsDocument(seasonality, timeField!, slots, rows))}\n`,
          'application/json',
        );
      }
      await store.put(statisticsKey, `${stringifyReport(toStatisticsFile(profile))}\n`, 'application/json');
      await store.put(
        constraintsKey,
        `${stringifyReport(withModelThresholds(suggestConstraints(profile), model))}\n`,
        'application/json',
      );
      await writeBaselinePointer(store, {
        formatVersion: 1,
        model: model.name,
        version,
        statisticsKey,
        constraintsKey,
        datasetUri,
        rows: profile.rows,
        createdAt: startedAt.toISOString(),
        ...(seasonal ? { slotsKey } : {}),
      });

      const finishedAt = deps.now();
      const result: BaselineJobResult = {
        version,
        statisticsUri: s3Uri(deps.bucket, statisticsKey),
        constraintsUri: s3Uri(deps.bucket, constraintsKey),
      };
      await deps.runs.putRun({
        model: model.name,
        job: 'baseline',
        windowStart: isoSeconds(stamp),
        windowEnd: isoSeconds(new Date(stamp.getTime() + 1000)),
        status: 'ok',
        rowCount: profile.rows,
        malformedCount: malformed.count,
        quarantinedObjects: 0,
        violationCount: 0,
        reportKey: statisticsKey,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        summary: {
          ...result,
          datasetUri,
          objects: keys.length,
          columns: profile.columns,
          droppedColumns: dropped,
          malformedSamples: malformed.lines().slice(0, 10),
        },
      });
      const { skipped } = deps.metrics.publishRun({
        model: model.name,
        job: 'baseline',
        windowStart: stamp,
        rowCount: profile.rows,
        malformedCount: malformed.count,
        quarantinedObjects: 0,
        violationCount: 0,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        failed: false,
      });
      if (skipped.length > 0) logger.warn('baseline metrics skipped', { ...context, skipped });
      logger.info('baseline written', {
        ...context,
        version,
        rows: profile.rows,
        features: profile.columns.length,
        objects: keys.length,
        malformed: malformed.count,
        droppedColumns: dropped,
      });
      return result;
    } catch (error) {
      const window: JobWindow = { start: stamp, end: new Date(stamp.getTime() + 1000) };
      await recordFailedRun(
        deps,
        {
          model: model.name,
          job: 'baseline',
          window,
          startedAt,
          finishedAt: deps.now(),
          summary: { datasetUri, version: version ?? null },
        },
        error,
      );
      if (error instanceof SlotRowsError)
        logger.warn('the seasonal baseline is refused', { ...context, reason: error.message });
      else if (error instanceof InputError)
        logger.warn('the dataset is not readable', { ...context, reason: error.message });
      throw error;
    }
  };
};
