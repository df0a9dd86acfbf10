import { hashBytes, IdTable, mix32 } from './id-table.ts';
import { SpillFile, type SpillOptions } from './spill-file.ts';

export interface BoundedJoinOptions extends SpillOptions {
  /**
   * the most distinct prediction ids held in memory at once; past it, both sides are partitioned by a hash
   * of the id into temporary files and joined one partition at a time. @default 2,000,000 (about 80 MB)
   */
  readonly maxRowsInMemory?: number;
  /** partitions per spill level; @default 64 */
  readonly fanout?: number;
}

/** What the join counted: the same figures, with the same rules, as `joinLabels`. */
export interface JoinCounts {
  /** predictions without a label */
  readonly unmatchedPredictions: number;
  /** labels whose prediction is not in the window */
  readonly unmatchedLabels: number;
  /** repeated ids on either side (the last one wins); a repeated orphan label counts as unmatched */
  readonly duplicateIds: number;
}

/** How the join used memory and disk: for tests that memory stays bounded, and for the bench. */
export interface JoinStats {
  /** the most distinct ids the in-memory table held at any moment */
  readonly peakRowsInMemory: number;
  /** whether the predictions outgrew memory and the join went through temporary files */
  readonly spilled: boolean;
  /** partitions joined one at a time (1 when nothing spilled) */
  readonly partitionsJoined: number;
  /** the deepest re-partitioning level used (0: none, 1: one split by id hash, 2: a partition split again...) */
  readonly depth: number;
  readonly spillBytes: number;
}

/** receives each labelled prediction: the prediction side's value and segment, the label side's value */
export type PairSink = (prediction: number, segment: number, label: number) => void;

const DEFAULT_MAX_ROWS = 2_000_000;
const DEFAULT_FANOUT = 64;
/**
 * levels of splitting give fanout^depth paths; past 2^40 a partition is loaded whole: only ids that share all
 * 32 hash bits (more of them than fit in memory) could get there
 */
const PATH_BITS = 40;
/** hash (4) + id length (4) + value (8) [+ segment (4)] */
const LABEL_FIXED = 16;
const PREDICTION_FIXED = 20;

/** the partition of an id hash at a spill level: different bits at every level */
const partitionOf = (hash: number, depth: number, fanout: number): number =>
  (mix32((hash + Math.imul(depth + 1, 0x9e3779b9)) | 0) >>> 0) % fanout;

/**
 * A hash join of a window's predictions with its labels, by id, in bounded memory (a Grace hash join).
 *
 * Predictions come first, labels after. While the distinct prediction ids fit in `maxRowsInMemory`, they sit in
 * an in-memory table and labels probe it as they stream past. When one more would not fit, the table and every
 * later record go to `fanout` partitions of a temporary file by a hash of the id; labels follow to the same
 * partitions; then each partition is joined on its own, and one still too big is split again by other hash bits.
 * The table never holds more than `maxRowsInMemory` ids, whatever the window's size.
 *
 * Values are numbers the caller chose (a score, a class number, NaN for unreadable), so the join stays the same
 * for every problem type. The rules are `joinLabels`': a repeated id keeps its last prediction and its last
 * label, and each repeat counts once in `duplicateIds`; pairs reach the sink in no particular order.
 */
export class BoundedJoin {
  private readonly table = new IdTable();
  private readonly maxRows: number;
  private readonly fanout: number;
  private readonly maxDepth: number;
  private readonly spillOptions: SpillOptions;
  private predictionValue = new Float64Array(1024);
  private predictionSegment = new Int32Array(1024);
  private labelValue = new Float64Array(1024);
  private labelled = new Uint8Array(1024);
  private predictionSpill: SpillFile | undefined;
  private labelSpill: SpillFile | undefined;
  private readingLabels = false;
  private finished = false;
  private scratch = Buffer.allocUnsafe(256);
  private unmatchedPredictions = 0;
  private unmatchedLabels = 0;
  private duplicateIds = 0;
  /** the part of duplicateIds counted among labels before finish, so that resetLabels can take it back */
  private labelDuplicates = 0;
  private peakRows = 0;
  private partitionsJoined = 0;
  private depth = 0;
  private spillBytes = 0;

  constructor(options: BoundedJoinOptions = {}) {
    this.maxRows = Math.max(1, Math.floor(options.maxRowsInMemory ?? DEFAULT_MAX_ROWS));
    this.fanout = Math.max(2, Math.floor(options.fanout ?? DEFAULT_FANOUT));
    this.maxDepth = Math.ceil(PATH_BITS / Math.log2(this.fanout));
    this.spillOptions = { dir: options.dir, bufferBytes: options.bufferBytes };
  }

  /** Adds a prediction whose id is `bytes[start..end)` (UTF-8). */
  addPrediction(bytes: Uint8Array, start: number, end: number, value: number, segment = -1): void {
    if (this.readingLabels) throw new Error('BoundedJoin: every prediction must come before the labels');
    const hash = hashBytes(bytes, start, end);
    if (this.predictionSpill === undefined) {
      const row = this.table.upsert(bytes, start, end, hash, this.maxRows);
      if (row >= 0) {
        this.storePrediction(row, value, segment);
        return;
      }
      this.spillTable();
    }
    this.writePrediction(
      this.predictionSpill!,
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
    const spill = this.predictionSpill;
    if (spill === undefined) {
      this.probe(this.table.find(bytes, start, end, hash), value);
      return;
    }
    if (this.labelSpill === undefined) this.labelSpill = new SpillFile(this.fanout, this.spillOptions);
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
    this.duplicateIds -= this.labelDuplicates;
    this.labelDuplicates = 0;
    this.unmatchedLabels = 0;
    this.labelled.fill(0, 0, this.table.size);
    this.labelSpill?.dispose();
    this.labelSpill = undefined;
  }

  /** Hands every labelled prediction to `sink` and returns the counts; deletes the temporary files. */
  finish(sink: PairSink): JoinCounts {
    if (this.finished) throw new Error('BoundedJoin: finish() was called already');
    this.finished = true;
    try {
      const predictions = this.predictionSpill;
      if (predictions === undefined) {
        this.peakRows = Math.max(this.peakRows, this.table.size);
        this.partitionsJoined = 1;
        this.emit(sink);
      } else {
        predictions.seal();
        this.labelSpill?.seal();
        this.depth = 1;
        for (let p = 0; p < this.fanout; p++) this.joinPartition(predictions, this.labelSpill, p, 1, sink);
      }
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
      spilled: this.predictionSpill !== undefined,
      partitionsJoined: this.partitionsJoined,
      depth: this.depth,
      spillBytes:
        this.spillBytes + (this.predictionSpill?.bytesWritten ?? 0) + (this.labelSpill?.bytesWritten ?? 0),
    };
  }

  /** Deletes the temporary files (finish does it; call this when giving up early). */
  dispose(): void {
    if (this.predictionSpill) this.spillBytes += this.predictionSpill.bytesWritten;
    if (this.labelSpill) this.spillBytes += this.labelSpill.bytesWritten;
    this.predictionSpill?.dispose();
    this.labelSpill?.dispose();
  }

  private encode(id: string): number {
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(id.length * 3 + 16);
    return this.scratch.write(id, 0, 'utf8');
  }

  private storePrediction(row: number, value: number, segment: number): void {
    if (!this.table.added) this.duplicateIds += 1;
    else if (row >= this.predictionValue.length) this.growRows();
    this.predictionValue[row] = value;
    this.predictionSegment[row] = segment;
    this.labelled[row] = 0;
  }

  private probe(row: number, value: number): void {
    if (row < 0) {
      this.unmatchedLabels += 1;
      return;
    }
    if (this.labelled[row] === 1) {
      this.duplicateIds += 1;
      if (!this.finished) this.labelDuplicates += 1;
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

  /** the in-memory table is full: every id in it goes to the level-0 partitions, and so will all that follow */
  private spillTable(): void {
    this.peakRows = Math.max(this.peakRows, this.table.size);
    const spill = new SpillFile(this.fanout, this.spillOptions);
    this.predictionSpill = spill;
    const table = this.table;
    for (let row = 0; row < table.size; row++) {
      const id = table.idBytes(row);
      const hash = table.hashOf(row);
      const value = this.predictionValue[row]!;
      this.writePrediction(
        spill,
        partitionOf(hash, 0, this.fanout),
        hash,
        id,
        0,
        id.length,
        value,
        this.predictionSegment[row]!,
      );
    }
    table.clear();
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
    const length = end - start;
    const { buffer, offset } = spill.reserve(partition, PREDICTION_FIXED + length);
    buffer.writeInt32LE(hash, offset);
    buffer.writeUInt32LE(length, offset + 4);
    buffer.set(bytes.subarray(start, end), offset + 8);
    buffer.writeDoubleLE(value, offset + 8 + length);
    buffer.writeInt32LE(segment, offset + 16 + length);
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
    const length = end - start;
    const { buffer, offset } = spill.reserve(partition, LABEL_FIXED + length);
    buffer.writeInt32LE(hash, offset);
    buffer.writeUInt32LE(length, offset + 4);
    buffer.set(bytes.subarray(start, end), offset + 8);
    buffer.writeDoubleLE(value, offset + 8 + length);
  }

  /**
   * Joins partition `p` of the spilled predictions with the same partition of the labels. One whose distinct
   * prediction ids do not fit is split by the next level's hash bits (labels alike) and each part joined.
   */
  private joinPartition(
    predictions: SpillFile,
    labels: SpillFile | undefined,
    p: number,
    depth: number,
    sink: PairSink,
  ): void {
    this.depth = Math.max(this.depth, depth);
    const records = predictions.recordCount(p);
    if (records === 0) {
      // no prediction here: every label of the partition is an orphan
      this.unmatchedLabels += labels?.recordCount(p) ?? 0;
      return;
    }
    const limit = records <= this.maxRows || depth >= this.maxDepth ? Number.POSITIVE_INFINITY : this.maxRows;
    const duplicatesBefore = this.duplicateIds;
    if (this.loadPredictions(predictions, p, limit)) {
      this.partitionsJoined += 1;
      this.peakRows = Math.max(this.peakRows, this.table.size);
      if (labels) this.probeLabels(labels, p);
      this.emit(sink);
      this.table.clear();
      return;
    }
    // the split loads these records again: what the abandoned load counted must not count twice
    this.duplicateIds = duplicatesBefore;
    this.table.clear();
    const predictionParts = new SpillFile(this.fanout, this.spillOptions);
    const labelParts = labels ? new SpillFile(this.fanout, this.spillOptions) : undefined;
    try {
      this.repartition(predictions, p, predictionParts, depth, PREDICTION_FIXED);
      if (labels && labelParts) this.repartition(labels, p, labelParts, depth, LABEL_FIXED);
      predictionParts.seal();
      labelParts?.seal();
      for (let q = 0; q < this.fanout; q++)
        this.joinPartition(predictionParts, labelParts, q, depth + 1, sink);
    } finally {
      this.spillBytes += predictionParts.bytesWritten + (labelParts?.bytesWritten ?? 0);
      predictionParts.dispose();
      labelParts?.dispose();
    }
  }

  /** loads a partition's predictions into the table; false (and stops) when its distinct ids pass `limit` */
  private loadPredictions(spill: SpillFile, p: number, limit: number): boolean {
    const table = this.table;
    for (const chunk of spill.read(p)) {
      for (let at = 0; at < chunk.length; ) {
        const hash = chunk.readInt32LE(at);
        const length = chunk.readUInt32LE(at + 4);
        const start = at + 8;
        const end = start + length;
        const row = table.upsert(chunk, start, end, hash, limit);
        if (row < 0) return false;
        this.storePrediction(row, chunk.readDoubleLE(end), chunk.readInt32LE(end + 8));
        at = end + 12;
      }
    }
    return true;
  }

  private probeLabels(spill: SpillFile, p: number): void {
    const table = this.table;
    for (const chunk of spill.read(p)) {
      for (let at = 0; at < chunk.length; ) {
        const hash = chunk.readInt32LE(at);
        const length = chunk.readUInt32LE(at + 4);
        const start = at + 8;
        const end = start + length;
        this.probe(table.find(chunk, start, end, hash), chunk.readDoubleLE(end));
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
        const { buffer, offset } = to.reserve(partitionOf(hash, depth, this.fanout), size);
        chunk.copy(buffer, offset, at, at + size);
        at += size;
      }
    }
  }
}
