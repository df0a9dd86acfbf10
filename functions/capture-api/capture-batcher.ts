import type { RetryPolicy } from '../adapters/retry.ts';
import {
  type CaptureLocation,
  type CaptureObjectWriterOptions,
  type CaptureSink,
  makeCaptureObjectWriter,
} from './capture-sink.ts';

export interface CaptureBatcherOptions extends CaptureObjectWriterOptions {
  /** an object is written once it holds this many records; @default 1000 */
  readonly maxRecords?: number;
  /** ... or this many bytes of JSON Lines; @default 4 MiB */
  readonly maxBytes?: number;
  /** ... or when its first record has waited this long; @default 250 ms */
  readonly maxDelayMs?: number;
  readonly retry?: RetryPolicy;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Batch {
  readonly location: CaptureLocation;
  readonly lines: string[];
  bytes: number;
  readonly waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

const locationKey = (location: CaptureLocation): string => `${location.endpointName}/${location.variantName}`;

/**
 * Coalesces concurrent `write` calls of one process into one capture object per flush, so that a burst of
 * requests becomes a few objects instead of one each (fewer PUTs, fewer small files for the data job). A flush
 * happens when a batch reaches `maxRecords` or `maxBytes`, or `maxDelayMs` after its first record. Each caller's
 * promise resolves only after the object holding its records is written (with retries under the same key), and
 * rejects with CaptureWriteError when it could not be: nothing is acknowledged that is not durable. A caller's
 * records always travel together in one object. Used by the local runtime and long-lived proxies; the Lambda,
 * serving one request at a time, writes directly.
 */
export class CaptureBatcher implements CaptureSink {
  private readonly pending = new Map<string, Batch>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly writeObject: ReturnType<typeof makeCaptureObjectWriter>;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly maxDelayMs: number;
  private closed = false;
  /** objects written, for tests and logs */
  objectsWritten = 0;

  constructor(options: CaptureBatcherOptions) {
    this.writeObject = makeCaptureObjectWriter(options);
    this.maxRecords = options.maxRecords ?? 1000;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.maxDelayMs = options.maxDelayMs ?? 250;
  }

  write(location: CaptureLocation, lines: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('capture batcher is closed'));
    if (lines.length === 0) return Promise.resolve();
    const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8'), 0);
    const key = locationKey(location);
    const current = this.pending.get(key);
    // a caller's records are never split: when they do not fit, the batch so far goes first
    if (
      current &&
      (current.lines.length + lines.length > this.maxRecords || current.bytes + bytes > this.maxBytes)
    ) {
      this.flushBatch(key);
    }
    const batch = this.pending.get(key) ?? this.openBatch(key, location);
    batch.lines.push(...lines);
    batch.bytes += bytes;
    const done = new Promise<void>((resolve, reject) => {
      batch.waiters.push({ resolve, reject });
    });
    if (batch.lines.length >= this.maxRecords || batch.bytes >= this.maxBytes) this.flushBatch(key);
    return done;
  }

  /** Writes every pending batch now and waits for every write in flight. */
  async flush(): Promise<void> {
    for (const key of [...this.pending.keys()]) this.flushBatch(key);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Flushes and refuses further writes (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private openBatch(key: string, location: CaptureLocation): Batch {
    const batch: Batch = { location, lines: [], bytes: 0, waiters: [] };
    batch.timer = setTimeout(() => this.flushBatch(key), this.maxDelayMs);
    // a pending timer must not keep a process alive that has nothing else to do
    batch.timer.unref();
    this.pending.set(key, batch);
    return batch;
  }

  private flushBatch(key: string): void {
    const batch = this.pending.get(key);
    if (!batch) return;
    this.pending.delete(key);
    clearTimeout(batch.timer);
    const write = this.writeObject(batch.location, batch.lines).then(
      () => {
        this.objectsWritten += 1;
        for (const waiter of batch.waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
    this.inFlight.add(write);
    void write.finally(() => this.inFlight.delete(write));
  }
}
