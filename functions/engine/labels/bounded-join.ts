import { hashBytes, IdTable, mix32 } from './id-table.ts';
import { SpillFile, type SpillOptions } from './spill-file.ts';

export interface BoundedJoinOptions extends SpillOptions {
  // memoryBytes (SpillOptions): records held in memory per side before they go to disk; @default 32 bytes x maxRowsInMemory
  /**
   * the most distinct prediction ids in the in-memory table at once (about 40 bytes each); a partition with
   * more is split again by other bits of the id hash. Also the default for `memoryBytes` (32 bytes a row per
   * side). @default 1,000,000
   */
  readonly maxRowsInMemory?: number;
  /** partitions per level: 256 keeps each partition's table small enough for the CPU cache up to ~30M rows; @default 256 */
  readonly fanout?: number;
}

/** What the join counted: the same figures, with the same rules, as `joinLabels`. */
export interface JoinCounts {
  /** predictions without a label */
  readonly unmatchedPredictions: number;
  /** labels whose prediction is not in the window */
  readonly unmatchedLabels: number;
  /** repeated ids on either side (the first one wins); a repeated orphan label counts as unmatched */
  readonly duplicateIds: number;
}

/** How the join used memory and disk: for tests that memory stays bounded, and for the bench. */
export interface JoinStats {
  /** the most distinct ids the in-memory table held at any moment */
  readonly peakRowsInMemory: number;
  /** whether records outgrew `memoryBytes` and went through temporary files */
  readonly spilled: boolean;
  /** partitions joined one at a time */
  readonly partitionsJoined: number;
  /** the deepest partitioning level used (1: by id hash; 2: a partition too big split again...) */
  readonly depth: number;
  /** bytes written to temporary files */
  readonly spillBytes: number;
}

/** receives each labelled prediction: the prediction side's value and segment, the label side's value */
export type PairSink = (prediction: number, segment: number, label: number) => void;

const DEFAULT_MAX_ROWS = 1_000_000;
/** bytes of records per row held in memory on each side before they go to disk (a record is 17 to 40 bytes) */
const BYTES_PER_ROW = 32;
const DEFAULT_FANOUT = 256;
/**
 * levels of splitting give fanout^depth paths; past 2^40 a partition is loaded whole: only ids that share all
 * 32 hash bits (more of them than fit in memory) could get there
 */
const PATH_BITS = 40;
/** hash (4) + id length (4) + value (8) [+ segment (4)] */
const LABEL_FIXED = 16;
const PREDICTION_FIXED = 20;

const viewOf = (chunk: Buffer): DataView => new DataView(chunk.buffer, chunk.byteOffset, chunk.length);

/** the partition of an id hash at a spill level: different bits at every level */
const partitionOf = (hash: number, depth: number, fanout: number): number =>
  (mix32((hash + Math.imul(depth + 1, 0x9e3779b9)) | 0) >>> 0) % fanout;

/**
 * A hash join of a window's predictions with its labels, by id, in bounded memory (a Grace hash join).
 *
 * Predictions come first, labels after. Each record goes, as a few bytes, to one of `fanout` partitions by a
 * hash of its id (SpillFile: held in memory up to `memoryBytes` a side, then in a temporary file). Then each
 * partition is joined on its own: its predictions into a table, its labels probing it. A partition whose
 * distinct ids pass `maxRowsInMemory` is split again by other hash bits, so the table never holds more,
 * whatever the window's size. Partitions also keep the table small enough for the CPU's cache, which makes
 * this faster than one big table even when everything fits in memory.
 *
 * Values are numbers the caller chose (a score, a class number, NaN for unreadable), so the join stays the same
 * for every problem type. The rules are `joinLabels`': a repeated id keeps its first prediction and its first
 * label, and each repeat counts once in `duplicateIds`; pairs reach the sink in no particular order.
 */
export class BoundedJoin {
  private readonly table = new IdTable();
  private readonly maxRows: number;
  private readonly fanout: number;
  private readonly maxDepth: number;
  /** for the files of split partitions: straight to disk */
  private readonly spillOptions: SpillOptions;
  /** for the level-0 partitions: held in memory up to memoryBytes */
  private readonly heldOptions: SpillOptions;
  private predictionValue = new Float64Array(1024);
  private predictionSegment = new Int32Array(1024);
  private labelValue = new Float64Array(1024);
  private labelled = new Uint8Array(1024);
  private predictionSpill: SpillFile;
  private labelSpill: SpillFile;
  private readingLabels = false;
  private finished = false;
  private scratch = Buffer.allocUnsafe(256);
  private unmatchedPredictions = 0;
  private unmatchedLabels = 0;
  private duplicateIds = 0;
  private peakRows = 0;
  private partitionsJoined = 0;
  private depth = 0;
  private spillBytes = 0;

  constructor(options: BoundedJoinOptions = {}) {
    this.maxRows = Math.max(1, Math.floor(options.maxRowsInMemory ?? DEFAULT_MAX_ROWS));
    this.fanout = Math.max(2, Math.floor(options.fanout ?? DEFAULT_FANOUT));
    this.maxDepth = Math.ceil(PATH_BITS / Math.log2(this.fanout));
    this.spillOptions = { dir: options.dir, bufferBytes: options.bufferBytes };
    const held = { ...this.spillOptions, memoryBytes: options.memoryBytes ?? this.maxRows * BYTES_PER_ROW };
    this.predictionSpill = new SpillFile(this.fanout, held);
    this.labelSpill = new SpillFile(this.fanout, held);
    this.heldOptions = held;
  }

  /** Adds a prediction whose id is `bytes[start..end)` (UTF-8). */
  addPrediction(bytes: Uint8Array, start: number, end: number, value: number, segment = -1): void {
    if (this.readingLabels) throw new Error('BoundedJoin: every prediction must come before the labels');
    const hash = hashBytes(bytes, start, end);
    this.writePrediction(
      this.predictionSpill,
      partitionOf(hash, 0, this.fanout),
      hash,
      bytes,
      start,
      end,
      value,
      segment,
    );
  }

  /** Adds a prediction with a string id. */
  addPredictionId(id: string, value: number, segment = -1): void {
    const length = this.encode(id);
    this.addPrediction(this.scratch, 0, length, value, segment);
  }

  /** Adds a label whose id is `bytes[start..end)` (UTF-8); every prediction must have been added. */
  addLabel(bytes: Uint8Array, start: number, end: number, value: number): void {
    this.readingLabels = true;
    const hash = hashBytes(bytes, start, end);
    this.writeLabel(this.labelSpill, partitionOf(hash, 0, this.fanout), hash, bytes, start, end, value);
  }

  /** Adds a label with a string id. */
  addLabelId(id: string, value: number): void {
    const length = this.encode(id);
    this.addLabel(this.scratch, 0, length, value);
  }

  /** Forgets every label added so far (a reader starting the labels over); the predictions stay. */
  resetLabels(): void {
    if (this.finished) throw new Error('BoundedJoin: finish() was called already');
    // nothing is counted before finish: the labels are only in their partitions
    this.labelSpill.dispose();
    this.labelSpill = new SpillFile(this.fanout, this.heldOptions);
  }

  /** Hands every labelled prediction to `sink` and returns the counts; deletes the temporary files. */
  finish(sink: PairSink): JoinCounts {
    if (this.finished) throw new Error('BoundedJoin: finish() was called already');
    this.finished = true;
    try {
      this.predictionSpill.seal();
      this.labelSpill.seal();
      this.depth = 1;
      for (let p = 0; p < this.fanout; p++)
        this.joinPartition(this.predictionSpill, this.labelSpill, p, 1, sink);
      return {
        unmatchedPredictions: this.unmatchedPredictions,
        unmatchedLabels: this.unmatchedLabels,
        duplicateIds: this.duplicateIds,
      };
    } finally {
      this.dispose();
    }
  }

  get stats(): JoinStats {
    return {
      peakRowsInMemory: Math.max(this.peakRows, this.table.size),
      spilled: this.spillBytes + this.predictionSpill.bytesWritten + this.labelSpill.bytesWritten > 0,
      partitionsJoined: this.partitionsJoined,
      depth: this.depth,
      spillBytes: this.spillBytes + this.predictionSpill.bytesWritten + this.labelSpill.bytesWritten,
    };
  }

  /** Deletes the temporary files (finish does it; call this when giving up early). */
  dispose(): void {
    this.predictionSpill.dispose();
    this.labelSpill.dispose();
  }

  private encode(id: string): number {
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(id.length * 3 + 16);
    return this.scratch.write(id, 0, 'utf8');
  }

  private storePrediction(row: number, value: number, segment: number): void {
    // a repeated id keeps its first prediction (first-label-wins.ts): the repeat is counted, not stored
    if (!this.table.added) {
      this.duplicateIds += 1;
      return;
    }
    if (row >= this.predictionValue.length) this.growRows();
    this.predictionValue[row] = value;
    this.predictionSegment[row] = segment;
    this.labelled[row] = 0;
  }

  private probe(row: number, value: number): void {
    if (row < 0) {
      this.unmatchedLabels += 1;
      return;
    }
    // the first label of an id is its label; a later delivery is counted and left out
    if (this.labelled[row] === 1) {
      this.duplicateIds += 1;
      return;
    }
    this.labelled[row] = 1;
    this.labelValue[row] = value;
  }

  private emit(sink: PairSink): void {
    const rows = this.table.size;
    for (let row = 0; row < rows; row++) {
      if (this.labelled[row] === 1)
        sink(this.predictionValue[row]!, this.predictionSegment[row]!, this.labelValue[row]!);
      else this.unmatchedPredictions += 1;
    }
  }

  private growRows(): void {
    const capacity = this.predictionValue.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.predictionValue = grow(this.predictionValue, (n) => new Float64Array(n));
    this.predictionSegment = grow(this.predictionSegment, (n) => new Int32Array(n));
    this.labelValue = grow(this.labelValue, (n) => new Float64Array(n));
    this.labelled = grow(this.labelled, (n) => new Uint8Array(n));
  }

  private writePrediction(
    spill: SpillFile,
    partition: number,
    hash: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    value: number,
    segment: number,
  ): void {
    const at = this.writeId(spill, partition, PREDICTION_FIXED, hash, bytes, start, end);
    spill.view.setFloat64(at, value, true);
    spill.view.setInt32(at + 8, segment, true);
  }

  private writeLabel(
    spill: SpillFile,
    partition: number,
    hash: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    value: number,
  ): void {
    const at = this.writeId(spill, partition, LABEL_FIXED, hash, bytes, start, end);
    spill.view.setFloat64(at, value, true);
  }

  /**
   * Reserves a record (`fixed` bytes plus the id) in the spill's partition and writes its head, the id's hash,
   * length and bytes, which predictions and labels share; returns the offset where the record's values go.
   */
  private writeId(
    spill: SpillFile,
    partition: number,
    fixed: number,
    hash: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): number {
    const length = end - start;
    const offset = spill.reserve(partition, fixed + length);
    const { buffer, view } = spill;
    view.setInt32(offset, hash, true);
    view.setUint32(offset + 4, length, true);
    // ids are short: a loop beats making a subarray view per record
    for (let i = start, j = offset + 8; i < end; i++, j++) buffer[j] = bytes[i]!;
    return offset + 8 + length;
  }

  /**
   * Joins partition `p` of the spilled predictions with the same partition of the labels. One whose distinct
   * prediction ids do not fit is split by the next level's hash bits (labels alike) and each part joined.
   */
  private joinPartition(
    predictions: SpillFile,
    labels: SpillFile,
    p: number,
    depth: number,
    sink: PairSink,
  ): void {
    this.depth = Math.max(this.depth, depth);
    const records = predictions.recordCount(p);
    if (records === 0) {
      // no prediction here: every label of the partition is an orphan
      this.unmatchedLabels += labels.recordCount(p);
      return;
    }
    const limit = records <= this.maxRows || depth >= this.maxDepth ? Number.POSITIVE_INFINITY : this.maxRows;
    const duplicatesBefore = this.duplicateIds;
    if (this.loadPredictions(predictions, p, limit)) {
      this.partitionsJoined += 1;
      this.peakRows = Math.max(this.peakRows, this.table.size);
      this.probeLabels(labels, p);
      this.emit(sink);
      this.table.clear();
      return;
    }
    // the split loads these records again: what the abandoned load counted must not count twice
    this.duplicateIds = duplicatesBefore;
    this.table.clear();
    const predictionParts = new SpillFile(this.fanout, this.spillOptions);
    const labelParts = new SpillFile(this.fanout, this.spillOptions);
    try {
      this.repartition(predictions, p, predictionParts, depth, PREDICTION_FIXED);
      this.repartition(labels, p, labelParts, depth, LABEL_FIXED);
      predictionParts.seal();
      labelParts.seal();
      for (let q = 0; q < this.fanout; q++)
        this.joinPartition(predictionParts, labelParts, q, depth + 1, sink);
    } finally {
      this.spillBytes += predictionParts.bytesWritten + labelParts.bytesWritten;
      predictionParts.dispose();
      labelParts.dispose();
    }
  }

  /** loads a partition's predictions into the table; false (and stops) when its distinct ids pass `limit` */
  private loadPredictions(spill: SpillFile, p: number, limit: number): boolean {
    const table = this.table;
    for (const chunk of spill.read(p)) {
      const view = viewOf(chunk);
      for (let at = 0; at < chunk.length; ) {
        const hash = view.getInt32(at, true);
        const length = view.getUint32(at + 4, true);
        const start = at + 8;
        const end = start + length;
        const row = table.upsert(chunk, start, end, hash, limit);
        if (row < 0) return false;
        this.storePrediction(row, view.getFloat64(end, true), view.getInt32(end + 8, true));
        at = end + 12;
      }
    }
    return true;
  }

  private probeLabels(spill: SpillFile, p: number): void {
    const table = this.table;
    for (const chunk of spill.read(p)) {
      const view = viewOf(chunk);
      for (let at = 0; at < chunk.length; ) {
        const hash = view.getInt32(at, true);
        const length = view.getUint32(at + 4, true);
        const start = at + 8;
        const end = start + length;
        this.probe(table.find(chunk, start, end, hash), view.getFloat64(end, true));
        at = end + 8;
      }
    }
  }

  /** copies partition `p` of `from` into `to`, by the hash bits of level `depth` */
  private repartition(from: SpillFile, p: number, to: SpillFile, depth: number, fixed: number): void {
    for (const chunk of from.read(p)) {
      for (let at = 0; at < chunk.length; ) {
        const hash = chunk.readInt32LE(at);
        const size = fixed + chunk.readUInt32LE(at + 4);
        const offset = to.reserve(partitionOf(hash, depth, this.fanout), size);
        chunk.copy(to.buffer, offset, at, at + size);
        at += size;
      }
    }
  }
}
