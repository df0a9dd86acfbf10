/** Per-feature metric time series (drift distances, completeness, quality metrics). Implementation: dynamodb/. */

/** The feature name under which model-level metrics (accuracy, AUC, ...) are stored. */
export const MODEL_LEVEL_FEATURE = '(model)';

export interface MetricPoint {
  readonly feature: string;
  readonly metric: string;
  /** finite; NaN and infinities are refused rather than stored as something they are not */
  readonly value: number;
}

export interface SeriesPoint {
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly windowStart: string;
  readonly value: number;
}

export interface MetricRepository {
  /**
   * Stores one value per (feature, metric) for the window. Keys are deterministic, so a re-run replaces the
   * values; a point repeated in one call keeps its last value. Points expire after the retention period.
   */
  putMetrics(model: string, windowStart: string | Date, points: readonly MetricPoint[]): Promise<void>;
  /** Values whose window starts in [from, to), oldest first; expired points are left out. */
  getSeries(
    model: string,
    feature: string,
    metric: string,
    from: string | Date,
    to: string | Date,
  ): Promise<SeriesPoint[]>;
}
