import * as z from 'zod';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { DataJobDeps, DataJobResult } from '../data-job/data-job-deps.ts';
import { recordDataRun, recordFailedDataRun, requireCurrentBaseline } from '../data-job/data-run.ts';
import type { WindowProfile } from '../data-job/window-profile.ts';
import { assertUsableBaseline } from '../engine/baseline/load-baseline.ts';
import { InputError } from '../engine/errors.ts';
import { MalformedLog } from '../engine/profile/malformed-log.ts';
import { type NamedSource, profileSources } from '../engine/profile/profile-sources.ts';
import { bufferedSource } from '../engine/readers/table-parquet.ts';
import type { CurrentBaseline } from '../handler-kit/baseline-pointer.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { isoSeconds, type JobWindow } from '../handler-kit/job-window.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { parseS3Uri } from '../shared/s3-uri.ts';

/** detail-type of SageMaker's event for a transform job's status change (source `aws.sagemaker`) */
export const TRANSFORM_JOB_STATE_CHANGE = 'SageMaker Transform Job State Change';
/** detail-type this job publishes with the verdict of a batch transform job: a pipeline gate can wait for it */
export const BATCH_TRANSFORM_JUDGED = 'Batch Transform Judged';

// times arrive as epoch milliseconds or ISO strings, depending on the service's serializer
const time = z.union([z.number(), z.string()]).transform((value) => new Date(value));
const eventSchema = z.looseObject({
  'detail-type': z.literal(TRANSFORM_JOB_STATE_CHANGE),
  time: z.string(),
  detail: z.looseObject({
    TransformJobName: z.string().min(1),
    TransformJobStatus: z.string(),
    CreationTime: time.optional(),
    TransformStartTime: time.optional(),
    TransformEndTime: time.optional(),
  }),
});

export interface BatchTransformJobDeps extends DataJobDeps {
  /** the model whose `batchTransform.jobNamePrefix` starts the job's name, if any */
  readonly modelForJob: (jobName: string) => Promise<ModelConfig | undefined>;
  /** a store over the bucket of a model's `batchTransform.captureUri` */
  readonly storeFor: (bucket: string) => ObjectStore;
}

export type BatchTransformResult =
  | (DataJobResult & { readonly job: string })
  | { readonly status: 'ignored'; readonly job: string; readonly reason: string };

/** The captured input of one job: objects under the capture URI whose path holds the job name, outputs left out. */
const jobInputKeys = async (store: ObjectStore, prefix: string, job: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) {
    const parts = object.key.slice(prefix.length).split('/');
    if (parts.includes(job) && !parts.includes('output') && object.size > 0) keys.push(object.key);
  }
  return keys.sort();
};

const sourceOf = (store: ObjectStore, key: string): NamedSource => {
  const open = () =>
    (async function* () {
      yield* await store.getStream(key);
    })();
  // ranged reads would keep one row group in memory; the store streams from an offset only, so Parquet is buffered
  return { name: key, open, openRandom: () => bufferedSource(open()) };
};

/**
 * The baseline without the model's outputs: a transform job's captured input holds the features, its outputs are
 * other files, so an output column is not missing from it.
 */
const withoutOutputs = (current: CurrentBaseline, model: ModelConfig): CurrentBaseline => {
  const outputs = new Set(model.outputs.map((o) => o.name));
  const keep = <T extends { readonly name: string }>(features: readonly T[]): T[] =>
    features.filter((f) => !outputs.has(f.name));
  const { baseline } = current;
  return {
    ...current,
    baseline: {
      ...baseline,
      statistics: { ...baseline.statistics, features: keep(baseline.statistics.features) },
      constraints: { ...baseline.constraints, features: keep(baseline.constraints.features) },
      summary: { ...baseline.summary, features: keep(baseline.summary.features) },
    },
  };
};

/**
 * Judges a completed batch transform job: its captured input (CSV, JSON Lines or Parquet, `batchTransform` of the
 * model whose job-name prefix matches) is profiled and checked against the model's baseline exactly as a data
 * window is, over the job's own span [start, end): report, run record with its verdict, metric series, the
 * violations event and alerts. It then publishes `Batch Transform Judged` with the job's name and verdict. Jobs
 * that did not complete, or that no model claims, are ignored.
 */
export const makeBatchTransformJobHandler = (deps: BatchTransformJobDeps) => {
  const { logger } = deps;
  return async (event: unknown): Promise<BatchTransformResult> => {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InvalidEventError(`event.${issue.path.join('.')}: ${issue.message}`);
    }
    const { detail } = parsed.data;
    const job = detail.TransformJobName;
    if (detail.TransformJobStatus !== 'Completed')
      return { status: 'ignored', job, reason: `status ${detail.TransformJobStatus}` };
    const model = await deps.modelForJob(job);
    if (model?.batchTransform === undefined) {
      logger.info('transform job of no monitored model; ignored', { job });
      return { status: 'ignored', job, reason: 'no model has a matching batchTransform.jobNamePrefix' };
    }
    const settings = model.batchTransform;
    const end = detail.TransformEndTime ?? new Date(parsed.data.time);
    const start = detail.TransformStartTime ?? detail.CreationTime ?? end;
    // whole seconds, as window bounds are spelled; a job shorter than a second still spans one
    const window: JobWindow = {
      start: new Date(Math.floor(start.getTime() / 1000) * 1000),
      end: new Date(Math.max(Math.ceil(end.getTime() / 1000), Math.floor(start.getTime() / 1000) + 1) * 1000),
    };
    const runId = `${model.name}/batch/${job}`;
    const startedAt = deps.now();
    try {
      const current = withoutOutputs(await requireCurrentBaseline(deps.store, model.name), model);
      assertUsableBaseline(current.baseline);
      const location = parseS3Uri(settings.captureUri);
      const prefix = location.key === '' || location.key.endsWith('/') ? location.key : `${location.key}/`;
      const captureStore = deps.storeFor(location.bucket);
      const keys = await jobInputKeys(captureStore, prefix, job);
      if (keys.length === 0)
        throw new InputError(
          { file: settings.captureUri },
          `no captured input of transform job ${job} under it`,
        );
      const malformed = new MalformedLog();
      const { profile } = await profileSources(
        keys.map((key) => sourceOf(captureStore, key)),
        {
          format: settings.format,
          header: settings.header,
          schema: { inputNames: model.features.map((f) => f.name) },
          unreadable: 'skip',
          inputName: settings.captureUri,
          malformed,
        },
      );
      const captured: WindowProfile = {
        profile,
        objects: keys.length - malformed.unreadableLines().length,
        quarantined: [],
        quarantinedNow: 0,
        malformed,
        hours: { fromProfiles: 0, fromCapture: 0 },
      };
      const result = await recordDataRun(deps, {
        model,
        window,
        runId,
        startedAt,
        current,
        captured,
      });
      await deps.events.publish([
        {
          detailType: BATCH_TRANSFORM_JUDGED,
          detail: {
            model: model.name,
            transformJobName: job,
            runId,
            verdict: result.violations > 0 ? 'fail' : 'pass',
            violations: result.violations,
            rows: result.rows,
            reportUri: result.reportUri,
            window: { start: isoSeconds(window.start), end: isoSeconds(window.end) },
          },
        },
      ]);
      return { ...result, job };
    } catch (error) {
      await recordFailedDataRun(deps, model.name, { window, runId, startedAt }, error);
      throw error;
    }
  };
};
