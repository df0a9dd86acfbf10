import type { DomainEvent, EventPublisher } from '../../../functions/adapters/event-publisher.ts';
import type { ObjectStore } from '../../../functions/adapters/object-store.ts';
import type { Sleep } from '../../../functions/adapters/retry.ts';
import type {
  CaptureMetrics,
  PublishedMetrics,
  RefusalMetrics,
  RunMetrics,
  RunMetricsPublisher,
} from '../../../functions/adapters/run-metrics.ts';
import type { HandlerLogger } from '../../../functions/handler-kit/handler-logger.ts';

/** records every event instead of sending it */
export class RecordingPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  async publish(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
  }
}

/** records every run and capture metric instead of writing EMF */
export class RecordingMetrics implements RunMetricsPublisher {
  readonly runs: RunMetrics[] = [];
  readonly captures: CaptureMetrics[] = [];
  publishRun(run: RunMetrics): PublishedMetrics {
    this.runs.push(run);
    return { published: 1, skipped: [] };
  }
  publishCapture(capture: CaptureMetrics): PublishedMetrics {
    this.captures.push(capture);
    return { published: 1, skipped: [] };
  }
  readonly refusals: RefusalMetrics[] = [];
  publishRefusal(refusal: RefusalMetrics): PublishedMetrics {
    this.refusals.push(refusal);
    return { published: 1, skipped: [] };
  }
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly attributes: unknown[];
}

/** keeps log lines for assertions, prints nothing */
export const recordingLogger = (): HandlerLogger & { readonly lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...attributes: unknown[]): void => {
      lines.push({ level, message: String(message), attributes });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  } as HandlerLogger & { readonly lines: LogLine[] };
};

/** retries without waiting */
export const noWait: Sleep = async () => {};

/**
 * The store with every `every`-th put failing (as S3 does under a burst with 503 SlowDown), deterministic so a
 * test can count on it; the failing put writes nothing.
 */
export const failingPuts = (
  store: ObjectStore,
  every: number,
): ObjectStore & { readonly failed: () => number } => {
  let puts = 0;
  let failed = 0;
  return {
    ...store,
    async put(key, body, contentType, metadata) {
      puts += 1;
      if (puts % every === 0) {
        failed += 1;
        const error = new Error('Please reduce your request rate.');
        error.name = 'SlowDown';
        throw error;
      }
      return store.put(key, body, contentType, metadata);
    },
    failed: () => failed,
  };
};

/** a deterministic clock that a test moves by hand */
export const clock = (start: string) => {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
};
