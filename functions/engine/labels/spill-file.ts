import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where spill files go, and how big each partition's write buffer is. */
export interface SpillOptions {
  /** a directory for temporary files; @default os.tmpdir() (on Lambda, /tmp) */
  readonly dir?: string;
  /** bytes buffered per partition before they are written; @default 16 KiB */
  readonly bufferBytes?: number;
  /**
   * chunks kept in memory, up to this many bytes, before any is written: a small input never touches the disk;
   * past it, every chunk goes to the file. @default 0 (straight to disk)
   */
  readonly memoryBytes?: number;
}

const DEFAULT_BUFFER = 16 * 1024;

/**
 * Records appended to numbered partitions, kept in ONE temporary file: each partition buffers its bytes and
 * writes them as a chunk at the end of the file when the buffer fills, remembering where. Reading a
 * partition back replays its chunks in the order they were written, so records keep their arrival order
 * within a partition. Memory is one buffer per partition that was written to, whatever the data size, plus
 * up to `memoryBytes` of chunks held back from the disk (the file is made only when they overflow).
 *
 * A record never straddles two chunks: a writer asks for room (`reserve`) before writing a record, and a
 * record larger than the buffer gets a chunk of its own.
 */
export class SpillFile {
  private readonly options: SpillOptions;
  private dir: string | undefined;
  private fd = -1;
  private size = 0;
  private readonly memoryBytes: number;
  private memoryUsed = 0;
  /** chunks held in memory, per partition, by chunk number; a chunk on disk is undefined here */
  private readonly held: (Buffer | undefined)[][];
  private readonly bufferBytes: number;
  private readonly buffers: (Buffer | undefined)[];
  private readonly views: (DataView | undefined)[];
  /** the buffer and view the last `reserve` made room in (fields, not a returned object: no allocation a record) */
  buffer: Buffer = Buffer.alloc(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  private readonly used: Int32Array;
  /** per partition: [offset, length] pairs of its chunks */
  private readonly chunks: number[][];
  private readonly records: Float64Array;
  private closed = false;

  constructor(
    readonly partitions: number,
    options: SpillOptions = {},
  ) {
    this.options = options;
    this.memoryBytes = options.memoryBytes ?? 0;
    this.held = Array.from({ length: partitions }, () => []);
    this.bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER;
    this.buffers = new Array(partitions);
    this.views = new Array(partitions);
    this.used = new Int32Array(partitions);
    this.chunks = Array.from({ length: partitions }, () => []);
    this.records = new Float64Array(partitions);
  }

  /** records appended to a partition so far */
  recordCount(partition: number): number {
    return this.records[partition]!;
  }

  /** bytes written to disk so far (buffers not yet flushed and chunks held in memory excluded) */
  get bytesWritten(): number {
    return this.size;
  }

  /** bytes of chunks held in memory */
  get bytesHeld(): number {
    return this.memoryUsed;
  }

  /**
   * Room for one record of `bytes` bytes in a partition's buffer: returns the offset to write at in `buffer`
   * (or through `view`). The caller writes exactly `bytes` bytes there.
   */
  reserve(partition: number, bytes: number): number {
    let buffer = this.buffers[partition];
    if (buffer !== undefined && this.used[partition]! + bytes > buffer.length) {
      this.flush(partition);
      // a held buffer became a chunk; one on disk is reused unless too small for this record
      buffer = this.buffers[partition];
      if (buffer !== undefined && buffer.length < bytes) buffer = undefined;
    }
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafe(Math.max(this.bufferBytes, bytes));
      this.buffers[partition] = buffer;
      this.views[partition] = new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
    }
    this.buffer = buffer;
    this.view = this.views[partition]!;
    const offset = this.used[partition]!;
    this.used[partition] = offset + bytes;
    this.records[partition] = this.records[partition]! + 1;
    return offset;
  }

  private flush(partition: number): void {
    const buffer = this.buffers[partition];
    const length = this.used[partition]!;
    if (buffer === undefined || length === 0) return;
    this.used[partition] = 0;
    if (this.fd === -1 && this.memoryUsed + length <= this.memoryBytes) {
      // held: the buffer itself becomes the chunk, and the partition gets a new one
      this.held[partition]!.push(buffer.subarray(0, length));
      this.chunks[partition]!.push(-1, length);
      this.memoryUsed += length;
      this.buffers[partition] = undefined;
      this.views[partition] = undefined;
      return;
    }
    if (this.fd === -1) this.moveHeldToDisk();
    this.held[partition]!.push(undefined);
    this.chunks[partition]!.push(this.size, length);
    this.append(buffer, length);
  }

  private append(buffer: Buffer, length: number): void {
    let written = 0;
    while (written < length)
      written += writeSync(this.fd, buffer, written, length - written, this.size + written);
    this.size += length;
  }

  /** memory is full: the file is made, and every held chunk goes to it */
  private moveHeldToDisk(): void {
    this.dir = mkdtempSync(join(this.options.dir ?? tmpdir(), 'model-care-spill-'));
    this.fd = openSync(join(this.dir, 'spill.bin'), 'w+');
    for (let p = 0; p < this.partitions; p++) {
      const held = this.held[p]!;
      const chunks = this.chunks[p]!;
      for (let i = 0; i < held.length; i++) {
        const chunk = held[i];
        if (chunk === undefined) continue;
        chunks[2 * i] = this.size;
        this.append(chunk, chunk.length);
        held[i] = undefined;
      }
    }
    this.memoryUsed = 0;
  }

  /** Writes every buffer out and frees them: after this, partitions can be read. */
  seal(): void {
    for (let p = 0; p < this.partitions; p++) {
      this.flush(p);
      this.buffers[p] = undefined;
      this.views[p] = undefined;
    }
  }

  /** The chunks of a partition, in write order; each holds whole records. */
  *read(partition: number): Generator<Buffer> {
    const chunks = this.chunks[partition]!;
    const held = this.held[partition]!;
    let scratch = Buffer.allocUnsafe(0);
    for (let i = 0; i < chunks.length; i += 2) {
      const kept = held[i / 2];
      if (kept !== undefined) {
        yield kept;
        continue;
      }
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
    for (const held of this.held) held.length = 0;
    this.memoryUsed = 0;
    if (this.fd !== -1) closeSync(this.fd);
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}
