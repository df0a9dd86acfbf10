import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../shared/events.ts';
import { EventPublishError, RecordTooLargeError } from '../errors.ts';
import type { EventPublisher } from '../event-publisher.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy } from '../retry.ts';

const defaultEventBridge = new EventBridgeClient({});

/** PutEvents takes at most 10 entries and 256 KB per call */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

export interface EventBridgePublisherOptions {
  /** retries of entries PutEvents reported as failed (FailedEntryCount > 0); @default defaultRetryPolicy */
  readonly retry?: RetryPolicy;
}

export const makeEventBridgePublisher = (
  busName: string,
  eventBridge: EventBridgeClient = defaultEventBridge,
  options: EventBridgePublisherOptions = {},
): EventPublisher => {
  const retry = options.retry ?? defaultRetryPolicy;

  /** a successful PutEvents may still have failed some entries: only those are sent again */
  const putWithRetry = async (entries: PutEventsRequestEntry[]): Promise<void> => {
    let pending = entries;
    for (let attempt = 1; ; attempt++) {
      const out = await eventBridge.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      const results = out.Entries ?? [];
      const failed = pending.filter(
        (_, i) => results[i]?.ErrorCode !== undefined || results[i] === undefined,
      );
      if (failed.length === 0) return;
      if (attempt >= retry.maxAttempts) {
        const codes = [...new Set(results.flatMap((r) => (r.ErrorCode ? [r.ErrorCode] : [])))];
        throw new EventPublishError(failed.length, codes, attempt);
      }
      await retry.sleep(backoffDelayMs(attempt, retry));
      pending = failed;
    }
  };

  return {
    async publish(events) {
      const entries: PutEventsRequestEntry[] = events.map((event) => ({
        EventBusName: busName,
        Source: EVENT_SOURCE,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        Resources: event.resources ? [...event.resources] : undefined,
        Time: event.time,
      }));
      for (const batch of batches(entries)) await putWithRetry(batch);
    },
  };
};

/** EventBridge's own size formula: source, detail type, detail, resources, and 14 bytes when Time is set */
const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? 14 : 0) +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, r) => sum + Buffer.byteLength(r), 0);

const batches = (entries: PutEventsRequestEntry[]): PutEventsRequestEntry[][] => {
  const result: PutEventsRequestEntry[][] = [];
  let current: PutEventsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entrySize(entry);
    if (size > MAX_BATCH_BYTES)
      throw new RecordTooLargeError(`event ${entry.DetailType}`, size, MAX_BATCH_BYTES);
    if (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
};
