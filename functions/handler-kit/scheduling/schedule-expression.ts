import { ratePeriodMinutes, scheduleProblem } from '../../shared/config/schedule-expressions.ts';
import { CronExpressionError, cronerFor } from './eventbridge-cron.ts';

/**
 * A model's `schedules.data` / `schedules.quality` expression as fire times. The expressions keep EventBridge's
 * syntax (they were rule schedules before the dispatcher), but no rule evaluates them any more: the dispatcher
 * does, once per tick, for every model.
 * - `rate(N unit)`: every N units since the Unix epoch in UTC (hours on the hour, days at midnight UTC), so the
 *   fire times do not depend on when anything was deployed.
 * - `cron(...)`: the times EventBridge would fire, in UTC (eventbridge-cron.ts).
 */
export interface FireSchedule {
  readonly expression: string;
  /** fire times in (after, upTo], oldest first */
  fireTimes(after: Date, upTo: Date): Date[];
}

const MINUTE_MS = 60_000;

const rateSchedule = (expression: string, periodMinutes: number): FireSchedule => {
  const period = periodMinutes * MINUTE_MS;
  return {
    expression,
    fireTimes(after, upTo) {
      const times: Date[] = [];
      for (let t = Math.floor(after.getTime() / period) * period + period; t <= upTo.getTime(); t += period) {
        times.push(new Date(t));
      }
      return times;
    },
  };
};

const cronSchedule = (expression: string): FireSchedule => {
  const cron = cronerFor(expression);
  // within a tick, every model on this expression (and grace) asks for the same interval: answer it once
  const recent = new Map<string, readonly Date[]>();
  return {
    expression,
    fireTimes(after, upTo) {
      const key = `${after.getTime()}/${upTo.getTime()}`;
      const known = recent.get(key);
      if (known) return [...known];
      const times: Date[] = [];
      // croner's nextRun is strictly after its argument
      for (let t = cron.nextRun(after); t && t.getTime() <= upTo.getTime(); t = cron.nextRun(t)) {
        times.push(t);
      }
      if (recent.size >= 16) recent.clear();
      recent.set(key, times);
      return [...times];
    },
  };
};

// 1,000 models share a handful of expressions; parsing each once per container keeps a tick cheap
const CACHE_LIMIT = 512;
const cache = new Map<string, FireSchedule>();

/** The fire times of an expression; throws CronExpressionError when it is neither a valid rate nor cron. */
export const parseSchedule = (expression: string): FireSchedule => {
  const cached = cache.get(expression);
  if (cached) return cached;
  const problem = scheduleProblem(expression);
  if (problem && !expression.startsWith('cron('))
    throw new CronExpressionError(expression, undefined, problem);
  const rate = ratePeriodMinutes(expression, Number.NaN);
  const schedule = Number.isNaN(rate) ? cronSchedule(expression) : rateSchedule(expression, rate);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expression, schedule);
  return schedule;
};
