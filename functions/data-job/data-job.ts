import * as z from 'zod';
import { executionName } from '../adapters/sfn/sfn-workflow-starter.ts';
import { assertUsableBaseline, EmptyBaselineError } from '../engine/baseline/load-baseline.ts';
import { listWindowCapture } from '../handler-kit/capture-objects.ts';
import { readJobEvent, windowRangeSchema } from '../handler-kit/job-event.ts';
import { captureLocation } from '../shared/config/model-settings.ts';
import type { WindowRange } from '../shared/events.ts';
import type { DataJobDeps, DataJobResult } from './data-job-deps.ts';
import {
  BaselineNotFoundError,
  openDataRun,
  recordDataRun,
  recordFailedDataRun,
  requireCurrentBaseline,
} from './data-run.ts';
import { recordUnreadableCapture } from './unreadable-failure.ts';
import { UnreadableCaptureError } from './unreadable-guard.ts';
import { profileWindow } from './window-profile.ts';

/** schedules send `{}`; a person may re-run or backfill a window by naming it */
const detailSchema = z.looseObject({ model: z.string().optional(), window: windowRangeSchema.optional() });

/**
 * The data job: the window that just closed (`schedules.dataWindowMinutes`, aligned to the trigger time), or
 * the one the event names. Streams the window's capture (or merges stored hourly profiles), checks drift and
 * data quality against the model's current baseline, and writes, all under deterministic keys so a re-run of
 * the window replaces its results: `reports/<model>/data/<windowStart>/{constraint_violations,report}.json`,
 * the run record, per-feature metric series, EMF metrics, and `Monitoring Violations Detected` when anything is
 * violated (dataset drift and an empty window included). Unreadable capture objects go to quarantine/, unless
 * more than `capture.maxUnreadableShare` of the window's are: then none does, and the run fails with an alert
 * naming the likely cause (unreadable-guard.ts).
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
    const { model, configVersion, trigger } = await readJobEvent(event, detailSchema, deps.configs);
    const { window, range, runId, startedAt } = openDataRun(model, trigger, deps.now());
    try {
      const current = await requireCurrentBaseline(store, model.name);
      // before any capture is read: no window can be judged against an empty baseline
      assertUsableBaseline(current.baseline);
      const source = deps.captureSources?.(model);
      if (deps.fanOut) {
        const objects = source
          ? await listWindowCapture(source.store, captureLocation(model), window, source.prefix)
          : await listWindowCapture(store, captureLocation(model), window);
        const bytes = objects.reduce((sum, o) => sum + o.size, 0);
        if (bytes > deps.fanOut.thresholdBytes) {
          // the same envelope, with the window and the config version named: every fan-out state arrives at this
          // window and run id, and reads the config this run started with
          const input = {
            model: model.name,
            configVersion,
            trigger: { ...trigger, detail: { ...trigger.detail, window: range } },
          };
          const started = await deps.fanOut.starter.start({
            stateMachineArn: deps.fanOut.stateMachineArn,
            name: executionName('fan-out', model.name, range.start),
            input,
          });
          logger.info('data window fanned out', { model: model.name, runId, bytes, ...started });
          return { ...emptyResult(model.name, runId, range), status: 'fanned-out' };
        }
      }
      const captured = await profileWindow({ store, model, window, logger, ...(source ? { source } : {}) });
      return await recordDataRun(deps, { model, window, runId, startedAt, current, captured });
    } catch (error) {
      if (error instanceof UnreadableCaptureError)
        return await recordUnreadableCapture(deps, { model, window, runId, startedAt, error });
      await recordFailedDataRun(deps, model.name, { window, runId, startedAt }, error);
      // retrying cannot make a baseline appear, nor fill an empty one: the failure is recorded (naming the
      // baseline's statistics file) and alarmed, the event is done with
      if (error instanceof BaselineNotFoundError || error instanceof EmptyBaselineError)
        return { ...emptyResult(model.name, runId, range), status: 'failed' };
      throw error;
    }
  };
};
