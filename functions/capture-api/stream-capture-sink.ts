import type { CaptureStream } from '../adapters/capture-stream.ts';
import { backoffDelayMs, type RetryPolicy } from '../adapters/retry.ts';
import { streamCaptureLine } from '../shared/config/capture-transport.ts';
import { type CaptureSink, CaptureWriteError, DEFAULT_CAPTURE_RETRY } from './capture-sink.ts';

export interface StreamCaptureSinkOptions {
  readonly stream: CaptureStream;
  readonly retry?: RetryPolicy;
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/**
 * Puts a request's capture lines on the capture stream, each carrying its folder for the stream's partitioning.
 * Resolves once the stream accepted every line (it then owns their delivery to S3); records the stream refused
 * are put again with backoff, and after the last attempt the write fails with CaptureWriteError (the API answers
 * 503 and the client retries with the same eventIds).
 */
export const makeStreamCaptureSink = (options: StreamCaptureSinkOptions): CaptureSink => {
  const retry = options.retry ?? DEFAULT_CAPTURE_RETRY;
  return {
    async write(location, lines) {
      if (lines.length === 0) return;
      const folder = { endpoint: location.endpointName, variant: location.variantName };
      let pending = lines.map((line) => streamCaptureLine(line, folder));
      for (let attempt = 1; ; attempt++) {
        let error: unknown;
        try {
          const failed = await options.stream.putRecords(pending);
          if (failed.length === 0) return;
          pending = failed.map((i) => pending[i] as string);
          error = new Error(`${failed.length} record(s) not accepted by the capture stream`);
        } catch (cause) {
          error = cause;
        }
        if (attempt >= retry.maxAttempts) {
          throw new CaptureWriteError(`stream:${folder.endpoint}/${folder.variant}`, attempt, {
            cause: error,
          });
        }
        options.onRetry?.(attempt, error);
        await retry.sleep(backoffDelayMs(attempt, retry));
      }
    },
  };
};

/** Sends the lines of models on `capture.transport: stream` to the stream sink and every other model's to the direct one. */
export const makeRoutedCaptureSink = (direct: CaptureSink, stream: CaptureSink): CaptureSink => ({
  write: (location, lines) => (location.transport === 'stream' ? stream : direct).write(location, lines),
});
