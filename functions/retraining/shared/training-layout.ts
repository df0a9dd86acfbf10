import { createHash } from 'node:crypto';
import { trainingMediaType } from '../../shared/config/retraining-schema.ts';
import { type ExecutionRef, trainingArtifactsPrefix } from '../../shared/retraining-contract.ts';
import { STORE_PREFIXES } from '../../shared/store-layout.ts';

/**
 * Where one retraining execution keeps its files in the capture store, all below
 * `training/<model>/<jobName>/` (store-layout.ts STORE_PREFIXES), and the names it gives SageMaker resources.
 *
 * ```
 * channels/<channel>/part-00000.csv   training data in the channel's content type (.jsonl for JSON Lines), encoded
 *                                     per retraining.trainingData (by default label first, no header, numbers only)
 * holdout/features/part-00000.csv     holdout features, no label, no header: the batch transform input
 * holdout/labels.csv                  holdout labels, line by line with the features
 * holdout/challenger/, champion/      batch transform output (<input file>.out)
 * baseline/dataset.csv                the training features, for the new baseline after a promotion
 * manifest.json                       sources with sha256, record counts, time range
 * evaluation.json                     the evaluate step's figures
 * ```
 *
 * and beside the model artifact, `training/<model>/artifacts/<jobName>/encoder.json` (SageMaker writes the
 * artifact to `.../<jobName>/output/model.tar.gz`): the fitted encoder.
 */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * `<model>-<yyyyMMddHHmmss>-<4 hex>`: the execution's start time and a hash of its id, so a retried step
 * computes the same name, and two executions started in the same second still differ. Model names are at
 * most 32 characters (shared/config/zod-primitives.ts), so the name stays within SageMaker's 63.
 */
export const trainingJobName = (model: string, execution: ExecutionRef): string => {
  const start = new Date(execution.startTime);
  const stamp =
    `${pad(start.getUTCFullYear(), 4)}${pad(start.getUTCMonth() + 1)}${pad(start.getUTCDate())}` +
    `${pad(start.getUTCHours())}${pad(start.getUTCMinutes())}${pad(start.getUTCSeconds())}`;
  const hex = createHash('sha256').update(execution.id).digest('hex').slice(0, 4);
  return `${model}-${stamp}-${hex}`;
};

export const CHANNEL_FILE = 'part-00000.csv';

/** the one object of a channel: `part-00000.csv`, or `part-00000.jsonl` for a JSON Lines channel */
export const channelFile = (contentType: string): string =>
  trainingMediaType(contentType) === 'application/jsonlines' ? 'part-00000.jsonl' : CHANNEL_FILE;

export const ENCODER_FILE = 'encoder.json';

export const trainingLayout = (model: string, jobName: string) => {
  const root = `${STORE_PREFIXES.training}${model}/${jobName}/`;
  return {
    root,
    channelPrefix: (channel: string) => `${root}channels/${channel}/`,
    holdoutFeaturesPrefix: `${root}holdout/features/`,
    holdoutFeaturesKey: `${root}holdout/features/${CHANNEL_FILE}`,
    holdoutLabelsKey: `${root}holdout/labels.csv`,
    challengerOutputPrefix: `${root}holdout/challenger/`,
    championOutputPrefix: `${root}holdout/champion/`,
    baselineDatasetKey: `${root}baseline/dataset.csv`,
    manifestKey: `${root}manifest.json`,
    encoderKey: `${trainingArtifactsPrefix(model)}${jobName}/${ENCODER_FILE}`,
    evaluationKey: `${root}evaluation.json`,
  };
};

/** batch transform job names: the training job's name and a suffix, within SageMaker's 63 characters */
export const transformJobNames = (jobName: string) => ({
  challenger: `${jobName}-c`,
  champion: `${jobName}-p`,
});

/** the restore point rollback returns to: the live endpoint config copied under the model's own name */
export const restoreConfigName = (jobName: string): string => `${jobName}-prev`;
