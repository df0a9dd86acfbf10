import { parseSchedule } from '../../functions/handler-kit/scheduling/schedule-expression.ts';

// a non-leap year: its fire times divided by 12 give the average month of 730 hours
const YEAR_START = new Date('2026-01-01T00:00:00Z');
const YEAR_END = new Date('2027-01-01T00:00:00Z');

/** average fires per month of an EventBridge `rate(...)` or `cron(...)` expression */
export const firesPerMonth = (expression: string): number =>
  parseSchedule(expression).fireTimes(YEAR_START, YEAR_END).length / 12;
