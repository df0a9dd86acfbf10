import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import { loadConfig } from '../../lib/config.ts';
import { type CostReport, costReport, renderCostReport } from '../../scripts/cost/cost-report.ts';
import { loadPriceTable, type PriceTable } from '../../scripts/cost/price-table.ts';
import { type CfnTemplate, synthTemplate } from '../../scripts/cost/synth-template.ts';

// one synthesis per distinct config: synthesis is the slow part
const templates = new Map<string, CfnTemplate>();
const synthesize = (config: ModelCareConfig): CfnTemplate => {
  const key = JSON.stringify(config);
  const known = templates.get(key);
  if (known) return known;
  const template = synthTemplate(config);
  templates.set(key, template);
  return template;
};

const CONFIGS = ['config/model-care.json', 'config/three-models.json'] as const;
// read straight from the file, not through the loader under test
const rawPrices = JSON.parse(readFileSync('pricing/us-east-1.json', 'utf8')) as {
  prices: Record<string, { usd: number }>;
};
const price = (key: string): number => rawPrices.prices[key]?.usd ?? Number.NaN;

let prices: PriceTable;
const reports = new Map<string, { report: CostReport; doubled: CostReport; text: string }>();

beforeAll(() => {
  prices = loadPriceTable('us-east-1');
  for (const file of CONFIGS) {
    const config = loadConfig(file);
    const report = costReport(config, prices, 200, synthesize);
    const doubled = costReport(config, prices, 400, synthesize);
    reports.set(file, {
      report,
      doubled,
      text: renderCostReport(report, prices, { configFile: file, requestsPerHour: 200 }),
    });
  }
}, 600_000);

const get = (file: string) => {
  const entry = reports.get(file);
  if (!entry) throw new Error(`no report for ${file}`);
  return entry;
};
const line = (report: CostReport, kind: string) => {
  const found = report.lines.find((l) => l.kind === kind);
  if (!found) throw new Error(`no line ${kind}`);
  return found;
};

describe('npm run cost', () => {
  test.each(CONFIGS)('%s: prints the table and both closing lines', (file) => {
    const { text, report } = get(file);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^resource kind\s+count\s+a month\s+unit\s+unit price \(USD\)\s+USD a month$/);
    for (const kind of [
      'CloudWatch alarms',
      'CloudWatch dashboards',
      'CloudWatch custom metrics',
      'KMS keys',
    ]) {
      expect(text).toMatch(new RegExp(`^${kind}\\s+\\d+`, 'm'));
    }
    expect(lines.at(-2)).toBe(`stack_month_usd=${report.stackMonthUsd.toFixed(2)}`);
    expect(lines.at(-1)).toBe(`per_model_month_usd=${report.perModelMonthUsd.toFixed(2)}`);
    expect(lines.at(-2)).toMatch(/^stack_month_usd=\d+\.\d\d$/);
    expect(lines.at(-1)).toMatch(/^per_model_month_usd=\d+\.\d\d$/);
  });

  test.each(CONFIGS)(
    '%s: alarms, dashboards and keys are counted from the template and priced from the table',
    (file) => {
      const { report } = get(file);
      const template = Template.fromJSON(synthesize(loadConfig(file)) as unknown as Record<string, unknown>);
      const count = (type: string) => Object.keys(template.findResources(type)).length;
      expect(line(report, 'CloudWatch alarms')).toMatchObject({ count: count('AWS::CloudWatch::Alarm') });
      expect(line(report, 'CloudWatch alarms').monthlyUsd).toBeCloseTo(
        count('AWS::CloudWatch::Alarm') * price('cloudwatchAlarmMonth'),
        9,
      );
      expect(line(report, 'CloudWatch dashboards').monthlyUsd).toBeCloseTo(
        count('AWS::CloudWatch::Dashboard') * price('cloudwatchDashboardMonth'),
        9,
      );
      expect(line(report, 'KMS keys').monthlyUsd).toBeCloseTo(
        count('AWS::KMS::Key') * price('kmsKeyMonth'),
        9,
      );
    },
  );

  test('config/model-care.json: each captured request is one S3 PUT on the api transport', () => {
    // 200 more requests an hour over 730 hours at $0.005 per 1,000 PUTs
    const { report, doubled } = get('config/model-care.json');
    const extra =
      line(doubled, 'S3 PUT and LIST requests').monthlyUsd -
      line(report, 'S3 PUT and LIST requests').monthlyUsd;
    expect(extra).toBeCloseTo(((200 * 730) / 1000) * price('s3ThousandPuts'), 9);
  });

  test('config/model-care.json: a metric costs its share of the hours it receives data', () => {
    // churn, binary, the only model: hourly data runs emit the stack's 6 run metrics and the model's 2 (drifted
    // share, largest evidence), the capture API `captured_records` every hour; daily quality runs emit the stack's
    // 6 run metrics and the model's 2 (accuracy, its estimate) on 365/12 days of the month, each a 1/730 share of
    // a metric-month. Nothing per feature.
    const { report } = get('config/model-care.json');
    const hourly = 6 + 2 + 1;
    const daily = 6 + 2;
    const metricMonths = hourly + (daily * (365 / 12)) / 730;
    expect(line(report, 'CloudWatch custom metrics').quantity).toBeCloseTo(metricMonths, 6);
    expect(line(report, 'CloudWatch custom metrics').monthlyUsd).toBeCloseTo(
      metricMonths * price('cloudwatchMetricMonth'),
      6,
    );
  });

  test.each(CONFIGS)('%s: the stack figure is the sum of its lines', (file) => {
    const { report } = get(file);
    expect(report.stackMonthUsd).toBeCloseTo(
      report.lines.reduce((sum, l) => sum + l.monthlyUsd, 0),
      9,
    );
  });

  // The pin: what one more model adds to the template, from the templates with one and three copies of the
  // config's first model. A change that adds a per-model alarm, dashboard, rule or metric fails here; re-pin on
  // purpose. Since the fleet wiring (issue 16) a model adds no resource at all: only its own metrics.
  const NOTHING_BUT_METRICS = {
    alarms: 0,
    alarmMetrics: 0,
    dashboards: 0,
    kmsKeys: 0,
    topics: 0,
    stateMachines: 0,
    deliveryStreams: 0,
    functions: 0,
    tables: 0,
    buckets: 0,
    queues: 0,
    rules: 0,
    // drifted_share and max_evidence each data window, the primary quality metric and its estimate each quality
    // window (functions/shared/telemetry.ts declaredModelMetrics)
    metrics: 4,
  };
  test.each([
    ['config/model-care.json', NOTHING_BUT_METRICS],
    ['config/three-models.json', NOTHING_BUT_METRICS],
  ])('%s: pins the resources each further model adds', (file, pinned) => {
    const { perModelCounts } = get(file).report;
    expect({ ...perModelCounts, metricMonths: undefined }).toEqual({ ...pinned, metricMonths: undefined });
  });
});
