import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { QUALITY_METRICS } from '../../functions/shared/config/vocabulary.ts';
import type { ModelMetrics } from './private/model-metrics.ts';

export interface ModelDashboardProps {
  readonly model: ModelConfig;
  readonly metrics: ModelMetrics;
  /** `dashboardName(prefix, model)`, so alerts can link to it */
  readonly dashboardName: string;
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** @default - no retraining row */
  readonly stateMachine?: sfn.IStateMachine;
}

// a graph stays readable up to about this many lines
const LINES_PER_GRAPH = 12;
const JOBS = ['data', 'quality', 'baseline'] as const;
const FULL = 24;
const HALF = 12;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * One model's CloudWatch dashboard: alarm states; drift per feature; violations; model-quality metrics; capture
 * volume; the endpoint's invocations, latency and errors (AWS/SageMaker); job durations and failures; retraining.
 */
export class ModelDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ModelDashboardProps) {
    super(scope, id);
    const { model, metrics } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    const endpointText = model.endpoint
      ? `SageMaker endpoint \`${model.endpoint.name}\` / \`${model.endpoint.variant}\``
      : 'served outside SageMaker (capture API)';
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# model-care: ${model.name}\n${model.problemType} model, ${endpointText}. Data checks \`${model.schedules.data}\`, quality checks \`${model.schedules.quality}\`.`,
        width: FULL,
        height: 2,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms],
        width: FULL,
        height: 3,
      }),
    );

    const drift = chunks(model.features, LINES_PER_GRAPH).map(
      (features, i, all) =>
        new cloudwatch.GraphWidget({
          title: all.length > 1 ? `Drift per feature (${i + 1}/${all.length})` : 'Drift per feature',
          left: features.map((feature) => metrics.featureDrift(feature.name)),
          leftYAxis: { min: 0 },
          width: HALF,
        }),
    );
    this.dashboard.addWidgets(...evidenceWidgets(model, metrics));
    this.dashboard.addWidgets(
      ...drift,
      new cloudwatch.GraphWidget({
        title: 'Violations',
        left: [metrics.violations('data'), metrics.violations('quality')],
        leftYAxis: { min: 0 },
        width: HALF,
      }),
    );

    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Model quality',
        left: QUALITY_METRICS[model.problemType].map((metric) => metrics.modelQuality(metric)),
        width: HALF,
      }),
      ...qualityExtras(model, metrics),
      new cloudwatch.GraphWidget({
        title: 'Capture volume',
        left: [metrics.captured(), metrics.rows('data'), metrics.rows('quality')],
        right: [metrics.quarantined()],
        leftYAxis: { min: 0 },
        width: HALF,
      }),
    );

    const invocations = metrics.endpoint('Invocations');
    const latency = metrics.endpoint('ModelLatency', 'p90');
    const errors4xx = metrics.endpoint('Invocation4XXErrors');
    const errors5xx = metrics.endpoint('Invocation5XXErrors');
    if (invocations && latency && errors4xx && errors5xx) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'Endpoint invocations', left: [invocations], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Endpoint model latency (p90, µs)', left: [latency], width: 8 }),
        new cloudwatch.GraphWidget({ title: 'Endpoint errors', left: [errors4xx, errors5xx], width: 8 }),
      );
    }

    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Job duration (ms)',
        left: JOBS.map((job) => metrics.duration(job)),
        width: HALF,
      }),
      new cloudwatch.GraphWidget({
        title: 'Job failures',
        left: JOBS.map((job) => metrics.failures(job)),
        leftYAxis: { min: 0 },
        width: HALF,
      }),
    );

    if (props.stateMachine) {
      const period = Duration.hours(1);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: 'Retraining executions',
          left: [
            props.stateMachine.metricStarted({ period, label: 'started' }),
            props.stateMachine.metricSucceeded({ period, label: 'succeeded' }),
            props.stateMachine.metricFailed({ period, label: 'failed' }),
            props.stateMachine.metricTimedOut({ period, label: 'timed out' }),
          ],
          leftYAxis: { min: 0 },
          width: FULL,
        }),
      );
    }
  }
}

/**
 * Binary models: the label-free accuracy estimate next to the measured accuracy (degradation shows before the
 * labels arrive); models with a segment feature: the fairness gaps across its values.
 */
const qualityExtras = (model: ModelConfig, metrics: ModelMetrics): cloudwatch.IWidget[] => {
  const widgets: cloudwatch.IWidget[] = [];
  if (model.problemType === 'binary') {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: 'Accuracy: label-free estimate vs measured',
        left: [metrics.modelQuality('estimated_accuracy'), metrics.modelQuality('accuracy')],
        leftYAxis: { min: 0, max: 1 },
        width: HALF,
      }),
    );
  }
  if (model.quality.segmentFeature) {
    widgets.push(
      new cloudwatch.GraphWidget({
        title: `Fairness gaps across ${model.quality.segmentFeature}`,
        left: [
          metrics.modelQuality('demographic_parity_difference'),
          metrics.modelQuality('equal_opportunity_difference'),
        ],
        leftYAxis: { min: 0 },
        width: HALF,
      }),
    );
  }
  return widgets;
};

/**
 * Sequential evidence (issue 12): each feature's drift evidence and the model error's, against the 1/α line
 * where an alarm is raised; the axis stops at a few times the line, so a crossing shows and a runaway line
 * does not flatten the rest.
 */
const evidenceWidgets = (model: ModelConfig, metrics: ModelMetrics): cloudwatch.GraphWidget[] => {
  const line = 1 / model.verdicts.alpha;
  const alarmLine: cloudwatch.HorizontalAnnotation = {
    value: line,
    label: `alarm: 1/α = ${line}`,
    color: '#b42318',
  };
  const features = chunks(model.features, LINES_PER_GRAPH).map(
    (group, i, all) =>
      new cloudwatch.GraphWidget({
        title:
          all.length > 1
            ? `Drift evidence per feature (${i + 1}/${all.length})`
            : 'Drift evidence per feature',
        left: group.map((feature) => metrics.featureEvidence(feature.name)),
        leftYAxis: { min: 0, max: 3 * line },
        leftAnnotations: [alarmLine],
        width: HALF,
      }),
  );
  return [
    ...features,
    new cloudwatch.GraphWidget({
      title: 'Model error evidence (vs holdout error + tolerance)',
      left: [metrics.errorEvidence()],
      leftYAxis: { min: 0, max: 3 * line },
      leftAnnotations: [alarmLine],
      width: HALF,
    }),
  ];
};
