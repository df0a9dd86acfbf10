/** EventBridge schedule expressions as the config accepts them: `rate(...)` and `cron(...)`. */

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** Why an EventBridge schedule expression is unusable, or undefined when it is fine. */
export const scheduleProblem = (expression: string): string | undefined => {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (value < 1) return 'is not a cron(...) or rate(...) expression (the rate must be at least 1)';
    // EventBridge rejects "rate(1 hours)" and "rate(2 hour)"
    if ((value === 1) !== !unit.endsWith('s')) {
      return `is not a cron(...) or rate(...) expression (use the ${value === 1 ? 'singular' : 'plural'} unit)`;
    }
    return undefined;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    if (cron[3] !== '?' && cron[5] !== '?') {
      return 'is not a cron(...) or rate(...) expression (day-of-month or day-of-week must be "?")';
    }
    return undefined;
  }
  return 'is not a cron(...) or rate(...) expression';
};

/** The period of a rate(...) expression in minutes; cron expressions have none, so the fallback applies. */
export const ratePeriodMinutes = (expression: string, fallback: number): number => {
  const rate = RATE.exec(expression);
  if (!rate) return fallback;
  return Number(rate[1]) * (MINUTES_PER_UNIT[(rate[2] ?? '').replace(/s$/, '')] ?? 1);
};
