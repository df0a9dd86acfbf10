import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where spill files go, and how big each partition's write buffer is. */
export interface SpillOptions {
  /** a directory for temporary files; @default os.tmpdir() (on Lambda, /tmp) */
  readonly dir?: string;
  /** bytes buffered per partition before they are written; @default 16 KiB */
  readonly bufferBytes?: number;
}

const DEFAULT_BUFFER = 16 * 1024;

/**
 * Records appended to numbered partitions, kept in ONE temporary file: each partition buffers its bytes and
 * writes them as a chunk at the end of the file when the buffer fills, remembering where. Reading a
 * partition back replays its chunks in the order they were written, so records keep their arrival order
 * within a partition. Memory is one buffer per partition that was written to, whatever the data size.
 *
 * A record never straddles two chunks: a writer asks for room (`reserve`) before writing a record, and a
 * record larger than the buffer gets a chunk of its own.
 */
export class SpillFile {
  private readonly dir: string;
  private readonly path: string;
  private fd: number;
  private size = 0;
  private readonly bufferBytes: number;
  private readonly buffers: (Buffer | undefined)[];
  private readonly used: Int32Array;
  /** per partition: [offset, length] pairs of its chunks */
  private readonly chunks: number[][];
  private readonly records: Float64Array;
  private closed = false;

  constructor(
    readonly partitions: number,
    options: SpillOptions = {},
  ) {
    this.dir = mkdtempSync(join(options.dir ?? tmpdir(), 'model-care-spill-'));
    this.path = join(this.dir, 'spill.bin');
    this.fd = openSync(this.path, 'w+');
    this.bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER;
    this.buffers = new Array(partitions);
    this.used = new Int32Array(partitions);
    this.chunks = Array.from({ length: partitions }, () => []);
    this.records = new Float64Array(partitions);
  }

  /** records appended to a partition so far */
  recordCount(partition: number): number {
    return this.records[partition]!;
  }

  /** bytes written to disk so far (buffers not yet flushed excluded) */
  get bytesWritten(): number {
    return this.size;
  }

  /**
   * Room for one record of `bytes` bytes in a partition's buffer: returns the buffer and the offset to write
   * at. The caller writes exactly `bytes` bytes there.
   */
  reserve(partition: number, bytes: number): { buffer: Buffer; offset: number } {
    let buffer = this.buffers[partition];
    const capacity = Math.max(this.bufferBytes, bytes);
    if (buffer === undefined || buffer.length < bytes) {
      if (buffer !== undefined) this.flush(partition);
      buffer = Buffer.allocUnsafe(capacity);
      this.buffers[partition] = buffer;
    } else if (this.used[partition]! + bytes > buffer.length) {
      this.flush(partition);
    }
    const offset = this.used[partition]!;
    this.used[partition] = offset + bytes;
    this.records[partition] = this.records[partition]! + 1;
    return { buffer, offset };
  }

  private flush(partition: number): void {
    const buffer = this.buffers[partition];
    const length = this.used[partition]!;
    if (buffer === undefined || length === 0) return;
    let written = 0;
    while (written < length)
      written += writeSync(this.fd, buffer, written, length - written, this.size + written);
    this.chunks[partition]!.push(this.size, length);
    this.size += length;
    this.used[partition] = 0;
  }

  /** Writes every buffer out and frees them: after this, partitions can be read. */
  seal(): void {
    for (let p = 0; p < this.partitions; p++) {
      this.flush(p);
      this.buffers[p] = undefined;
    }
  }

  /** The chunks of a partition, in write order; each holds whole records. */
  *read(partition: number): Generator<Buffer> {
    const chunks = this.chunks[partition]!;
    let scratch = Buffer.allocUnsafe(0);
    for (let i = 0; i < chunks.length; i += 2) {
      const offset = chunks[i]!;
      const length = chunks[i + 1]!;
      if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, this.bufferBytes));
      let read = 0;
      while (read < length) read += readSync(this.fd, scratch, read, length - read, offset + read);
      yield scratch.subarray(0, length);
    }
  }

  /** Closes and deletes the file; safe to call twice. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
