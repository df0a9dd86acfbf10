import type {
  CaptureMetrics,
  PublishedMetrics,
  RefusalMetrics,
  RunMetrics,
  RunMetricsPublisher,
} from '../../functions/adapters/run-metrics.ts';

/** CloudWatch, locally: the runs' metrics are kept for the report instead of printed as EMF. */
export class LocalRunMetrics implements RunMetricsPublisher {
  readonly runs: RunMetrics[] = [];
  capturedRecords = 0;
  readonly refusals: RefusalMetrics[] = [];

  publishRun(run: RunMetrics): PublishedMetrics {
    this.runs.push(run);
    return { published: 1, skipped: [] };
  }

  publishCapture(capture: CaptureMetrics): PublishedMetrics {
    this.capturedRecords += capture.records;
    return { published: 1, skipped: [] };
  }

  publishRefusal(refusal: RefusalMetrics): PublishedMetrics {
    this.refusals.push(refusal);
    return { published: 1, skipped: [] };
  }
}
