import * as z from 'zod';
import type { BatchEventPublisher } from '../adapters/batch-event-publisher.ts';
import type { DomainEvent } from '../adapters/event-publisher.ts';
import type { ModelSchedule, ModelStore } from '../adapters/model-store.ts';
import { errorSummary, type HandlerLogger } from '../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../handler-kit/invalid-event-error.ts';
import { isoInstant, parseEventPart } from '../handler-kit/job-event.ts';
import { isoSeconds, windowRange } from '../handler-kit/job-window.ts';
import { dueWindows, InvalidScheduleError, tickOf } from '../handler-kit/scheduling/due-windows.ts';
import { CronExpressionError } from '../handler-kit/scheduling/eventbridge-cron.ts';
import { DETAIL_TYPES, type WindowDueDetail, type WindowRange } from '../shared/events.ts';

export type DispatchJob = WindowDueDetail['job'];
const JOBS: readonly DispatchJob[] = ['data', 'quality'];

export interface DispatcherDeps {
  /** the model store's fleet index: one small item per model (functions/shared/tables.ts) */
  readonly schedules: Pick<ModelStore, 'schedules'>;
  readonly publisher: BatchEventPublisher;
  /** how often the tick rule fires (`fleet.dispatchEveryMinutes`) */
  readonly periodMinutes: number;
  readonly logger: HandlerLogger;
}

/** a model (and job, and window, when it got that far) the tick could not hand out */
export interface DispatchFailure {
  readonly model: string;
  readonly job: DispatchJob;
  readonly window?: WindowRange;
  readonly reason: string;
}

export interface DispatchResult {
  readonly tick: string;
  /** active models read */
  readonly models: number;
  /** removed models skipped */
  readonly removed: number;
  /** Window Due events built */
  readonly windows: number;
  readonly dispatched: number;
  readonly undispatched: number;
  /** the first failures (all of them are logged, one line each) */
  readonly failures: readonly DispatchFailure[];
}

const RESULT_FAILURE_LIMIT = 50;

/** the tick rule's envelope: `{ trigger }` as the rule's input transformer builds it; only `time` matters */
const eventSchema = z.object({ trigger: z.looseObject({ time: isoInstant }) });

const jobSchedule = (entry: ModelSchedule, job: DispatchJob) => ({
  expression: job === 'data' ? entry.data : entry.quality,
  windowMinutes: job === 'data' ? entry.dataWindowMinutes : entry.qualityWindowMinutes,
  graceMinutes: entry.graceMinutes,
});

/**
 * The dispatcher, on the stack's one tick rule (`rate(<fleet.dispatchEveryMinutes> minutes)`): reads every
 * model's schedule and publishes one `Window Due` per window due in (T - period, T] (due-windows.ts), T being
 * the event's time so that EventBridge's retry of a tick hands out the same windows. Publishing goes through
 * the batch publisher (10 entries per PutEvents, bounded concurrency, bounded retries of failed entries); what
 * still failed, and schedules that cannot be evaluated, are logged one line per model and window and counted in
 * the result: one model's trouble never holds up the others. Only a failure to read the schedules fails the
 * tick (nothing was sent, so EventBridge's retry of the invocation is safe).
 */
export const makeDispatcherHandler = (deps: DispatcherDeps) => {
  const { logger } = deps;

  return async (event: unknown): Promise<DispatchResult> => {
    if (event === null || typeof event !== 'object') {
      throw new InvalidEventError('event: expected an object with trigger');
    }
    const { trigger } = parseEventPart(eventSchema, event, 'event');
    const tick = tickOf(new Date(trigger.time));
    // an index item that does not parse is skipped, so one hand-edited item cannot stop the fleet
    const entries = await deps.schedules.schedules({
      onCorrupt: (error) =>
        logger.error('schedule index item skipped', { key: error.key, ...errorSummary(error) }),
    });

    const failures: DispatchFailure[] = [];
    const planned: { detail: WindowDueDetail }[] = [];
    let removed = 0;
    for (const entry of entries) {
      if (entry.status === 'removed') {
        removed += 1;
        continue;
      }
      for (const job of JOBS) {
        try {
          for (const window of dueWindows(tick, deps.periodMinutes, jobSchedule(entry, job))) {
            planned.push({
              detail: { model: entry.name, configVersion: entry.version, job, window: windowRange(window) },
            });
          }
        } catch (error) {
          if (!(error instanceof CronExpressionError || error instanceof InvalidScheduleError)) throw error;
          failures.push({ model: entry.name, job, reason: error.message });
          logger.error('schedule cannot be evaluated', { model: entry.name, job, reason: error.message });
        }
      }
    }

    const events: DomainEvent[] = planned.map(({ detail }) => ({
      detailType: DETAIL_TYPES.windowDue,
      detail: { ...detail },
      time: tick,
    }));
    const outcomes = events.length > 0 ? await deps.publisher.publishEach(events) : [];
    let dispatched = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.published) {
        dispatched += 1;
        return;
      }
      const { model, configVersion, job, window } = planned[i]!.detail;
      const reason = `${outcome.errorCode} after ${outcome.attempts} attempt(s)`;
      failures.push({ model, job, window, reason });
      logger.error('window not dispatched', {
        model,
        configVersion,
        job,
        window,
        reason,
        errorMessage: outcome.errorMessage,
      });
    });

    const active = entries.length - removed;
    const result: DispatchResult = {
      tick: isoSeconds(tick),
      models: active,
      removed,
      windows: events.length,
      dispatched,
      undispatched: failures.length,
      failures: failures.slice(0, RESULT_FAILURE_LIMIT),
    };
    logger.info('tick dispatched', { ...result, failures: undefined });
    return result;
  };
};
