import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../errors.ts';
import type { EventPublisher } from '../event-publisher.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy } from '../retry.ts';
import { batchesOf, toEntry } from './put-events-entries.ts';

const defaultEventBridge = new EventBridgeClient({});

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
      const entries = events.map((event) => toEntry(busName, event));
      for (const batch of batchesOf(entries, (entry) => entry)) await putWithRetry(batch);
    },
  };
};
