import { HOUR_MS, type JobWindow } from './job-window.ts';

/**
 * Which labels can belong to which predictions. Labels arrive late, in the hour partition of their arrival
 * (`ground-truth/<model>/yyyy/mm/dd/hh/`). The rule: a label that arrives in hour h may belong to a prediction
 * made up to `horizonHours` before h. So
 * - the quality job for window [s, e) reads label partitions overlapping [s, e + horizon), and
 * - labels arriving in hour h re-open every quality window [s, e) with s < h + 1 hour and e + horizon > h.
 * A label later than the horizon is never joined: it stays in the bucket, counted by ingest, but no window
 * reads it. The horizon is a deployment choice (how late labels come, `quality.labelHorizonHours`, default
 * DEFAULT_LABEL_HORIZON_HOURS in functions/shared/config/vocabulary.ts); both sides must use the same one.
 */

/** the label partitions the quality job reads for a window */
export const labelRange = (window: JobWindow, horizonHours: number): JobWindow => ({
  start: window.start,
  end: new Date(window.end.getTime() + horizonHours * HOUR_MS),
});

/** the quality windows (of `periodMinutes`, aligned as the schedule aligns them) that read label hour `hour` */
export const windowsForLabelHour = (hour: Date, horizonHours: number, periodMinutes: number): JobWindow[] => {
  const period = periodMinutes * 60_000;
  const earliestEnd = hour.getTime() - horizonHours * HOUR_MS;
  const hourEnd = hour.getTime() + HOUR_MS;
  const windows: JobWindow[] = [];
  // the first window whose end is after h - horizon
  let start = Math.floor(earliestEnd / period) * period;
  if (start + period <= earliestEnd) start += period;
  for (; start < hourEnd; start += period) {
    windows.push({ start: new Date(start), end: new Date(start + period) });
  }
  return windows;
};
