import type { AbTestSummary } from '../ab/ab-test-summary.ts';
/**
 * `out/run.json`: what one local run (`npm start`) did, in machine form; `out/report.html` renders the
 * same facts. Hours count from the start of the simulated run (hour 0 is the first window).
 */

export interface HistogramJson {
  /** bin edges for numerical features (length = counts.length + 1), or category labels */
  readonly labels: string[];
  readonly counts: number[];
}

export interface FeatureDistributions {
  readonly name: string;
  readonly type: 'numerical' | 'categorical';
  readonly baseline: HistogramJson;
  /** the last window's distribution on the same bins/categories */
  readonly current: HistogramJson;
}

export interface WindowSummary {
  readonly hour: number;
  /** ISO-8601 start of the window */
  readonly start: string;
  readonly rows: number;
  readonly status: 'ok' | 'no-data' | 'insufficient-data';
  readonly driftedShare: number;
  readonly drifted: boolean;
  /** the model version serving during the window */
  readonly modelVersion: number;
  /** per feature: the deciding drift statistic (distance, or p-value for tests) and verdict */
  readonly features: Record<
    string,
    { readonly method: string; readonly score: number | null; readonly drifted: boolean }
  >;
  readonly violations: number;
  /** model-quality metrics once labels for this window arrived (e.g. accuracy, aucRoc) */
  readonly quality?: Record<string, number>;
  /** label-free estimate of accuracy before labels arrive */
  readonly estimatedAccuracy?: number;
  /** sequential drift evidence per feature after this window (issue 12) */
  readonly evidence?: Record<string, number>;
  /** the error e-process's evidence after this window's labels were fed (issue 12) */
  readonly errorEvidence?: number;
}

export interface AlertSummary {
  readonly hour: number;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly check: string;
  readonly subject: string;
}

export interface ModelVersionSummary {
  readonly version: number;
  /** the hour it started serving (0 for the first) */
  readonly servingFromHour: number;
  readonly metrics: Record<string, number>;
  readonly status: 'champion' | 'retired' | 'rejected';
}

export interface RetrainingSummary {
  readonly startedHour: number;
  readonly status: 'promoted' | 'rejected' | 'rolled-back' | 'skipped' | 'failed';
  readonly challengerVersion?: number;
  readonly detail: string;
}

export interface TimelineEvent {
  readonly hour: number;
  readonly kind:
    | 'drift-injected'
    | 'drift-detected'
    | 'alert'
    | 'retraining'
    | 'promotion'
    | 'recovery'
    | 'info';
  readonly text: string;
}

export interface RunSummary {
  readonly formatVersion: 1;
  readonly scenario: {
    readonly dataset: string;
    readonly hours: number;
    readonly driftAt: number | null;
    readonly seed: number;
    readonly requestsPerHour: number;
  };
  readonly windows: WindowSummary[];
  readonly distributions: FeatureDistributions[];
  readonly alerts: AlertSummary[];
  readonly versions: ModelVersionSummary[];
  readonly retraining: RetrainingSummary[];
  readonly timeline: TimelineEvent[];
  /** the sequential verdicts' settings: evidence alarms at 1/alpha (issue 12) */
  readonly verdicts?: { readonly alpha: number; readonly relevance: number };
  /** the A/B test between two variants (`npm start -- --scenario ab-test`, issue 15) */
  readonly abTest?: AbTestSummary;
}
