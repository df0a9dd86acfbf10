/**
 * Backoff for the retries the SDK cannot do for us: partial failures reported inside a successful response
 * (BatchWriteItem's UnprocessedItems, PutEvents' FailedEntryCount) and SNS throttling on alert paths.
 */

export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryPolicy {
  /** total attempts including the first */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** injected so tests do not wait */
  readonly sleep: Sleep;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 2_000, sleep };

/** "Full jitter": spreads concurrent retriers apart, which is the point when they collided on a limit. */
export const backoffDelayMs = (attempt: number, policy: RetryPolicy, random = Math.random): number =>
  Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
