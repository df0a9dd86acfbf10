import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import {
  ERROR_EVIDENCE_METRIC,
  featureBaselineDriftMetric,
  featureDriftEvidenceMetric,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  type MetricJob,
  RUN_METRIC_NAMES,
} from '../../../functions/shared/telemetry.ts';

// CloudWatch alarms take periods of at most a day
const MAX_PERIOD = Duration.days(1);

const minutes = (value: number): Duration => {
  const period = Duration.minutes(value);
  return period.toSeconds() > MAX_PERIOD.toSeconds() ? MAX_PERIOD : period;
};

/**
 * A model's metrics as the handlers emit them (functions/shared/telemetry.ts): namespace METRICS_NAMESPACE, dimensions exactly
 * Model and Job, so the alarms and the dashboard read what is written. Periods follow the model's windows.
 */
export class ModelMetrics {
  readonly dataPeriod: Duration;
  readonly qualityPeriod: Duration;

  constructor(readonly model: ModelConfig) {
    this.dataPeriod = minutes(model.schedules.dataWindowMinutes);
    this.qualityPeriod = minutes(model.schedules.qualityWindowMinutes);
  }

  private periodOf(job: MetricJob): Duration {
    return job === 'quality' ? this.qualityPeriod : this.dataPeriod;
  }

  /** a metric of the model's job runs */
  run(metricName: string, job: MetricJob, statistic = 'Sum', label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [METRIC_DIMENSIONS.model]: this.model.name, [METRIC_DIMENSIONS.job]: job },
      statistic,
      period: this.periodOf(job),
      label: label ?? `${metricName} (${job})`,
    });
  }

  featureDrift(feature: string): cloudwatch.Metric {
    return this.run(featureBaselineDriftMetric(feature), 'data', 'Maximum', feature);
  }

  /** a feature's sequential drift evidence (issue 12) */
  featureEvidence(feature: string): cloudwatch.Metric {
    return this.run(featureDriftEvidenceMetric(feature), 'data', 'Maximum', feature);
  }

  /** the error e-process's evidence (issue 12) */
  errorEvidence(): cloudwatch.Metric {
    return this.run(ERROR_EVIDENCE_METRIC, 'quality', 'Maximum', 'model error');
  }

  /** drift and data-quality violations (Job=data) or model-quality violations (Job=quality) */
  violations(job: 'data' | 'quality'): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.violations, job, 'Sum', `${job} violations`);
  }

  modelQuality(metric: string): cloudwatch.Metric {
    return this.run(metric, 'quality', 'Average', metric);
  }

  rows(job: MetricJob): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.rows, job, 'Sum', `records read by ${job}`);
  }

  captured(): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.captured, 'capture', 'Sum', 'records captured by the API');
  }

  quarantined(): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.quarantined, 'data', 'Sum', 'quarantined objects');
  }

  duration(job: MetricJob): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.duration, job, 'Maximum', `${job} duration`);
  }

  failures(job: MetricJob): cloudwatch.Metric {
    return this.run(RUN_METRIC_NAMES.failures, job, 'Sum', `${job} failures`);
  }

  /** AWS/SageMaker endpoint metrics (EndpointName, VariantName); undefined without an endpoint */
  endpoint(metricName: string, statistic = 'Sum'): cloudwatch.Metric | undefined {
    const endpoint = this.model.endpoint;
    if (!endpoint) return undefined;
    return new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: endpoint.name, VariantName: endpoint.variant },
      statistic,
      period: Duration.minutes(5),
      label: metricName,
    });
  }
}
