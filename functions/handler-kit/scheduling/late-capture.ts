import type { DomainEvent } from '../../adapters/event-publisher.ts';
import type { RunRecord, RunRepository } from '../../adapters/run-repository.ts';
import { DETAIL_TYPES, type WindowDueDetail } from '../../shared/events.ts';
import { partitionTimes } from '../capture-objects.ts';
import { isoSeconds, type JobWindow, windowRange } from '../job-window.ts';
import { dueAt, type JobSchedule, windowsContaining } from './due-windows.ts';

/**
 * Late capture (issue 10.3): SageMaker writes a capture file minutes after its records; grace covers the usual
 * delay, and this decides what to do with a file that lands later still. Given S3's `Object Created` for a key
 * under a model's capture location (`<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/<MM-SS-mmm>-<id>.jsonl`), it
 * finds the data windows the object belongs to (by the time in its key, as the data job assigns objects) and,
 * per window, whether the window must be judged again:
 * - `counted`: a run of the window started after the object was created; S3 lists are strongly consistent,
 *   so that run listed it (a duplicate or delayed S3 event).
 * - `reopen`: a run started before the object existed, whatever it concluded (no-data included), so its verdict
 *   lacks the object; or no run is recorded although the dispatcher handed the window out a period ago (the run
 *   is in flight or its dispatch was lost). The verdict is recomputed under the same deterministic keys.
 * - `pending`: no run yet and the dispatcher has not necessarily handed the window out: the scheduled run will
 *   list the object.
 * The rule and handler that act on it (publish `reopenEvents`) are wired in lib/ and functions/.
 */

export type LateCaptureAction = 'pending' | 'reopen' | 'counted';

export interface LateCaptureWindow {
  readonly window: JobWindow;
  readonly action: LateCaptureAction;
  /** one line for the log: why this action */
  readonly why: string;
  /** when the recorded run of the window started, if there is one: a re-open replaces that run's verdict */
  readonly runStartedAt?: string;
}

export type LateCaptureDecision =
  | { readonly kind: 'outside-layout'; readonly key: string; readonly reason: string }
  | {
      readonly kind: 'windows';
      readonly key: string;
      /** the time the key gives the object (hour partition + file-name minute) */
      readonly at: Date;
      /** none when the object falls in a gap between windows shorter than their period */
      readonly windows: readonly LateCaptureWindow[];
    };

export interface LateCaptureInput {
  readonly model: string;
  readonly key: string;
  /** the model's capture location, `<prefix><endpoint>/<variant>/` (the data job lists below it) */
  readonly variantPrefix: string;
  /** when S3 created the object: the `Object Created` event's time */
  readonly objectCreatedAt: Date;
  readonly now: Date;
  /** the model's data schedule (`schedules.data`, `dataWindowMinutes`, `graceMinutes`) */
  readonly schedule: JobSchedule;
  /** the dispatcher's tick period (`fleet.dispatchEveryMinutes`) */
  readonly dispatchEveryMinutes: number;
}

const MINUTE_MS = 60_000;

/** The action for one window, given the run recorded for it (if any). Pure. */
export const classifyWindow = (
  window: JobWindow,
  run: Pick<RunRecord, 'status' | 'startedAt'> | undefined,
  input: Pick<LateCaptureInput, 'objectCreatedAt' | 'now' | 'dispatchEveryMinutes'> & {
    graceMinutes: number;
  },
): LateCaptureWindow => {
  if (run) {
    const started = new Date(run.startedAt);
    if (started.getTime() >= input.objectCreatedAt.getTime()) {
      return {
        window,
        action: 'counted',
        why: `the run that started at ${isoSeconds(started)} listed it`,
        runStartedAt: run.startedAt,
      };
    }
    return {
      window,
      action: 'reopen',
      why: `judged ${run.status} by a run that started at ${isoSeconds(started)}, before the object was created`,
      runStartedAt: run.startedAt,
    };
  }
  const due = dueAt(window, input.graceMinutes);
  const handedOutBy = new Date(due.getTime() + input.dispatchEveryMinutes * MINUTE_MS);
  if (input.now.getTime() < handedOutBy.getTime()) {
    return {
      window,
      action: 'pending',
      why: `not judged yet; due at ${isoSeconds(due)}, its run will list it`,
    };
  }
  return {
    window,
    action: 'reopen',
    why: `due at ${isoSeconds(due)} but no run recorded: the run is in flight or its dispatch was lost`,
  };
};

/** The windows a late capture object belongs to and, for each, whether to re-open it (reads the run records). */
export const decideLateCapture = async (
  input: LateCaptureInput,
  runs: Pick<RunRepository, 'getRun'>,
): Promise<LateCaptureDecision> => {
  const { key, variantPrefix } = input;
  if (!key.startsWith(variantPrefix)) {
    return { kind: 'outside-layout', key, reason: `not under the model's capture location ${variantPrefix}` };
  }
  const times = partitionTimes(variantPrefix, key);
  if (!times) {
    return {
      kind: 'outside-layout',
      key,
      reason: `not under ${variantPrefix}yyyy/mm/dd/hh/: no window reads it`,
    };
  }
  const windows = windowsContaining(times.at, input.schedule);
  const decided = await Promise.all(
    windows.map(async (window) =>
      classifyWindow(window, await runs.getRun(input.model, 'data', window.start), {
        ...input,
        graceMinutes: input.schedule.graceMinutes,
      }),
    ),
  );
  return { kind: 'windows', key, at: times.at, windows: decided };
};

/** `Window Due` for each window to re-open; the data job judges it again and replaces its verdict. */
export const reopenEvents = (
  decision: LateCaptureDecision,
  model: string,
  configVersion: number,
  now: Date,
): DomainEvent[] =>
  decision.kind === 'windows'
    ? decision.windows
        .filter((w) => w.action === 'reopen')
        .map((w) => ({
          detailType: DETAIL_TYPES.windowDue,
          detail: {
            model,
            configVersion,
            job: 'data',
            window: windowRange(w.window),
            reason: `late capture ${decision.key}`,
          } satisfies WindowDueDetail,
          time: now,
        }))
    : [];
