import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/** where the dated, cited price tables live: one `<region>.json` per region */
export const PRICING_DIR = 'pricing';

const priceSchema = z.strictObject({
  usd: z.number().nonnegative(),
  unit: z.string().min(1),
  source: z.url(),
});

export const PRICE_KEYS = [
  'cloudwatchAlarmMonth',
  'cloudwatchDashboardMonth',
  'cloudwatchMetricMonth',
  'cloudwatchLogsIngestedGb',
  'kmsKeyMonth',
  'lambdaMillionRequests',
  'lambdaArmGbSecond',
  'dynamodbMillionWrites',
  's3ThousandPuts',
  's3ThousandGets',
  's3GbMonth',
  'stepFunctionsThousandTransitions',
  'snsMillionPublishes',
  'firehoseIngestedGb',
  'firehosePartitionedGb',
  'firehoseThousandObjects',
  'sagemakerProcessingHourMlM5Xlarge',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

const priceTableSchema = z.strictObject({
  region: z.string().min(1),
  currency: z.literal('USD'),
  pricesAsOf: z.iso.date(),
  transcribed: z.iso.date(),
  note: z.string(),
  prices: z.strictObject(
    Object.fromEntries(PRICE_KEYS.map((key) => [key, priceSchema])) as Record<PriceKey, typeof priceSchema>,
  ),
});
export type PriceTable = z.output<typeof priceTableSchema>;

/** The region has no price table, or its table does not read. */
export class PriceTableError extends Error {
  override readonly name = 'PriceTableError';
}

/** the regions that have a price table */
export const knownRegions = (dir = PRICING_DIR): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length))
        .sort()
    : [];

/** Reads `pricing/<region>.json`; throws PriceTableError naming the region, or the file and field. */
export const loadPriceTable = (region: string, dir = PRICING_DIR): PriceTable => {
  if (!knownRegions(dir).includes(region)) {
    throw new PriceTableError(
      `--region ${region}: no price table for this region (known: ${knownRegions(dir).join(', ') || 'none'})`,
    );
  }
  const file = join(dir, `${region}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PriceTableError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = priceTableSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PriceTableError(
      `${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  if (parsed.data.region !== region) {
    throw new PriceTableError(`${file}: region: says ${parsed.data.region}, expected ${region}`);
  }
  return parsed.data;
};
