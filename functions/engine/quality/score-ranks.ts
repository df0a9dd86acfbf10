import { SpillFile, type SpillOptions } from '../labels/spill-file.ts';

/**
 * A memory budget, in scores, shared by every `ScoreRanks` given it (the overall curve and one per segment):
 * when the scores they hold in memory together pass `limit`, all of them move theirs to disk. Memory is then
 * at most `limit` x 8 bytes plus 512 KiB of write buffers per spilled curve (segments are few by design).
 */
export class RankMemory {
  used = 0;
  private readonly members = new Set<ScoreRanks>();

  constructor(
    /** the most scores held in memory at once; each costs 8 bytes */
    readonly limit: number,
    readonly spill: SpillOptions = {},
  ) {}

  join(ranks: ScoreRanks): void {
    this.members.add(ranks);
  }

  leave(ranks: ScoreRanks): void {
    this.members.delete(ranks);
  }

  /** called after an add: past the limit, every member spills */
  check(): void {
    if (this.used <= this.limit) return;
    for (const ranks of this.members) ranks.spillToDisk();
  }
}

/** called once per distinct score, highest first, with the counts of positives and negatives at or above it */
export type ThresholdVisitor = (tps: number, fps: number) => void;

/** first-level buckets of [0, 1] by value; a bucket too big for memory is split again by score bits */
const BUCKETS = 64;
const DIGIT_BITS = 8;
/** bytes buffered per bucket of a spilled curve: 128 buckets x 4 KiB = 512 KiB a curve while it is written */
const SPILL_BUFFER = 4096;
const DIGITS = 1 << DIGIT_BITS;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** the word holding the sign, the exponent and the top of the mantissa, and the other one */
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** bits [shift, shift + 8) of a non-negative double's pattern, which orders like the doubles themselves */
const digitOf = (score: number, shift: number): number => {
  bits[0] = score;
  if (shift >= 32) return (words[HI]! >>> (shift - 32)) & (DIGITS - 1);
  if (shift + DIGIT_BITS <= 32) return (words[LO]! >>> shift) & (DIGITS - 1);
  return ((words[LO]! >>> shift) | (words[HI]! << (32 - shift))) & (DIGITS - 1);
};

/** the highest bit where two non-negative doubles' patterns differ (-1 when equal) */
const highestDifferingBit = (a: number, b: number): number => {
  bits[0] = a;
  const aHi = words[HI]!;
  const aLo = words[LO]!;
  bits[0] = b;
  const hi = (aHi ^ words[HI]!) >>> 0;
  if (hi !== 0) return 63 - Math.clz32(hi);
  const lo = (aLo ^ words[LO]!) >>> 0;
  return lo === 0 ? -1 : 31 - Math.clz32(lo);
};

class GrowableScores {
  values = new Float64Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = value;
  }

  /** sorted ascending, as a view */
  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}

/** a walk over distinct scores from the top, carrying the cumulative counts across buckets */
class Walk {
  tps = 0;
  fps = 0;
  constructor(private readonly visit: ThresholdVisitor) {}

  /** one distinct score, held by `positives` positives and `negatives` negatives */
  threshold(positives: number, negatives: number): void {
    this.tps += positives;
    this.fps += negatives;
    this.visit(this.tps, this.fps);
  }

  /** merges two ascending arrays from their ends, closing a threshold after each run of one score */
  sortedRuns(pos: Float64Array, neg: Float64Array): void {
    let i = pos.length - 1;
    let j = neg.length - 1;
    while (i >= 0 || j >= 0) {
      const score = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
      const topPos = i;
      const topNeg = j;
      while (i >= 0 && pos[i] === score) i -= 1;
      while (j >= 0 && neg[j] === score) j -= 1;
      this.threshold(topPos - i, topNeg - j);
    }
  }
}

/** where a group of scores lies: parts of spill files, positives and negatives apart */
interface Part {
  readonly file: SpillFile;
  readonly partition: number;
}

/**
 * Scores of labelled binary predictions, kept so that the ROC and precision-recall curves can be walked over
 * every distinct score from the highest down, exactly (ties move together, as scikit-learn's
 * `_binary_clf_curve`).
 *
 * In memory, positives and negatives are two typed arrays, sorted when the curve is walked. Given a
 * `RankMemory`, scores past its budget go to a temporary file in 64 buckets of [0, 1] by value; the walk then
 * sorts one bucket at a time, from the top, and a bucket still too big is split by the next 8 bits of the
 * scores' IEEE-754 patterns below the bits its lowest and highest scores share (a radix sort on disk: at most
 * 8 levels, each at least splitting off the highest score). The same distinct scores in the same order either
 * way, so the figures are identical to the last bit.
 */
export class ScoreRanks {
  private pos = new GrowableScores();
  private neg = new GrowableScores();
  private spill: SpillFile | undefined;
  private positives = 0;
  private negatives = 0;

  constructor(private readonly memory?: RankMemory) {
    memory?.join(this);
  }

  get count(): number {
    return this.positives + this.negatives;
  }

  get positiveCount(): number {
    return this.positives;
  }

  get negativeCount(): number {
    return this.negatives;
  }

  /** whether scores went to disk */
  get spilled(): boolean {
    return this.spill !== undefined;
  }

  /** Adds a score in [0, 1] (checked by the caller) with its label. */
  add(score: number, label: 0 | 1): void {
    // -0 would sort with 0 but carries the sign bit; the bit-level split needs one zero
    const s = score + 0;
    if (label === 1) this.positives += 1;
    else this.negatives += 1;
    if (this.spill !== undefined) {
      this.write(this.spill, s, label);
      return;
    }
    (label === 1 ? this.pos : this.neg).push(s);
    if (this.memory) {
      this.memory.used += 1;
      this.memory.check();
    }
  }

  /** Adds every score of another (its scores are read, not moved). */
  merge(other: ScoreRanks): void {
    other.forEachScore((score, label) => this.add(score, label));
  }

  /** every score with its label, in no particular order */
  forEachScore(visit: (score: number, label: 0 | 1) => void): void {
    for (let i = 0; i < this.pos.length; i++) visit(this.pos.values[i]!, 1);
    for (let i = 0; i < this.neg.length; i++) visit(this.neg.values[i]!, 0);
    const spill = this.spill;
    if (spill === undefined) return;
    spill.seal();
    for (let p = 0; p < spill.partitions; p++) {
      const label = (p & 1) as 0 | 1;
      for (const chunk of spill.read(p)) {
        for (let at = 0; at < chunk.length; at += 8) visit(chunk.readDoubleLE(at), label);
      }
    }
  }

  /** Moves the in-memory scores to disk; later scores go there too. */
  spillToDisk(): void {
    if (this.spill === undefined) {
      // small buffers: every curve sharing the budget (one per segment) gets 128 of them once it spills
      this.spill = new SpillFile(BUCKETS * 2, this.spillOptions());
    }
    const spill = this.spill;
    for (let i = 0; i < this.pos.length; i++) this.write(spill, this.pos.values[i]!, 1);
    for (let i = 0; i < this.neg.length; i++) this.write(spill, this.neg.values[i]!, 0);
    if (this.memory) this.memory.used -= this.pos.length + this.neg.length;
    this.pos = new GrowableScores();
    this.neg = new GrowableScores();
  }

  /**
   * Calls `visit` once per distinct score, from the highest down, with the cumulative positives (tps) and
   * negatives (fps) at or above it.
   */
  walk(visit: ThresholdVisitor): void {
    const walk = new Walk(visit);
    const spill = this.spill;
    if (spill === undefined) {
      walk.sortedRuns(this.pos.sorted(), this.neg.sorted());
      return;
    }
    spill.seal();
    const limit = this.memory?.limit ?? Number.POSITIVE_INFINITY;
    for (let b = BUCKETS - 1; b >= 0; b--) {
      this.walkParts(walk, { file: spill, partition: 2 * b + 1 }, { file: spill, partition: 2 * b }, limit);
    }
  }

  private spillOptions(): SpillOptions {
    const options = this.memory?.spill;
    return { dir: options?.dir, bufferBytes: options?.bufferBytes ?? SPILL_BUFFER };
  }

  /** Deletes the temporary file, if any. */
  dispose(): void {
    this.spill?.dispose();
    this.memory?.leave(this);
  }

  private write(spill: SpillFile, score: number, label: 0 | 1): void {
    const bucket = Math.min(Math.floor(score * BUCKETS), BUCKETS - 1);
    const offset = spill.reserve(2 * bucket + label, 8);
    spill.view.setFloat64(offset, score, true);
  }

  private walkParts(walk: Walk, pos: Part, neg: Part, limit: number): void {
    const count = pos.file.recordCount(pos.partition) + neg.file.recordCount(neg.partition);
    if (count === 0) return;
    if (count <= limit) {
      walk.sortedRuns(readSorted(pos), readSorted(neg));
      return;
    }
    // too many for memory: split by the highest 8 bits the group's scores do not all share
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const part of [pos, neg]) {
      for (const chunk of part.file.read(part.partition)) {
        for (let at = 0; at < chunk.length; at += 8) {
          const s = chunk.readDoubleLE(at);
          if (s < min) min = s;
          if (s > max) max = s;
        }
      }
    }
    const top = highestDifferingBit(min, max);
    if (top === -1) {
      // one score, however many times: a single threshold
      walk.threshold(pos.file.recordCount(pos.partition), neg.file.recordCount(neg.partition));
      return;
    }
    const shift = Math.max(0, top - DIGIT_BITS + 1);
    const parts = new SpillFile(DIGITS * 2, this.spillOptions());
    try {
      for (const [part, label] of [
        [pos, 1],
        [neg, 0],
      ] as const) {
        for (const chunk of part.file.read(part.partition)) {
          for (let at = 0; at < chunk.length; at += 8) {
            const s = chunk.readDoubleLE(at);
            const offset = parts.reserve(2 * digitOf(s, shift) + label, 8);
            parts.view.setFloat64(offset, s, true);
          }
        }
      }
      parts.seal();
      for (let d = DIGITS - 1; d >= 0; d--) {
        this.walkParts(walk, { file: parts, partition: 2 * d + 1 }, { file: parts, partition: 2 * d }, limit);
      }
    } finally {
      parts.dispose();
    }
  }
}

const readSorted = (part: Part): Float64Array => {
  const out = new Float64Array(part.file.recordCount(part.partition));
  if (!LITTLE_ENDIAN) {
    let n = 0;
    for (const chunk of part.file.read(part.partition))
      for (let at = 0; at < chunk.length; at += 8) out[n++] = chunk.readDoubleLE(at);
    return out.sort();
  }
  // chunks hold whole little-endian doubles (as this machine's typed arrays): copied byte for byte
  const bytes = new Uint8Array(out.buffer);
  let at = 0;
  for (const chunk of part.file.read(part.partition)) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return out.sort();
};
