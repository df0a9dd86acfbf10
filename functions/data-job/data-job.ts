import { z } from 'zod';
import type { DetectorStateRepository } from '../adapters/detector-state-repository.ts';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { MetricRepository } from '../adapters/metric-repository.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository, RunStatus } from '../adapters/run-repository.ts';
import { executionName } from '../adapters/sfn/sfn-workflow-starter.ts';
import type { WorkflowStarter } from '../adapters/workflow-starter.ts';
import type { WindowRange } from '../shared/events.ts';
import { loadCurrentBaseline } from '../shared/handler-kit/baseline-pointer.ts';
import { listWindowCapture } from '../shared/handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../shared/handler-kit/handler-logger.ts';
import { parseJobEvent, windowRangeSchema } from '../shared/handler-kit/job-event.ts';
import { jobWindow, windowRange } from '../shared/handler-kit/job-window.ts';
import { runIdOf } from '../shared/handler-kit/monitoring-violation.ts';
import { recordFailedRun } from '../shared/handler-kit/run-failure.ts';
import { captureLocation } from '../shared/model-config.ts';
import { recordDataRun } from './data-run.ts';
import { profileWindow } from './window-profile.ts';

export interface DataJobDeps {
  /** the capture store: capture/, baselines/, profiles/, reports/, quarantine/ */
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly runs: RunRepository;
  readonly series: MetricRepository;
  readonly events: EventPublisher;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /**
   * where each (model, feature) keeps its sequential evidence between runs, and the model's harm state is read
   * from; @default - no sequential verdicts
   */
  readonly verdictStates?: DetectorStateRepository;
  /** fewer values than this in a sample: reported, not judged; @default the engine's (30) */
  readonly minSamples?: number;
  /** windows with more capture bytes than `thresholdBytes` go to the fan-out state machine; absent: never */
  readonly fanOut?: {
    readonly starter: WorkflowStarter;
    readonly stateMachineArn: string;
    readonly thresholdBytes: number;
  };
}

/** 512 MiB: about what one Lambda profiles within its 15 minutes with room to spare */
export const DEFAULT_FAN_OUT_THRESHOLD_BYTES = 512 * 1024 * 1024;

export interface DataJobResult {
  readonly model: string;
  readonly runId: string;
  readonly window: WindowRange;
  /** `fanned-out`: the window went to the fan-out state machine, whose reducer records the run */
  readonly status: RunStatus | 'fanned-out';
  readonly rows: number;
  readonly malformed: number;
  readonly quarantined: number;
  readonly violations: number;
  /** s3:// URI of constraint_violations.json; null when the run failed before writing it */
  readonly reportUri: string | null;
  readonly eventPublished: boolean;
}

/** The model has no baseline yet (the baseline job has not run): nothing to check against. */
export class BaselineNotFoundError extends Error {
  override readonly name = 'BaselineNotFoundError';
  constructor(readonly model: string) {
    super(`model ${model} has no baseline yet: run the baseline job (a "Baseline Requested" event) first`);
  }
}

/** schedules send `{}`; a person may re-run or backfill a window by naming it */
const detailSchema = z.looseObject({ model: z.string().optional(), window: windowRangeSchema.optional() });

/**
 * The data job: the window that just closed (`schedules.dataWindowMinutes`, aligned to the trigger time), or
 * the one the event names. Streams the window's capture (or merges stored hourly profiles), checks drift and
 * data quality against the model's current baseline, and writes, all under deterministic keys so a re-run of
 * the window replaces its results: `reports/<model>/data/<windowStart>/{constraint_violations,report}.json`,
 * the run record, per-feature metric series, EMF metrics, and `Monitoring Violations Detected` when anything is
 * violated (dataset drift and an empty window included). Unreadable capture objects go to quarantine/.
 */
const emptyResult = (model: string, runId: string, window: WindowRange): Omit<DataJobResult, 'status'> => ({
  model,
  runId,
  window,
  rows: 0,
  malformed: 0,
  quarantined: 0,
  violations: 0,
  reportUri: null,
  eventPublished: false,
});

export const makeDataJobHandler = (deps: DataJobDeps) => {
  const { store, logger } = deps;
  return async (event: unknown): Promise<DataJobResult> => {
    const { model, trigger } = parseJobEvent(event, detailSchema);
    const window = jobWindow(trigger.time, model.schedules.dataWindowMinutes, trigger.detail.window);
    const range = windowRange(window);
    const runId = runIdOf(model.name, 'data', range.start);
    const startedAt = deps.now();
    try {
      const current = await loadCurrentBaseline(store, model.name);
      if (!current) throw new BaselineNotFoundError(model.name);
      if (deps.fanOut) {
        const objects = await listWindowCapture(store, captureLocation(model), window);
        const bytes = objects.reduce((sum, o) => sum + o.size, 0);
        if (bytes > deps.fanOut.thresholdBytes) {
          // the same envelope, with the window named: every fan-out state arrives at this window and run id
          const input = { model, trigger: { ...trigger, detail: { ...trigger.detail, window: range } } };
          const started = await deps.fanOut.starter.start({
            stateMachineArn: deps.fanOut.stateMachineArn,
            name: executionName('fan-out', model.name, range.start),
            input,
          });
          logger.info('data window fanned out', { model: model.name, runId, bytes, ...started });
          return { ...emptyResult(model.name, runId, range), status: 'fanned-out' };
        }
      }
      const captured = await profileWindow({ store, model, window, logger });
      return await recordDataRun(deps, { model, window, runId, startedAt, current, captured });
    } catch (error) {
      await recordFailedRun(
        deps,
        { model: model.name, job: 'data', window, startedAt, finishedAt: deps.now(), summary: { runId } },
        error,
      );
      // retrying cannot make a baseline appear: the failure is recorded and alarmed, the event is done with
      if (error instanceof BaselineNotFoundError)
        return { ...emptyResult(model.name, runId, range), status: 'failed' };
      throw error;
    }
  };
};
