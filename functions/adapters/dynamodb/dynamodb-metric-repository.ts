import { BatchWriteCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { chunk, mapWithConcurrency } from '../concurrency.ts';
import { BatchWriteIncompleteError, InvalidRecordError } from '../errors.ts';
import { boundInstant, canonicalInstant } from '../key-parts.ts';
import type { MetricRepository, SeriesPoint } from '../metric-repository.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy } from '../retry.ts';
import { defaultDocumentClient } from './document-client.ts';
import { parseItem } from './item-parsing.ts';
import { epochSeconds, metricPartition } from './keys.ts';

/** BatchWriteItem's limit */
const BATCH_SIZE = 25;
const DAY_SECONDS = 86_400;

export interface DynamoMetricRepositoryOptions {
  /** how long points are kept, counted from their window start; @default 400 days (13 months, for year-over-year) */
  readonly retentionDays?: number;
  /** batches written in parallel; @default 4 */
  readonly concurrency?: number;
  /** retries of UnprocessedItems (throttled partitions); @default defaultRetryPolicy */
  readonly retry?: RetryPolicy;
  readonly now?: () => Date;
}

/**
 * DynamoDB numbers hold magnitudes from 1e-130 (and the document client only up to 2^53 without NumberValue);
 * a p-value of 1e-200 or an evidence of 1e40 is a valid point all the same, stored as 0 or at the largest
 * magnitude kept.
 */
const storable = (value: number): number =>
  Math.abs(value) < 1e-120 ? 0 : Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, value));

const storedPoint = z.object({ windowStart: z.string(), value: z.number(), expiresAt: z.number() });

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } };

export const makeDynamoMetricRepository = (
  table: string,
  ddb: DynamoDBDocumentClient = defaultDocumentClient,
  options: DynamoMetricRepositoryOptions = {},
): MetricRepository => {
  const retentionSeconds = (options.retentionDays ?? 400) * DAY_SECONDS;
  const concurrency = options.concurrency ?? 4;
  const retry = options.retry ?? defaultRetryPolicy;
  const now = options.now ?? (() => new Date());

  const writeBatch = async (requests: WriteRequest[]): Promise<void> => {
    let pending = requests;
    for (let attempt = 1; ; attempt++) {
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      const unprocessed = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
      if (unprocessed.length === 0) return;
      if (attempt >= retry.maxAttempts)
        throw new BatchWriteIncompleteError(table, unprocessed.length, attempt);
      // unprocessed items mean a throttled partition: back off before asking again
      await retry.sleep(backoffDelayMs(attempt, retry));
      pending = unprocessed;
    }
  };

  return {
    async putMetrics(model, windowStart, points) {
      const start = canonicalInstant('windowStart', windowStart);
      const expiresAt = epochSeconds(new Date(start)) + retentionSeconds;
      // one request per key: BatchWriteItem rejects a batch that names the same key twice
      const byKey = new Map<string, WriteRequest>();
      for (const point of points) {
        if (typeof point.value !== 'number' || !Number.isFinite(point.value)) {
          throw new InvalidRecordError(
            'metric point',
            `${point.feature}/${point.metric} has the non-finite value ${String(point.value)}`,
          );
        }
        const pk = metricPartition(model, point.feature, point.metric);
        byKey.set(pk, {
          PutRequest: {
            Item: {
              pk,
              sk: start,
              model,
              feature: point.feature,
              metric: point.metric,
              windowStart: start,
              value: storable(point.value),
              expiresAt,
            },
          },
        });
      }
      await mapWithConcurrency(chunk([...byKey.values()], BATCH_SIZE), concurrency, writeBatch);
    },

    async getSeries(model, feature, metric, from, to) {
      const pk = metricPartition(model, feature, metric);
      const lower = boundInstant('from', from);
      const upper = boundInstant('to', to);
      if (lower >= upper) return [];
      const nowSeconds = epochSeconds(now());
      const series: SeriesPoint[] = [];
      const pages = paginateQuery(
        { client: ddb },
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper',
          ExpressionAttributeValues: { ':pk': pk, ':lower': lower, ':upper': upper },
          ProjectionExpression: 'windowStart, #value, expiresAt',
          ExpressionAttributeNames: { '#value': 'value' },
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const point = parseItem(storedPoint, table, `${pk} / ${String(item.windowStart)}`, item);
          if (point.windowStart === upper) continue;
          // TTL deletes lazily (up to days later), so expired points are filtered on read
          if (point.expiresAt <= nowSeconds) continue;
          series.push({ windowStart: point.windowStart, value: point.value });
        }
      }
      return series;
    },
  };
};
