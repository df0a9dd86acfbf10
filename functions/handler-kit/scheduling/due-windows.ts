import type { JobWindow } from '../job-window.ts';
import { parseSchedule } from './schedule-expression.ts';

/**
 * Which windows a dispatcher tick hands out. A job's schedule fires at times F (schedule-expression.ts); each
 * fire time closes the window [F - windowMinutes, F). The window is due at F + grace, so capture SageMaker writes
 * a few minutes late is in it when the job reads it (issue 10.3): grace delays the dispatch, never the window.
 *
 * The dispatcher runs every P minutes; the tick at T dispatches the windows due in (T - P, T]. Consecutive ticks'
 * intervals tile the time line, so every window is dispatched exactly once, no earlier than its due time and
 * less than P after it. T is the schedule event's `time` (not the clock), so a retried tick yields the same set.
 */

export interface JobSchedule {
  /** `rate(...)` or `cron(...)`, EventBridge syntax */
  readonly expression: string;
  readonly windowMinutes: number;
  readonly graceMinutes: number;
}

/** A number a schedule cannot work with (the config schema prevents these; a hand-edited index item may not). */
export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`${field}: ${JSON.stringify(value)} ${reason}`);
  }
}

const MINUTE_MS = 60_000;

const wholeMinutes = (field: string, value: number, min: number): number => {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidScheduleError(field, value, `must be a whole number of minutes, at least ${min}`);
  }
  return value;
};

/**
 * The tick a schedule event stands for: its time to the whole minute. EventBridge schedules have minute
 * granularity; a `time` with seconds (a hand-made event) lands on the same tick as its minute.
 */
export const tickOf = (time: Date): Date => new Date(Math.floor(time.getTime() / MINUTE_MS) * MINUTE_MS);

const windowBefore = (fire: Date, windowMinutes: number): JobWindow => ({
  start: new Date(fire.getTime() - windowMinutes * MINUTE_MS),
  end: fire,
});

/** The windows of `schedule` due in (tick - period, tick], oldest first. */
export const dueWindows = (tick: Date, periodMinutes: number, schedule: JobSchedule): JobWindow[] => {
  const period = wholeMinutes('periodMinutes', periodMinutes, 1) * MINUTE_MS;
  const grace = wholeMinutes('graceMinutes', schedule.graceMinutes, 0) * MINUTE_MS;
  const windowMinutes = wholeMinutes('windowMinutes', schedule.windowMinutes, 1);
  const t = tickOf(tick).getTime();
  return parseSchedule(schedule.expression)
    .fireTimes(new Date(t - period - grace), new Date(t - grace))
    .map((fire) => windowBefore(fire, windowMinutes));
};

/** When a window's job may start: its end plus the grace. */
export const dueAt = (window: JobWindow, graceMinutes: number): Date =>
  new Date(window.end.getTime() + graceMinutes * MINUTE_MS);

/**
 * The windows of `schedule` that hold an instant: those whose fire time F has F - windowMinutes <= at < F.
 * One for windows that tile time (window = period), several for sliding windows, none in a gap between
 * windows shorter than their period.
 */
export const windowsContaining = (at: Date, schedule: Omit<JobSchedule, 'graceMinutes'>): JobWindow[] => {
  const windowMinutes = wholeMinutes('windowMinutes', schedule.windowMinutes, 1);
  return parseSchedule(schedule.expression)
    .fireTimes(at, new Date(at.getTime() + windowMinutes * MINUTE_MS))
    .map((fire) => windowBefore(fire, windowMinutes));
};
