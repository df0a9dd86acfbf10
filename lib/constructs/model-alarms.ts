import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { Alerting } from './alerting.ts';
import type { ModelMetrics } from './private/model-metrics.ts';

export interface ModelAlarmsProps {
  readonly model: ModelConfig;
  readonly metrics: ModelMetrics;
  readonly alerting: Alerting;
}

// Model Monitor's operators say when a constraint is violated; the alarm fires in the same case
const OPERATORS: Record<string, cloudwatch.ComparisonOperator> = {
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

// a labelled metric renders as a metric-math alarm; the plain form reads better in the console and the template
const unlabelled = (metric: cloudwatch.Metric): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensionsMap: metric.dimensions as Record<string, string>,
    statistic: metric.statistic,
    period: metric.period,
  });

/**
 * CloudWatch alarms on the metrics a model's jobs emit, a backstop to the alert router that works even when
 * the router does not: drift and data-quality violations and failed jobs are warnings, a breached
 * model-quality constraint is critical. Missing data is not breaching (no traffic, no verdict).
 */
export class ModelAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ModelAlarmsProps) {
    super(scope, id);
    const { model, metrics, alerting } = props;
    const alarm = (
      alarmId: string,
      metric: cloudwatch.Metric,
      severity: 'warning' | 'critical',
      description: string,
      threshold = 1,
      comparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ): void => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric: unlabelled(metric),
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `model-care ${severity}: ${model.name}: ${description}`,
      });
      created.addAlarmAction(alerting.action(severity));
      this.alarms.push(created);
    };

    alarm('DataViolations', metrics.violations('data'), 'warning', 'drift or data-quality violations');
    alarm(
      'QualityViolations',
      metrics.violations('quality'),
      'warning',
      'model-quality constraints violated',
    );
    for (const [metric, constraint] of Object.entries(model.thresholds.quality)) {
      alarm(
        `Quality-${metric}`,
        metrics.modelQuality(metric),
        'critical',
        `${metric} ${constraint.comparisonOperator} ${constraint.threshold}`,
        constraint.threshold,
        OPERATORS[constraint.comparisonOperator],
      );
    }
    for (const job of ['data', 'quality', 'baseline'] as const) {
      alarm(`Failures-${job}`, metrics.failures(job), 'warning', `the ${job} job failed`);
    }
  }
}
