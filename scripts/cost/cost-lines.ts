import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { QUALITY_METRICS } from '../../functions/shared/config/vocabulary.ts';
import {
  type DeclaredMetric,
  declaredModelMetrics,
  declaredStackMetrics,
  type MetricJob,
} from '../../functions/shared/telemetry.ts';
import type { PriceKey, PriceTable } from './price-table.ts';
import { firesPerMonth } from './schedule-rate.ts';
import type { TemplateInventory } from './template-inventory.ts';
import { USAGE_ASSUMPTIONS as A, HOURS_PER_MONTH } from './usage-assumptions.ts';

/** one row of the cost table */
export interface CostLine {
  readonly kind: string;
  /** the resources of this kind in the template (or declared metrics), the figure the per-model pin reads */
  readonly count: number;
  /** billed units a month */
  readonly quantity: number;
  readonly price: PriceKey;
  readonly monthlyUsd: number;
}

const GB = 1024 ** 3;
/** the kind of the custom-metrics line */
export const METRICS_KIND = 'CloudWatch custom metrics';
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** the measure a quantity is counted in, short, for the table (the price table words it in full) */
export const QUANTITY_UNIT: Record<PriceKey, string> = {
  cloudwatchAlarmMonth: 'alarm metric',
  cloudwatchDashboardMonth: 'dashboard',
  cloudwatchMetricMonth: 'metric-month',
  cloudwatchLogsIngestedGb: 'GB',
  kmsKeyMonth: 'key',
  lambdaMillionRequests: 'request',
  lambdaArmGbSecond: 'GB-s',
  dynamodbMillionWrites: 'write unit',
  s3ThousandPuts: 'request',
  s3ThousandGets: 'request',
  s3GbMonth: 'GB-month',
  stepFunctionsThousandTransitions: 'transition',
  snsMillionPublishes: 'publish',
  firehoseIngestedGb: 'GB',
  firehosePartitionedGb: 'GB',
  firehoseThousandObjects: 'object',
  sagemakerProcessingHourMlM5Xlarge: 'instance-hour',
};

/** how many of the quantity's units one price covers (e.g. a million requests) */
export const PER_UNIT: Record<PriceKey, number> = {
  cloudwatchAlarmMonth: 1,
  cloudwatchDashboardMonth: 1,
  cloudwatchMetricMonth: 1,
  cloudwatchLogsIngestedGb: 1,
  kmsKeyMonth: 1,
  lambdaMillionRequests: 1e6,
  lambdaArmGbSecond: 1,
  dynamodbMillionWrites: 1e6,
  s3ThousandPuts: 1e3,
  s3ThousandGets: 1e3,
  s3GbMonth: 1,
  stepFunctionsThousandTransitions: 1e3,
  snsMillionPublishes: 1e6,
  firehoseIngestedGb: 1,
  firehosePartitionedGb: 1,
  firehoseThousandObjects: 1e3,
  sagemakerProcessingHourMlM5Xlarge: 1,
};

/** quantity (in the price's own measure, e.g. requests) times the price per unit */
const priced = (
  prices: PriceTable,
  kind: string,
  count: number,
  quantity: number,
  price: PriceKey,
): CostLine => ({
  kind,
  count,
  quantity,
  price,
  monthlyUsd: (quantity / PER_UNIT[price]) * prices.prices[price].usd,
});

const memoryOf = (inventory: TemplateInventory, pattern: RegExp, fallback: number): number =>
  Object.entries(inventory.functionMemoryMb).find(([id]) => pattern.test(id))?.[1] ?? fallback;

/** the month of one model's traffic and runs */
/** CloudWatch bills a metric for each hour in which it receives data */
const metricHours = (usage: {
  dataRuns: number;
  qualityRuns: number;
  records: number;
}): Record<MetricJob, number> => ({
  data: Math.min(HOURS_PER_MONTH, usage.dataRuns),
  quality: Math.min(HOURS_PER_MONTH, usage.qualityRuns),
  // on request only (a new baseline): not a monthly figure
  baseline: 0,
  capture: usage.records > 0 ? HOURS_PER_MONTH : 0,
});

const metricMonthsOf = (metrics: readonly DeclaredMetric[], hours: Record<MetricJob, number>): number =>
  metrics
    // only a refused request emits it: not a monthly figure
    .filter((m) => m.name !== 'refused_producers')
    .reduce((total, m) => total + hours[m.job] / HOURS_PER_MONTH, 0);

interface ModelMonth {
  readonly requests: number;
  readonly records: number;
  readonly stream: boolean;
  readonly dataRuns: number;
  readonly qualityRuns: number;
  readonly metrics: number;
  readonly metricMonths: number;
  readonly writes: number;
  /** objects a month in the model's capture folder */
  readonly captureObjects: number;
}

const modelMonth = (model: ModelConfig, requestsPerHour: number): ModelMonth => {
  const requests = requestsPerHour * HOURS_PER_MONTH;
  const records = (requests * model.capture.samplingPercentage) / 100;
  const stream = model.capture.transport === 'stream';
  const dataRuns = firesPerMonth(model.schedules.data);
  const qualityRuns = firesPerMonth(model.schedules.quality);
  const qualityMetrics = QUALITY_METRICS[model.problemType];
  const metrics = declaredModelMetrics({
    problemType: model.problemType,
    modelMonitorFeatures: model.compat?.modelMonitorMetrics ? model.features.map((f) => f.name) : [],
  });
  const hours = metricHours({ dataRuns, qualityRuns, records });
  const metricMonths = metricMonthsOf(metrics, hours);
  const recordsPerHour = records / HOURS_PER_MONTH;
  const objectsPerHour = stream
    ? recordsPerHour > 0
      ? Math.max(
          3600 / A.streamBufferSeconds,
          Math.ceil((recordsPerHour * A.captureRecordBytes) / A.streamBufferBytes),
        )
      : 0
    : recordsPerHour;
  return {
    requests,
    records,
    stream,
    dataRuns,
    qualityRuns,
    metrics: metrics.length,
    metricMonths,
    writes:
      dataRuns * A.dataRunWrites(model.features.length) +
      qualityRuns * A.qualityRunWrites(qualityMetrics.length),
    captureObjects: objectsPerHour * HOURS_PER_MONTH,
  };
};

const sum = <T>(items: readonly T[], of: (item: T) => number): number =>
  items.reduce((total, item) => total + of(item), 0);

/**
 * The monthly cost of a stack: resources billed by the month counted from its template, usage from its models'
 * schedules and the request rate (`requestsPerHour` per model), priced with the region's table.
 */
export const costLines = (
  config: ModelCareConfig,
  inventory: TemplateInventory,
  prices: PriceTable,
  requestsPerHour: number,
): CostLine[] => {
  const months = config.models.map((model) => modelMonth(model, requestsPerHour));
  // the stack-level metrics (dimension Job) are billed once, in the hours the busiest model's jobs run
  const stackMetrics = declaredStackMetrics();
  const stackMetricMonths = metricMonthsOf(
    stackMetrics,
    metricHours({
      dataRuns: Math.max(0, ...months.map((m) => m.dataRuns)),
      qualityRuns: Math.max(0, ...months.map((m) => m.qualityRuns)),
      records: Math.max(0, ...months.map((m) => m.records)),
    }),
  );
  const dataMemory = memoryOf(inventory, /JobsDataJob/, 1024);
  const qualityMemory = memoryOf(inventory, /JobsQualityJob/, 1024);
  const captureMemory = memoryOf(inventory, /CaptureApiHandler/, 1024);
  // schedules that carry a model's envelope are its job runs, counted from its config below
  const otherScheduled = inventory.scheduledRules
    .filter((rule) => rule.model === undefined)
    .flatMap((rule) =>
      rule.lambdaMemoryMb.map((memory) => ({ fires: firesPerMonth(rule.expression), memory })),
    );

  const invocations =
    sum(months, (m) => m.dataRuns + m.qualityRuns + m.requests) + sum(otherScheduled, (s) => s.fires);
  const gbSeconds =
    sum(
      months,
      (m) =>
        (m.dataRuns * A.dataRunSeconds * dataMemory) / 1024 +
        (m.qualityRuns * A.qualityRunSeconds * qualityMemory) / 1024 +
        (m.requests * A.captureRequestSeconds * captureMemory) / 1024,
    ) + sum(otherScheduled, (s) => (s.fires * A.otherScheduledSeconds * s.memory) / 1024);
  const logGb = sum(
    months,
    (m) => ((m.dataRuns + m.qualityRuns) * A.runLogBytes + m.requests * A.captureLogBytes) / GB,
  );
  const runs = sum(months, (m) => m.dataRuns + m.qualityRuns);
  const captureObjects = sum(months, (m) => m.captureObjects);
  const retentionMonths = config.retention.captureExpirationDays / DAYS_PER_MONTH;
  const capturedGb = sum(months, (m) => (m.records * A.captureRecordBytes) / GB);

  const lines: CostLine[] = [
    priced(prices, 'CloudWatch alarms', inventory.alarms, inventory.alarmMetrics, 'cloudwatchAlarmMonth'),
    priced(
      prices,
      'CloudWatch dashboards',
      inventory.dashboards,
      inventory.dashboards,
      'cloudwatchDashboardMonth',
    ),
    priced(
      prices,
      METRICS_KIND,
      stackMetrics.length + sum(months, (m) => m.metrics),
      stackMetricMonths + sum(months, (m) => m.metricMonths),
      'cloudwatchMetricMonth',
    ),
    priced(prices, 'CloudWatch Logs ingestion', inventory.functions, logGb, 'cloudwatchLogsIngestedGb'),
    priced(prices, 'KMS keys', inventory.kmsKeys, inventory.kmsKeys, 'kmsKeyMonth'),
    priced(prices, 'Lambda requests', inventory.functions, invocations, 'lambdaMillionRequests'),
    priced(prices, 'Lambda compute (arm64)', inventory.functions, gbSeconds, 'lambdaArmGbSecond'),
    priced(
      prices,
      'DynamoDB on-demand writes',
      inventory.tables,
      sum(months, (m) => m.writes),
      'dynamodbMillionWrites',
    ),
    // capture objects (one per request on `api`, Firehose's objects on `stream`), run outputs and one LIST a data run
    priced(
      prices,
      'S3 PUT and LIST requests',
      inventory.buckets,
      captureObjects + runs * A.runPuts + sum(months, (m) => m.dataRuns),
      's3ThousandPuts',
    ),
    // the data job and the quality job each read every capture object once
    priced(prices, 'S3 GET requests', inventory.buckets, 2 * captureObjects, 's3ThousandGets'),
    priced(prices, 'S3 capture storage', inventory.buckets, capturedGb * retentionMonths, 's3GbMonth'),
    // retraining and the fan-out of a large window run on demand: no transitions in a month of healthy models
    priced(
      prices,
      'Step Functions transitions',
      inventory.stateMachines,
      0,
      'stepFunctionsThousandTransitions',
    ),
    // verdict alerts only: none in a month of healthy models
    priced(prices, 'SNS publishes', inventory.topics, 0, 'snsMillionPublishes'),
  ];
  const streamed = months.filter((m) => m.stream);
  if (inventory.deliveryStreams > 0 || streamed.length > 0) {
    const rounded =
      Math.ceil(A.captureRecordBytes / A.firehoseRecordRoundingBytes) * A.firehoseRecordRoundingBytes;
    lines.push(
      priced(
        prices,
        'Firehose ingestion (5 KB rounding)',
        inventory.deliveryStreams,
        sum(streamed, (m) => (m.records * rounded) / GB),
        'firehoseIngestedGb',
      ),
      priced(
        prices,
        'Firehose dynamic partitioning',
        inventory.deliveryStreams,
        sum(streamed, (m) => (m.records * A.captureRecordBytes) / GB),
        'firehosePartitionedGb',
      ),
      priced(
        prices,
        'Firehose partitioned objects',
        inventory.deliveryStreams,
        sum(streamed, (m) => m.captureObjects),
        'firehoseThousandObjects',
      ),
    );
  }
  return lines;
};

export const totalUsd = (lines: readonly CostLine[]): number => sum(lines, (line) => line.monthlyUsd);
