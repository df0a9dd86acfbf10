import { utcDayPath, utcHourPath } from '../../adapters/key-parts.ts';
import type { ObjectStore, StoreFor } from '../../adapters/object-store.ts';
import type { RegistryRepository } from '../../adapters/registry-repository.ts';
import { captureVariantPrefix, groundTruthPrefix, hourStarts } from '../../adapters/s3-layout.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../../handler-kit/invalid-event-error.ts';
import { captureLocation } from '../../shared/config/model-settings.ts';
import { trainingMediaType } from '../../shared/config/retraining-schema.ts';
import type { PrepareDataResult, TrainingEncoder } from '../../shared/retraining-contract.ts';
import { parseS3Uri, s3Uri } from '../../shared/s3-uri.ts';
import { csvRow, listKeys, readObject, sha256Hex } from '../shared/object-bytes.ts';
import {
  executionRefSchema,
  lockResultSchema,
  parseStepInput,
  type RetrainableModel,
} from '../shared/step-input.ts';
import { csvHeader, csvRecord, encodeRow, fitEncoder, jsonLinesRecord } from '../shared/training-encoder.ts';
import {
  channelFile,
  trainingJobName,
  trainingLayout,
  transformJobNames,
} from '../shared/training-layout.ts';
import { holdoutSplit } from './holdout-split.ts';
import {
  readChannelSource,
  readLabelledCapture,
  Skipped,
  type SourceEntry,
  type TrainingRow,
} from './training-rows.ts';

export interface PrepareDataDeps {
  readonly storeFor: StoreFor;
  /** the capture store: capture and ground truth are read from it, everything prepared is written to it */
  readonly captureBucket: string;
  readonly registry: RegistryRepository;
  readonly logger: HandlerLogger;
  /** how far back from the execution's start labelled capture is gathered; @default 168 (a week) */
  readonly captureLookbackHours?: number;
}

/** there is not enough labelled data to train and hold some out */
export class InsufficientDataError extends Error {
  override readonly name = 'InsufficientDataError';
}

export const DEFAULT_CAPTURE_LOOKBACK_HOURS = 168;
export const MANIFEST_FORMAT_VERSION = 1;
const HOUR_MS = 3_600_000;

const sourceObjects = async (
  storeFor: StoreFor,
  uri: string,
): Promise<{ store: ObjectStore; bucket: string; keys: string[] }> => {
  const { bucket, key } = parseS3Uri(uri);
  const store = storeFor(bucket);
  // SageMaker's S3Prefix: every object whose key starts with the URI's key
  return { store, bucket, keys: await listKeys(store, key) };
};

/**
 * The keys in the hour partitions `<prefix>yyyy/mm/dd/hh/` overlapping [start, end), listed a day at a time:
 * a week of lookback is 8 listings instead of 168 (the store's listHourWindow lists hour by hour).
 */
const listWindow = async (store: ObjectStore, prefix: string, start: Date, end: Date): Promise<string[]> => {
  const hours = new Set(hourStarts(start, end).map((hour) => utcHourPath(hour)));
  const days = [...new Set(hourStarts(start, end).map((hour) => utcDayPath(hour)))];
  const keys: string[] = [];
  for (const day of days) {
    for (const key of await listKeys(store, `${prefix}${day}/`)) {
      if (hours.has(key.slice(prefix.length, prefix.length + 13))) keys.push(key);
    }
  }
  return keys;
};

/** a channel in its declared content type, every row encoded as the encoder says */
const channelText = (encoder: TrainingEncoder, contentType: string, rows: readonly TrainingRow[]): string => {
  const jsonLines = trainingMediaType(contentType) === 'application/jsonlines';
  const records = rows.map((row) => {
    const encoded = encodeRow(encoder, row);
    return jsonLines ? jsonLinesRecord(encoder, encoded) : csvRecord(encoder, encoded);
  });
  const header = !jsonLines && encoder.header ? csvHeader(encoder) : '';
  return header + records.join('');
};

/** the manifest's column list: where the label sits among the written feature columns */
const writtenColumns = (encoder: TrainingEncoder): string[] => {
  if (encoder.labelColumn === 'first') return ['label', ...encoder.columns];
  if (encoder.labelColumn === 'last') return [...encoder.columns, 'label'];
  return [...encoder.columns];
};

/** the new baseline's dataset in the model's own baseline format, so the baseline job reads it as configured */
const baselineText = (model: RetrainableModel, rows: readonly TrainingRow[]): string => {
  const names = model.features.map((f) => f.name);
  if (model.baseline.format === 'jsonl') {
    return rows
      .map((row) => {
        const record = Object.fromEntries(
          names.map((name, i) => {
            const text = row.features[i] ?? '';
            const numerical = model.features[i]?.type === 'numerical';
            const value =
              text === '' ? null : numerical && Number.isFinite(Number(text)) ? Number(text) : text;
            return [name, value];
          }),
        );
        return `${JSON.stringify(record)}\n`;
      })
      .join('');
  }
  const header = model.baseline.header ? `${csvRow(names)}\n` : '';
  return header + rows.map((row) => `${csvRow(row.features)}\n`).join('');
};

/**
 * What the promoted model is judged against afterwards (`baseline.afterRetraining`, issue 12): the data it was
 * trained on (default), or the recent labelled capture alone; the training set when there is no capture.
 */
const baselineRows = (
  model: RetrainableModel,
  training: readonly TrainingRow[],
  capture: readonly TrainingRow[],
): readonly TrainingRow[] =>
  model.baseline.afterRetraining === 'recent-capture' && capture.length > 0 ? capture : training;

/**
 * Builds the training data of one execution under `training/<model>/<jobName>/`:
 * - each configured channel: its source objects (label first, features in config order; sha256 of each);
 *   the first channel also gets the recent labelled capture (capture joined with ground truth); each channel is
 *   written in its content type, encoded by an encoder fitted on the channels' rows (retraining.trainingData:
 *   SageMaker's built-in convention by default, label first, no header, numbers only), and the encoder is saved
 *   beside the model artifact with its sha256 in the manifest;
 * - a holdout drawn from the first channel, stratified by label and deterministic per execution (hash of
 *   the execution name), written as features and labels for the batch transforms and the evaluate step; the
 *   holdout features stay as the endpoint receives them (CSV, no header, not encoded): both the champion and
 *   the challenger are scored as they will serve;
 * - the new baseline's dataset (the training features), and a manifest of every source with its content hash,
 *   the record counts and the time range.
 * Capture and ground truth are read for the hours before the execution's start, so a retried step prepares
 * the same data. Sources are read whole: the step's memory (2 GB) bounds the training set.
 */
export const makePrepareDataHandler = (deps: PrepareDataDeps) => {
  const { storeFor, captureBucket, registry, logger } = deps;
  const lookbackHours = deps.captureLookbackHours ?? DEFAULT_CAPTURE_LOOKBACK_HOURS;
  return async (event: unknown): Promise<PrepareDataResult> => {
    const { model, execution, lock } = parseStepInput(
      'prepare-data',
      { execution: executionRefSchema, lock: lockResultSchema },
      event,
    );
    if (!lock.acquired)
      throw new InvalidEventError('prepare-data: event.lock.acquired: the lock was not acquired');
    const retraining = model.retraining;
    const jobName = trainingJobName(model.name, execution);
    const layout = trainingLayout(model.name, jobName);
    const out = storeFor(captureBucket);
    const uriOf = (key: string) => s3Uri(captureBucket, key);
    const skipped = new Skipped();

    // ---- channel sources ----
    const sources: (SourceEntry & { channel: string })[] = [];
    const channelRows = new Map<string, TrainingRow[]>();
    for (const channel of retraining.inputChannels) {
      const { store, bucket, keys } = await sourceObjects(storeFor, channel.s3Uri);
      const rows: TrainingRow[] = [];
      for (const key of keys) {
        const uri = s3Uri(bucket, key);
        const read = readChannelSource(model, await readObject(store, key), uri, skipped);
        for (const row of read.rows) rows.push(row);
        sources.push({ ...read.entry, channel: channel.name });
      }
      channelRows.set(channel.name, rows);
    }

    // ---- recent labelled capture ----
    const end = new Date(execution.startTime);
    const start = new Date(end.getTime() - lookbackHours * HOUR_MS);
    const { endpointName, variantName } = captureLocation(model);
    const captureKeys = await listWindow(out, captureVariantPrefix(endpointName, variantName), start, end);
    const groundTruthKeys = await listWindow(out, groundTruthPrefix(model.name), start, end);
    const capture = await readLabelledCapture(model, out, uriOf, captureKeys, groundTruthKeys, skipped);

    // ---- holdout from the first channel ----
    const [first, ...others] = retraining.inputChannels;
    if (!first) throw new InsufficientDataError('prepare-data: event.model.retraining.inputChannels: empty');
    const pool = [...(channelRows.get(first.name) ?? []), ...capture.rows];
    const split = holdoutSplit(pool.length, {
      fraction: retraining.holdoutFraction,
      seed: execution.name,
      stratum: model.problemType === 'regression' ? undefined : (i) => pool[i]!.label,
    });
    if (split.training.length === 0 || split.holdout.length === 0) {
      throw new InsufficientDataError(
        `prepare-data: ${pool.length} labelled record(s) for channel ${first.name} ` +
          `(${capture.labelledRecords} from capture): too few to train and hold out`,
      );
    }
    const training = split.training.map((i) => pool[i]!);
    const holdout = split.holdout.map((i) => pool[i]!);

    // ---- the encoder, fitted on everything the channels hold, saved beside the model artifact ----
    const written = new Map<string, TrainingRow[]>([[first.name, training]]);
    for (const channel of others) written.set(channel.name, channelRows.get(channel.name) ?? []);
    const encoder = fitEncoder(model, retraining.trainingData, [...written.values()].flat());
    const encoderText = `${JSON.stringify(encoder, null, 2)}\n`;
    await out.put(layout.encoderKey, encoderText, 'application/json');
    const encoderRef = { uri: uriOf(layout.encoderKey), sha256: sha256Hex(encoderText) };

    // ---- write the channels, the holdout and the baseline dataset ----
    const channelUris: Record<string, string> = {};
    const channelCounts: Record<string, number> = {};
    for (const channel of retraining.inputChannels) {
      const rows = written.get(channel.name) ?? [];
      if (rows.length === 0)
        logger.warn('a training channel is empty', { model: model.name, channel: channel.name });
      const prefix = layout.channelPrefix(channel.name);
      await out.put(
        `${prefix}${channelFile(channel.contentType)}`,
        channelText(encoder, channel.contentType, rows),
        channel.contentType,
      );
      channelUris[channel.name] = uriOf(prefix);
      channelCounts[channel.name] = rows.length;
    }
    await out.put(
      layout.holdoutFeaturesKey,
      holdout.map((row) => `${csvRow(row.features)}\n`).join(''),
      'text/csv',
    );
    await out.put(
      layout.holdoutLabelsKey,
      holdout.map((row) => `${csvRow([row.label])}\n`).join(''),
      'text/csv',
    );
    await out.put(
      layout.baselineDatasetKey,
      baselineText(model, baselineRows(model, training, capture.rows)),
      model.baseline.format === 'jsonl' ? 'application/jsonl' : 'text/csv',
    );

    // ---- champion ----
    const champion = await registry.getChampion(model.name);
    const championVersion = champion ? await registry.getVersion(model.name, champion.version) : undefined;
    const championModelName = championVersion?.sagemakerModelName ?? null;
    if (champion && !championModelName) {
      logger.warn('the champion has no SageMaker model: the challenger is judged alone', {
        model: model.name,
        champion: champion.version,
      });
    }

    // ---- manifest ----
    const recordCount = pool.length + others.reduce((n, c) => n + (written.get(c.name)?.length ?? 0), 0);
    const labelCounts: Record<string, number> = {};
    if (model.problemType !== 'regression') {
      for (const row of pool) labelCounts[row.label] = (labelCounts[row.label] ?? 0) + 1;
    }
    const names = transformJobNames(jobName);
    const manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      model: model.name,
      problemType: model.problemType,
      execution,
      jobName,
      training: {
        image: retraining.trainingImage,
        hyperparameters: retraining.hyperparameters,
        instanceType: retraining.instanceType,
        instanceCount: retraining.instanceCount,
      },
      trainingData: retraining.trainingData,
      columns: writtenColumns(encoder),
      encoder: { ...encoderRef, categoricalEncoding: encoder.categoricalEncoding },
      sources,
      capture: {
        window: { start: start.toISOString(), end: end.toISOString() },
        objects: capture.captureObjects,
        groundTruthObjects: capture.groundTruthObjects,
        capturedRecords: capture.capturedRecords,
        labelledRecords: capture.labelledRecords,
        unmatchedPredictions: capture.unmatchedPredictions,
        unmatchedLabels: capture.unmatchedLabels,
        duplicateIds: capture.duplicateIds,
        timeRange: { first: capture.firstInference, last: capture.lastInference },
      },
      channels: Object.fromEntries(
        retraining.inputChannels.map((c) => [
          c.name,
          { uri: channelUris[c.name], records: channelCounts[c.name] },
        ]),
      ),
      holdout: {
        channel: first.name,
        fraction: retraining.holdoutFraction,
        seed: execution.name,
        records: holdout.length,
        inputUri: uriOf(layout.holdoutFeaturesPrefix),
        labelsUri: uriOf(layout.holdoutLabelsKey),
      },
      labelCounts,
      recordCount,
      skipped: { count: skipped.count, samples: skipped.samples },
      baselineDatasetUri: uriOf(layout.baselineDatasetKey),
      champion: { version: champion?.version ?? null, modelName: championModelName },
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    await out.put(layout.manifestKey, manifestText, 'application/json');

    logger.info('training data prepared', {
      model: model.name,
      jobName,
      sources: sources.length,
      captureObjects: capture.captureObjects.length,
      labelledCapture: capture.labelledRecords,
      training: training.length,
      holdout: holdout.length,
      skipped: skipped.count,
    });

    return {
      jobName,
      channelUris,
      // what the training state hands SageMaker as it is: the one machine has no channel names of its own
      inputDataConfig: retraining.inputChannels.map((channel) => ({
        ChannelName: channel.name,
        ContentType: channel.contentType,
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix' as const,
            S3Uri: channelUris[channel.name] ?? '',
            S3DataDistributionType: 'FullyReplicated' as const,
          },
        },
      })),
      manifestUri: uriOf(layout.manifestKey),
      manifestSha256: sha256Hex(manifestText),
      recordCount,
      baselineDatasetUri: uriOf(layout.baselineDatasetKey),
      holdout: {
        inputUri: uriOf(layout.holdoutFeaturesPrefix),
        labelsUri: uriOf(layout.holdoutLabelsKey),
        contentType: 'text/csv',
        challengerTransformJobName: names.challenger,
        challengerOutputUri: uriOf(layout.challengerOutputPrefix),
        championTransformJobName: names.champion,
        championOutputUri: uriOf(layout.championOutputPrefix),
      },
      championModelName,
      championVersion: champion?.version ?? null,
      encoder: encoderRef,
    };
  };
};
