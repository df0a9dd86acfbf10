import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  type MetricJob,
  MODEL_METRIC_NAMES,
  MODEL_QUALITY_METRICS,
  RUN_METRIC_NAMES,
} from '../../functions/shared/telemetry.ts';
import type { HouseFunction } from './house-function.ts';

export interface FleetDashboardProps {
  readonly dashboardName: string;
  /** the model the dashboard opens on (the variable's values come from a metric search of the Model dimension) */
  readonly firstModel: string;
  /** the functions whose errors, throttles and durations the operators watch, by a short name */
  readonly functions: Readonly<Record<string, HouseFunction>>;
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
}

const FULL = 24;
const HALF = 12;
const HOUR = Duration.hours(1);
const DAY = Duration.days(1);
const JOBS: readonly MetricJob[] = ['data', 'quality', 'baseline'];
/** the id of the dashboard's model variable */
export const MODEL_VARIABLE_ID = 'model';

/**
 * The stack's one CloudWatch dashboard (issue 13: one for all models, not one each). The top rows show one model,
 * picked with the `model` variable, which replaces the `Model` dimension of every per-model metric and lists the
 * models found by a metric search; the rows below are the stack's: runs, violations and failures per job, the
 * functions' errors and throttles, dead letters, state machines.
 */
export class FleetDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FleetDashboardProps) {
    super(scope, id);
    const perModel = (metricName: string, period: Duration, label: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [METRIC_DIMENSIONS.model]: props.firstModel },
        statistic: 'Maximum',
        period,
        label,
      });
    const perJob = (metricName: string, job: string, statistic = 'Sum'): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [METRIC_DIMENSIONS.job]: job },
        statistic,
        period: HOUR,
        label: job,
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
      variables: [
        new cloudwatch.DashboardVariable({
          id: MODEL_VARIABLE_ID,
          type: cloudwatch.VariableType.PROPERTY,
          value: METRIC_DIMENSIONS.model,
          label: 'Model',
          inputType: cloudwatch.VariableInputType.SELECT,
          values: cloudwatch.Values.fromSearchComponents({
            namespace: METRICS_NAMESPACE,
            dimensions: [METRIC_DIMENSIONS.model],
            metricName: MODEL_METRIC_NAMES.driftedShare,
            populateFrom: METRIC_DIMENSIONS.model,
          }),
          defaultValue: cloudwatch.DefaultValue.value(props.firstModel),
        }),
      ],
    });

    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# model-care\nThe first row shows the model picked with the **Model** variable above; per-feature ' +
          'figures are in its reports (`model-care report`). The rows below are the whole stack.',
        width: FULL,
        height: 2,
      }),
      new cloudwatch.GraphWidget({
        title: 'Drift: share of features drifted, largest sequential evidence',
        left: [perModel(MODEL_METRIC_NAMES.driftedShare, HOUR, 'drifted share')],
        right: [perModel(MODEL_METRIC_NAMES.maxEvidence, HOUR, 'largest evidence')],
        leftYAxis: { min: 0, max: 1 },
        rightYAxis: { min: 0 },
        width: HALF,
      }),
      new cloudwatch.GraphWidget({
        title: 'Model quality: primary metric, label-free accuracy estimate',
        left: [
          perModel(MODEL_QUALITY_METRICS.binary, DAY, 'accuracy'),
          perModel(MODEL_QUALITY_METRICS.regression, DAY, 'rmse'),
          perModel(MODEL_QUALITY_METRICS.estimate, DAY, 'estimated accuracy'),
        ],
        width: HALF,
      }),
    );

    const byJob = (title: string, metricName: string, statistic = 'Sum'): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({
        title,
        left: JOBS.map((job) => perJob(metricName, job, statistic)),
        leftYAxis: { min: 0 },
        width: 8,
      });
    this.dashboard.addWidgets(
      byJob('Violations (all models)', RUN_METRIC_NAMES.violations),
      byJob('Failed runs (all models)', RUN_METRIC_NAMES.failures),
      byJob('Longest run (ms)', RUN_METRIC_NAMES.duration, 'Maximum'),
      byJob('Records read', RUN_METRIC_NAMES.rows),
      new cloudwatch.GraphWidget({
        title: 'Capture API',
        left: [perJob(RUN_METRIC_NAMES.captured, 'capture')],
        right: [perJob(RUN_METRIC_NAMES.refused, 'capture')],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      byJob('Quarantined objects', RUN_METRIC_NAMES.quarantined),
    );

    const period = Duration.minutes(5);
    const functions = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: functions.map(([name, fn]) => fn.function.metricErrors({ period, label: name })),
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles (jobs at fleet.maxConcurrentJobs)',
        left: functions.map(([name, fn]) => fn.function.metricThrottles({ period, label: name })),
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead letters waiting',
        left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
        ),
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'State machine executions failed',
        left: Object.entries(props.stateMachines).map(([name, machine]) =>
          machine.metricFailed({ period: HOUR, label: name }),
        ),
        leftYAxis: { min: 0 },
        width: FULL,
      }),
    );
  }
}
