import type {
  CaptureMetrics,
  PublishedMetrics,
  RunMetrics,
  RunMetricsPublisher,
} from '../../functions/adapters/run-metrics.ts';

/** CloudWatch, locally: the runs' metrics are kept for the report instead of printed as EMF. */
export class LocalRunMetrics implements RunMetricsPublisher {
  readonly runs: RunMetrics[] = [];
  capturedRecords = 0;

  publishRun(run: RunMetrics): PublishedMetrics {
    this.runs.push(run);
    return { published: 1, skipped: [] };
  }

  publishCapture(capture: CaptureMetrics): PublishedMetrics {
    this.capturedRecords += capture.records;
    return { published: 1, skipped: [] };
  }
}
