import { captureVariantPrefix } from '../../adapters/s3-layout.ts';
import { DatasetProfile } from '../../engine/profile/dataset-profile.ts';
import { MalformedLog } from '../../engine/profile/malformed-log.ts';
import { mergeProfileParts } from '../../engine/profile/profile-parts.ts';
import { partitionTimes } from '../../handler-kit/capture-objects.ts';
import { parseEventPart, readJobEvent } from '../../handler-kit/job-event.ts';
import { DEFAULT_TOLERATED_PART_FAILURE_SHARE } from '../../shared/config/fan-out-settings.ts';
import { captureLocation } from '../../shared/config/model-settings.ts';
import type { DataJobDeps, DataJobResult } from '../data-job-deps.ts';
import {
  BaselineNotFoundError,
  openDataRun,
  recordDataRun,
  recordFailedDataRun,
  requireCurrentBaseline,
} from '../data-run.ts';
import { quarantineObjects } from '../quarantine-objects.ts';
import { recordUnreadableCapture } from '../unreadable-failure.ts';
import { guardUnreadable, UnreadableCaptureError } from '../unreadable-guard.ts';
import { captureSchema, type WindowProfile } from '../window-profile.ts';
import { assembleParts, FanOutPartsFailedError } from './assemble-parts.ts';
import { deleteParts } from './delete-parts.ts';
import { failureInputSchema, fanOutDetailSchema, reduceInputSchema } from './fan-out-contract.ts';

export interface FanOutReduceDeps extends DataJobDeps {
  /** share of parts whose worker may fail before the run does; @default DEFAULT_TOLERATED_PART_FAILURE_SHARE */
  readonly toleratedPartFailureShare?: number;
}

/** An earlier state of the fan-out failed (the state machine's catch handed its error to the reducer). */
export class FanOutStepError extends Error {
  override readonly name = 'FanOutStepError';
}

/** Lambda's error causes are JSON with `errorMessage`; anything else is kept as it is, cut short */
const causeText = (cause: string | undefined): string => {
  if (cause === undefined || cause === '') return '';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // not JSON: the cause as Step Functions gave it
  }
  return `: ${text.slice(0, 300)}`;
};

/** the run's own failures, recorded and done with; anything else is also rethrown, so the execution fails */
const recordedOnly = (error: unknown): boolean =>
  error instanceof BaselineNotFoundError ||
  error instanceof FanOutPartsFailedError ||
  error instanceof FanOutStepError;

/**
 * The fan-out's last state, and its failure path. Normally: judges the parts per object (assembleParts), applies
 * the unreadable-share guard and quarantines exactly as the single pass does, merges the parts' profiles
 * (`mergeProfileParts`: exact counts, sums, extremes and categories; sketches within bound) and finishes the run
 * through the data job's own `recordDataRun`, so a fanned-out window gets the same reports, run record, metrics and
 * event as one the data job profiled. With `failure` in its input (an earlier state failed), it records the
 * failed run with that error. Either way every run ends with a run record, and the part documents are deleted.
 */
export const makeFanOutReduceHandler = (deps: FanOutReduceDeps) => {
  const { store, logger } = deps;
  const toleratedShare = deps.toleratedPartFailureShare ?? DEFAULT_TOLERATED_PART_FAILURE_SHARE;
  return async (event: unknown): Promise<DataJobResult> => {
    const { model, trigger } = await readJobEvent(event, fanOutDetailSchema, deps.configs);
    const failure = failureInputSchema.safeParse(event);
    const { window, range, runId, startedAt } = openDataRun(model, trigger, deps.now());
    try {
      if (failure.success) {
        const { Error: name, Cause } = failure.data.failure;
        throw new FanOutStepError(`a step of the fan-out failed: ${name}${causeText(Cause)}`);
      }
      const { parts: results } = parseEventPart(reduceInputSchema, event, 'event');
      const current = await requireCurrentBaseline(store, model.name);
      const assembled = await assembleParts({ store, results, toleratedShare, logger });
      guardUnreadable(assembled.unreadable, assembled.planned.length, model);
      const source = deps.captureSources?.(model);
      const quarantined = await quarantineObjects(store, assembled.unreadable, logger, source);
      if (assembled.leftOut.length > 0)
        logger.warn('objects left out of the window: their workers failed', {
          model: model.name,
          runId,
          leftOut: assembled.leftOut,
        });
      const schema = captureSchema(model);
      const merged =
        assembled.parts.length > 0
          ? mergeProfileParts(assembled.parts)
          : {
              profile: new DatasetProfile([...(schema.inputNames ?? []), ...(schema.outputNames ?? [])]),
              malformed: new MalformedLog(),
            };
      // as the window profile does: the count is every malformed record, the samples the first few
      merged.malformed.count = merged.profile.malformed;
      const location = captureLocation(model);
      const prefix = source?.prefix ?? captureVariantPrefix(location.endpointName, location.variantName);
      const hours = new Set(assembled.planned.map((key) => partitionTimes(prefix, key)?.hour.getTime()));
      const captured: WindowProfile = {
        profile: merged.profile,
        objects: assembled.objects,
        quarantined,
        quarantinedNow: quarantined.length,
        malformed: merged.malformed,
        hours: { fromProfiles: 0, fromCapture: hours.size },
        ...(assembled.leftOut.length > 0 ? { leftOut: assembled.leftOut } : {}),
      };
      return await recordDataRun(deps, { model, window, runId, startedAt, current, captured });
    } catch (error) {
      if (error instanceof UnreadableCaptureError)
        return await recordUnreadableCapture(deps, { model, window, runId, startedAt, error });
      await recordFailedDataRun(deps, model.name, { window, runId, startedAt }, error);
      if (!recordedOnly(error)) throw error;
      return {
        model: model.name,
        runId,
        window: range,
        status: 'failed',
        rows: 0,
        malformed: 0,
        quarantined: 0,
        violations: 0,
        reportUri: null,
        eventPublished: false,
      };
    } finally {
      await deleteParts(store, model.name, range.start, logger);
    }
  };
};
