import type { CfnTemplate } from './synth-template.ts';

/** a rule that fires on a schedule, and the memory of each Lambda function it invokes */
export interface ScheduledRule {
  readonly logicalId: string;
  readonly expression: string;
  /** memory (MB) of each Lambda target; other targets are not Lambda invocations */
  readonly lambdaMemoryMb: readonly number[];
  /** the rule delivers one model's envelope (`{"model":...}`): a monitoring job's run, priced as such */
  readonly model?: string;
}

/** what the template implies for the bill: resources billed by the month, and the schedules that cause usage */
export interface TemplateInventory {
  readonly alarms: number;
  /** metrics across all alarms: a metric-math alarm is billed per metric it reads */
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
  readonly topics: number;
  readonly stateMachines: number;
  readonly deliveryStreams: number;
  readonly functions: number;
  readonly tables: number;
  readonly buckets: number;
  readonly queues: number;
  readonly rules: number;
  readonly scheduledRules: readonly ScheduledRule[];
  /** memory (MB) of every function, by logical id */
  readonly functionMemoryMb: Readonly<Record<string, number>>;
}

const DEFAULT_LAMBDA_MEMORY_MB = 128;
const MODEL_ENVELOPE = /^\{"model":"([^"]+)"/;

const countOf = (template: CfnTemplate, type: string): number =>
  Object.values(template.Resources).filter((resource) => resource.Type === type).length;

const alarmMetricCount = (properties: Record<string, unknown> | undefined): number => {
  const metrics = properties?.Metrics;
  if (!Array.isArray(metrics)) return 1;
  // expressions are free; each MetricStat is a metric of the alarm
  return Math.max(1, metrics.filter((m) => typeof m === 'object' && m !== null && 'MetricStat' in m).length);
};

const targetFunctionId = (target: Record<string, unknown>): string | undefined => {
  const arn = target.Arn as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return arn?.['Fn::GetAtt']?.[0];
};

const envelopeModel = (target: Record<string, unknown>): string | undefined => {
  const transformer = target.InputTransformer as { InputTemplate?: string } | undefined;
  const input = transformer?.InputTemplate ?? (typeof target.Input === 'string' ? target.Input : undefined);
  return input ? MODEL_ENVELOPE.exec(input)?.[1] : undefined;
};

/** Counts the billable resources of a synthesized template. */
export const inventoryOf = (template: CfnTemplate): TemplateInventory => {
  const functionMemoryMb: Record<string, number> = {};
  const alarms: number[] = [];
  const scheduledRules: ScheduledRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') {
      const memory = resource.Properties?.MemorySize;
      functionMemoryMb[logicalId] = typeof memory === 'number' ? memory : DEFAULT_LAMBDA_MEMORY_MB;
    }
    if (resource.Type === 'AWS::CloudWatch::Alarm') alarms.push(alarmMetricCount(resource.Properties));
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const expression = resource.Properties?.ScheduleExpression;
    if (resource.Type !== 'AWS::Events::Rule' || typeof expression !== 'string') continue;
    const targets = (resource.Properties?.Targets ?? []) as Record<string, unknown>[];
    const lambdaMemoryMb = targets.flatMap((target) => {
      const id = targetFunctionId(target);
      const memory = id === undefined ? undefined : functionMemoryMb[id];
      return memory === undefined ? [] : [memory];
    });
    const model = targets.map(envelopeModel).find((name) => name !== undefined);
    scheduledRules.push({ logicalId, expression, lambdaMemoryMb, ...(model ? { model } : {}) });
  }
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((sum, n) => sum + n, 0),
    dashboards: countOf(template, 'AWS::CloudWatch::Dashboard'),
    kmsKeys: countOf(template, 'AWS::KMS::Key'),
    topics: countOf(template, 'AWS::SNS::Topic'),
    stateMachines: countOf(template, 'AWS::StepFunctions::StateMachine'),
    deliveryStreams: countOf(template, 'AWS::KinesisFirehose::DeliveryStream'),
    functions: countOf(template, 'AWS::Lambda::Function'),
    tables: countOf(template, 'AWS::DynamoDB::Table'),
    buckets: countOf(template, 'AWS::S3::Bucket'),
    queues: countOf(template, 'AWS::SQS::Queue'),
    rules: countOf(template, 'AWS::Events::Rule'),
    scheduledRules,
    functionMemoryMb,
  };
};
