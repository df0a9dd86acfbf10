import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { type CostLine, costLines, METRICS_KIND, PER_UNIT, QUANTITY_UNIT, totalUsd } from './cost-lines.ts';
import type { PriceTable } from './price-table.ts';
import type { CfnTemplate } from './synth-template.ts';
import { inventoryOf, type TemplateInventory } from './template-inventory.ts';
import { HOURS_PER_MONTH } from './usage-assumptions.ts';

/** synthesizes a config's template; injected so tests and the script share one synthesis per config */
export type Synthesize = (config: ModelCareConfig) => CfnTemplate;

export interface CostReport {
  readonly lines: readonly CostLine[];
  readonly stackMonthUsd: number;
  /** the marginal cost of one more model like the config's first: (three copies - one) / 2 */
  readonly perModelMonthUsd: number;
  /** the same difference for every template count, per model */
  readonly perModelCounts: Readonly<Record<string, number>>;
}

/** the config's first model under a new name and capture folder, so copies do not collide */
const copyOf = (model: ModelConfig, n: number): ModelConfig => {
  if (n === 1) return model;
  const suffix = `-${n}`;
  return {
    ...model,
    name: `${model.name}${suffix}`,
    ...(model.endpoint ? { endpoint: { ...model.endpoint, name: `${model.endpoint.name}${suffix}` } } : {}),
    capture: {
      ...model.capture,
      ...(model.capture.endpointName ? { endpointName: `${model.capture.endpointName}${suffix}` } : {}),
    },
  };
};

/** the config with `count` copies of its first model (and only them) */
export const withCopies = (config: ModelCareConfig, count: number): ModelCareConfig => {
  const first = config.models[0];
  if (!first) throw new Error('the config has no model');
  return { ...config, models: Array.from({ length: count }, (_, i) => copyOf(first, i + 1)) };
};

const COUNTED: readonly (keyof TemplateInventory)[] = [
  'alarms',
  'alarmMetrics',
  'dashboards',
  'kmsKeys',
  'topics',
  'stateMachines',
  'deliveryStreams',
  'functions',
  'tables',
  'buckets',
  'queues',
  'rules',
];

export const costReport = (
  config: ModelCareConfig,
  prices: PriceTable,
  requestsPerHour: number,
  synthesize: Synthesize,
): CostReport => {
  const lines = costLines(config, inventoryOf(synthesize(config)), prices, requestsPerHour);
  const one = withCopies(config, 1);
  const three = withCopies(config, 3);
  const inventoryOne = inventoryOf(synthesize(one));
  const inventoryThree = inventoryOf(synthesize(three));
  const linesOne = costLines(one, inventoryOne, prices, requestsPerHour);
  const linesThree = costLines(three, inventoryThree, prices, requestsPerHour);
  const perModelMonthUsd = (totalUsd(linesThree) - totalUsd(linesOne)) / 2;
  const metricLine = (of: readonly CostLine[]) => of.find((line) => line.kind === METRICS_KIND);
  const perModelCounts = {
    ...Object.fromEntries(
      COUNTED.map((key) => [key, ((inventoryThree[key] as number) - (inventoryOne[key] as number)) / 2]),
    ),
    // declared metric names, and the metric-months they bill (hourly ones count 1 each)
    metrics: ((metricLine(linesThree)?.count ?? 0) - (metricLine(linesOne)?.count ?? 0)) / 2,
    metricMonths: ((metricLine(linesThree)?.quantity ?? 0) - (metricLine(linesOne)?.quantity ?? 0)) / 2,
  };
  return { lines, stackMonthUsd: totalUsd(lines), perModelMonthUsd, perModelCounts };
};

const usd = (value: number): string => value.toFixed(2);
const quantity = (value: number): string =>
  Number.isInteger(value) || value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : String(Number(value.toPrecision(3)));
const perUnit = (n: number): string => (n === 1 ? '' : n === 1e3 ? '1,000 ' : '1M ');

/** SageMaker Model Monitor's bill for one hourly monitor: a processing instance for each run's minutes */
export const modelMonitorMonthUsd = (prices: PriceTable, minutesPerRun: number): number =>
  HOURS_PER_MONTH * (minutesPerRun / 60) * prices.prices.sagemakerProcessingHourMlM5Xlarge.usd;

/** The table and the two closing lines, as `npm run cost` prints them. */
export const renderCostReport = (
  report: CostReport,
  prices: PriceTable,
  context: { readonly configFile: string; readonly requestsPerHour: number },
): string => {
  const header = ['resource kind', 'count', 'a month', 'unit', 'unit price (USD)', 'USD a month'];
  const rows = report.lines.map((line) => [
    line.kind,
    String(line.count),
    quantity(line.quantity),
    QUANTITY_UNIT[line.price],
    `${prices.prices[line.price].usd} per ${perUnit(PER_UNIT[line.price])}${QUANTITY_UNIT[line.price]}${PER_UNIT[line.price] > 1 ? (QUANTITY_UNIT[line.price].endsWith('sh') ? 'es' : 's') : ''}`,
    usd(line.monthlyUsd),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const format = (row: readonly string[]): string =>
    row
      .map((cell, i) =>
        i === 0 || i === 3 || i === 4 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    `# ${context.configFile}, ${context.requestsPerHour} requests/hour per model, ${prices.region} list prices as ` +
      `of ${prices.pricesAsOf} (pricing/${prices.region}.json)`,
    format(header),
    ...rows.map(format),
    `# SageMaker Model Monitor for comparison: one hourly monitor on ml.m5.xlarge, 5-10 min a run = ` +
      `${usd(modelMonitorMonthUsd(prices, 5))}-${usd(modelMonitorMonthUsd(prices, 10))} USD a month per model and monitor type`,
    `stack_month_usd=${usd(report.stackMonthUsd)}`,
    `per_model_month_usd=${usd(report.perModelMonthUsd)}`,
  ].join('\n');
};
