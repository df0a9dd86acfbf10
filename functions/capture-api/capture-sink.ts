import type { ObjectStore } from '../adapters/object-store.ts';
import { backoffDelayMs, type RetryPolicy, sleep } from '../adapters/retry.ts';
import { captureObjectKey } from '../adapters/s3-layout.ts';

/** where a model's capture lands: `capture/<endpointName>/<variantName>/yyyy/mm/dd/hh/` */
export interface CaptureLocation {
  readonly endpointName: string;
  readonly variantName: string;
  /** `stream`: the model's records go on the stack's capture stream (issue 13); absent: the direct path */
  readonly transport?: 'api' | 'stream';
}

/**
 * Writes capture lines durably. `write` resolves only once the lines are in an object in the store, and
 * rejects with CaptureWriteError when they could not be written: the caller answers 503 and the client retries.
 */
export interface CaptureSink {
  write(location: CaptureLocation, lines: readonly string[]): Promise<void>;
}

/** Capture lines not written after every retry; the client should send them again (same eventIds). */
export class CaptureWriteError extends Error {
  override readonly name = 'CaptureWriteError';
  readonly retryable = true;
  constructor(
    readonly key: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`capture object ${key} not written after ${attempts} attempt(s)`, options);
  }
}

/** puts bursts through S3's 503 SlowDown and brief outages; about 3 s in all before giving up */
export const DEFAULT_CAPTURE_RETRY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 1_000,
  sleep,
};

/**
 * Puts one object, retrying with full-jitter backoff under the same key: a put that succeeded but whose answer was
 * lost is simply written again, so a retry never duplicates records.
 */
export const putWithRetry = async (
  store: ObjectStore,
  key: string,
  body: string,
  contentType: string,
  retry: RetryPolicy,
  onRetry?: (attempt: number, error: unknown) => void,
): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await store.put(key, body, contentType);
      return;
    } catch (error) {
      if (attempt >= retry.maxAttempts) throw new CaptureWriteError(key, attempt, { cause: error });
      onRetry?.(attempt, error);
      await retry.sleep(backoffDelayMs(attempt, retry));
    }
  }
};

export const CAPTURE_CONTENT_TYPE = 'application/jsonlines';

export interface CaptureObjectWriterOptions {
  readonly store: ObjectStore;
  readonly now: () => Date;
  /** a UUID for each object's name */
  readonly newId: () => string;
  readonly retry?: RetryPolicy;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/** Writes lines as one capture object named as SageMaker names them, under the hour of the write. */
export const makeCaptureObjectWriter = (options: CaptureObjectWriterOptions) => {
  const retry = options.retry ?? DEFAULT_CAPTURE_RETRY;
  return async (location: CaptureLocation, lines: readonly string[]): Promise<string> => {
    const key = captureObjectKey(location.endpointName, location.variantName, options.now(), options.newId());
    await putWithRetry(options.store, key, lines.join(''), CAPTURE_CONTENT_TYPE, retry, options.onRetry);
    return key;
  };
};

/** The Lambda's sink: one request, one object (a Lambda instance serves one request at a time). */
export const makeDirectCaptureSink = (options: CaptureObjectWriterOptions): CaptureSink => {
  const writeObject = makeCaptureObjectWriter(options);
  return {
    async write(location, lines) {
      if (lines.length === 0) return;
      await writeObject(location, lines);
    },
  };
};
