import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { dashboardName } from '../../functions/shared/telemetry.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import type { HealthAlarms } from './health-alarms.ts';
import { ModelAlarms } from './model-alarms.ts';
import { ModelDashboard } from './model-dashboard.ts';
import { ModelTriggers } from './model-triggers.ts';
import type { MonitoringJobs } from './monitoring-jobs.ts';
import { ModelMetrics } from './private/model-metrics.ts';

export interface MonitoredModelProps {
  readonly model: ModelConfig;
  readonly index: number;
  readonly store: CaptureStore;
  readonly jobs: MonitoringJobs;
  readonly alerting: Alerting;
  readonly health: HealthAlarms;
  readonly dashboardPrefix: string;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Everything one model adds: its rules (schedules and events, carrying its config), alarms, dashboard and its own alert recipients. Its construct id is the model name, so adding or removing a
 * model leaves the others' resources untouched.
 */
export class MonitoredModel extends Construct {
  readonly triggers: ModelTriggers;
  readonly alarms: ModelAlarms;
  readonly dashboard: ModelDashboard;

  constructor(scope: Construct, id: string, props: MonitoredModelProps) {
    super(scope, id);
    const { model, alerting, health } = props;

    this.triggers = new ModelTriggers(this, 'Triggers', {
      model,
      jobs: props.jobs,
      store: props.store,
    });

    const metrics = new ModelMetrics(model);
    this.alarms = new ModelAlarms(this, 'Alarms', { model, metrics, alerting });
    health.watchQueue(
      `${model.name}-DeadLetters`,
      this.triggers.deadLetterQueue.queue,
      `events for ${model.name}`,
    );

    this.dashboard = new ModelDashboard(this, 'Dashboard', {
      model,
      metrics,
      dashboardName: dashboardName(props.dashboardPrefix, model.name),
      alarms: this.alarms.alarms,
    });

    alerting.addModelRecipients(model.name, model.alerts);
  }
}
