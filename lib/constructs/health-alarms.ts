import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { Alerting } from './alerting.ts';
import type { HouseFunction } from './house-function.ts';

export interface HealthAlarmsProps {
  readonly alerting: Alerting;
}

/**
 * Alarms on the system itself, thresholds keyed by severity: a function's errors or throttles, a message in a
 * dead-letter queue and a failed fan-out of a data window are warnings (a check was missed); a failed, timed-out
 * or aborted retraining is critical.
 */
export class HealthAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly alerting: Alerting;

  constructor(scope: Construct, id: string, props: HealthAlarmsProps) {
    super(scope, id);
    this.alerting = props.alerting;
  }

  watchFunction(id: string, fn: HouseFunction): void {
    const period = Duration.minutes(5);
    this.add(`${id}Errors`, fn.function.metricErrors({ period }), 'warning', `${fn.node.path} failed`);
    this.add(
      `${id}Throttles`,
      fn.function.metricThrottles({ period }),
      'warning',
      `${fn.node.path} was throttled`,
    );
  }

  watchQueue(id: string, queue: sqs.IQueue, what: string): void {
    this.add(
      `${id}Messages`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'warning',
      `dead letters waiting: ${what}`,
    );
  }

  /**
   * failed, timed-out and aborted executions at `severity` (a failed retraining is critical, a failed fan-out
   * a missed check); throttled executions (StartExecution refused by the account's quota) always warn
   */
  watchStateMachine(
    id: string,
    stateMachine: sfn.IStateMachine,
    what: string,
    severity: 'warning' | 'critical' = 'critical',
  ): cloudwatch.Alarm[] {
    const period = Duration.minutes(5);
    return [
      this.add(`${id}Failed`, stateMachine.metricFailed({ period }), severity, `${what} failed`),
      this.add(`${id}TimedOut`, stateMachine.metricTimedOut({ period }), severity, `${what} timed out`),
      this.add(`${id}Aborted`, stateMachine.metricAborted({ period }), severity, `${what} was aborted`),
      this.add(
        `${id}Throttled`,
        stateMachine.metricThrottled({ period }),
        'warning',
        `${what} was throttled`,
      ),
    ];
  }

  private add(id: string, metric: cloudwatch.IMetric, severity: 'warning' | 'critical', description: string) {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `model-care ${severity}: ${description}`,
    });
    alarm.addAlarmAction(this.alerting.action(severity));
    this.alarms.push(alarm);
    return alarm;
  }
}
