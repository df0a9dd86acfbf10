import { randomUUID } from 'node:crypto';
import type { CaptureStream } from '../../functions/adapters/capture-stream.ts';
import type { ObjectStore } from '../../functions/adapters/object-store.ts';
import { captureHourPrefix } from '../../functions/adapters/s3-layout.ts';
import { STREAM_FOLDER_FIELD } from '../../functions/shared/config/capture-transport.ts';

/**
 * The local twin's stand-in for the stack's Firehose stream (there is no Firehose emulator). It partitions as the
 * delivery stream is configured to (lib/constructs/capture-stream.ts): the partition keys from each record's
 * `captureFolder` (the jq query's fields), the hour from the record's arrival time in UTC, and writes each
 * partition's buffer as one object under `capture/<endpoint>/<variant>/yyyy/mm/dd/hh/` when it reaches
 * `maxBytes`, when it is `maxSeconds` old, or on flush(). Records with no usable keys go under `capture-errors/`,
 * as Firehose's error output prefix. What it cannot reproduce: Firehose's own retries and durability, its
 * at-least-once duplicates, object names beyond the layout, and the SSE-KMS of delivery (s3rver stores plain).
 */
export interface LocalCaptureStreamOptions {
  readonly store: ObjectStore;
  readonly now: () => Date;
  /** the delivery stream's buffering hints; @default 64 MiB / 300 s, as the stack's */
  readonly maxBytes?: number;
  readonly maxSeconds?: number;
}

interface Partition {
  readonly prefix: string;
  readonly records: string[];
  bytes: number;
  readonly openedAt: number;
}

const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;

const folderOf = (record: string): { endpoint: string; variant: string } | undefined => {
  try {
    const folder = (JSON.parse(record) as Record<string, unknown>)[STREAM_FOLDER_FIELD] as
      | { endpoint?: unknown; variant?: unknown }
      | undefined;
    const endpoint = folder?.endpoint;
    const variant = folder?.variant;
    if (
      typeof endpoint === 'string' &&
      typeof variant === 'string' &&
      NAME.test(endpoint) &&
      NAME.test(variant)
    ) {
      return { endpoint, variant };
    }
  } catch {
    // not JSON: Firehose fails the jq query and writes the record to the error prefix
  }
  return undefined;
};

export class LocalCaptureStream implements CaptureStream {
  private readonly partitions = new Map<string, Partition>();
  private readonly maxBytes: number;
  private readonly maxMs: number;
  /** objects written, for tests and logs */
  objectsWritten = 0;

  constructor(private readonly options: LocalCaptureStreamOptions) {
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.maxMs = (options.maxSeconds ?? 300) * 1000;
  }

  async putRecords(records: readonly string[]): Promise<readonly number[]> {
    const at = this.options.now();
    for (const record of records) {
      const folder = folderOf(record);
      const prefix = folder
        ? captureHourPrefix(folder.endpoint, folder.variant, at)
        : `capture-errors/processing-failed/${at.toISOString().slice(0, 10).replaceAll('-', '/')}/`;
      const partition = this.partitions.get(prefix) ?? this.open(prefix, at);
      partition.records.push(record.endsWith('\n') ? record : `${record}\n`);
      partition.bytes += Buffer.byteLength(record, 'utf8');
    }
    await this.deliverDue(at);
    return [];
  }

  /** Writes every buffer now (the end of a simulated hour, shutdown). */
  async flush(): Promise<void> {
    for (const prefix of [...this.partitions.keys()]) await this.deliver(prefix);
  }

  private open(prefix: string, at: Date): Partition {
    const partition: Partition = { prefix, records: [], bytes: 0, openedAt: at.getTime() };
    this.partitions.set(prefix, partition);
    return partition;
  }

  private async deliverDue(at: Date): Promise<void> {
    for (const [prefix, partition] of [...this.partitions]) {
      if (partition.bytes >= this.maxBytes || at.getTime() - partition.openedAt >= this.maxMs) {
        await this.deliver(prefix);
      }
    }
  }

  private async deliver(prefix: string): Promise<void> {
    const partition = this.partitions.get(prefix);
    if (!partition) return;
    this.partitions.delete(prefix);
    if (partition.records.length === 0) return;
    const stamp = new Date(partition.openedAt).toISOString().slice(0, 19).replace(/[-:T]/g, '-');
    const key = `${prefix}model-care-capture-1-${stamp}-${randomUUID()}.jsonl`;
    await this.options.store.put(key, partition.records.join(''), 'application/jsonlines');
    this.objectsWritten += 1;
  }
}
