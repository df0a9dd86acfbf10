import { EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { BatchEventPublisher, PublishOutcome } from '../batch-event-publisher.ts';
import { mapWithConcurrency } from '../concurrency.ts';
import { backoffDelayMs, defaultRetryPolicy, type RetryPolicy } from '../retry.ts';
import { batchesOf, toEntry } from './put-events-entries.ts';

const defaultEventBridge = new EventBridgeClient({});

/** per-entry errors a retry cannot cure: the entry itself, or the caller's rights, are wrong */
const PERMANENT_CODES: ReadonlySet<string> = new Set([
  'MalformedDetail',
  'InvalidArgument',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
  'AccessDeniedException',
]);

export interface EventBridgeBatchPublisherOptions {
  /** retries of failed entries (and of calls that failed after the SDK's own retries); @default defaultRetryPolicy */
  readonly retry?: RetryPolicy;
  /** PutEvents calls in flight at once; @default 10 */
  readonly concurrency?: number;
}

interface Failure {
  readonly index: number;
  readonly code: string;
  readonly message?: string;
}

/**
 * PutEvents in calls of at most 10 entries / 256 KB, `concurrency` calls at a time. An entry that PutEvents
 * reports as failed (FailedEntryCount > 0) is sent again, alone with the other failures of its call, up to
 * `retry.maxAttempts` in all; then its outcome says why it was not published. Entries that succeeded are never
 * sent twice by this adapter.
 */
export const makeEventBridgeBatchPublisher = (
  busName: string,
  eventBridge: EventBridgeClient = defaultEventBridge,
  options: EventBridgeBatchPublisherOptions = {},
): BatchEventPublisher => {
  const retry = options.retry ?? defaultRetryPolicy;
  const concurrency = options.concurrency ?? 10;

  /** the failures of one call, by index into all events; a call that threw fails all of its entries */
  const put = async (
    indices: readonly number[],
    entries: ReturnType<typeof toEntry>[],
  ): Promise<{ failures: Failure[] }> => {
    let results: PutEventsResultEntry[];
    try {
      const out = await eventBridge.send(new PutEventsCommand({ Entries: indices.map((i) => entries[i]!) }));
      if (!out.FailedEntryCount) return { failures: [] };
      results = out.Entries ?? [];
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      return { failures: indices.map((index) => ({ index, code: name, message })) };
    }
    const failures: Failure[] = [];
    indices.forEach((index, j) => {
      const result = results[j];
      if (result && result.ErrorCode === undefined) return;
      failures.push({ index, code: result?.ErrorCode ?? 'MissingResult', message: result?.ErrorMessage });
    });
    return { failures };
  };

  return {
    async publishEach(events) {
      const entries = events.map((event) => toEntry(busName, event));
      const outcomes: PublishOutcome[] = events.map(() => ({ published: true }));
      const batches = batchesOf(
        events.map((_, index) => index),
        (index) => entries[index]!,
      );
      await mapWithConcurrency(batches, concurrency, async (batch) => {
        let pending: readonly number[] = batch;
        for (let attempt = 1; pending.length > 0; attempt++) {
          const { failures } = await put(pending, entries);
          const retryable = failures.filter((f) => !PERMANENT_CODES.has(f.code));
          const giveUp =
            attempt >= retry.maxAttempts ? failures : failures.filter((f) => PERMANENT_CODES.has(f.code));
          for (const f of giveUp) {
            outcomes[f.index] = {
              published: false,
              errorCode: f.code,
              errorMessage: f.message,
              attempts: attempt,
            };
          }
          if (attempt >= retry.maxAttempts || retryable.length === 0) return;
          await retry.sleep(backoffDelayMs(attempt, retry));
          pending = retryable.map((f) => f.index);
        }
      });
      return outcomes;
    },
  };
};
