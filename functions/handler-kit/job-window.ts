import type { WindowRange } from '../shared/events.ts';
import { InvalidEventError } from './invalid-event-error.ts';

const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** A window as Dates, half-open [start, end). */
export interface JobWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The schedule period that just closed at `time`. Periods are aligned to the UTC epoch (hours on the hour, days at
 * midnight UTC): a rate(1 hour) rule created at 09:17 fires at 10:17 and checks 09:00-10:00, and any jitter in
 * the scheduled time lands in the same window.
 */
export const closedWindow = (time: Date, periodMinutes: number): JobWindow => {
  if (!Number.isInteger(periodMinutes) || periodMinutes < 1) {
    throw new InvalidEventError(
      `window: period must be a positive whole number of minutes, got ${periodMinutes}`,
    );
  }
  const period = periodMinutes * MINUTE_MS;
  const end = Math.floor(time.getTime() / period) * period;
  return { start: new Date(end - period), end: new Date(end) };
};

/** The window a job runs for: the one in the event's detail when given (re-runs, backfills), else the one that closed. */
export const jobWindow = (triggerTime: string, periodMinutes: number, requested?: WindowRange): JobWindow => {
  if (requested) {
    const start = new Date(requested.start);
    const end = new Date(requested.end);
    if (start.getTime() % 1000 !== 0 || end.getTime() % 1000 !== 0) {
      throw new InvalidEventError('event.trigger.detail.window: bounds must be whole seconds');
    }
    return { start, end };
  }
  return closedWindow(new Date(triggerTime), periodMinutes);
};

/** `YYYY-MM-DDTHH:MM:SSZ`, the spelling of window bounds in keys, events and run records */
export const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

export const windowRange = (window: JobWindow): WindowRange => ({
  start: isoSeconds(window.start),
  end: isoSeconds(window.end),
});

/** window length in minutes */
export const windowMinutes = (window: JobWindow): number =>
  (window.end.getTime() - window.start.getTime()) / MINUTE_MS;
