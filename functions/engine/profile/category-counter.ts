import { ownSlice } from '../readers/own-string.ts';
import { reportOrder } from './category-order.ts';

/** How many distinct categories a feature profile keeps by name before the rest go to "other". */
export const DEFAULT_CATEGORY_CAPACITY = 1000;

export interface CategoryCounterJson {
  capacity: number;
  counts: Array<[string, number]>;
  other: number;
  overflowed: boolean;
}

/**
 * Counts of category values, bounded: the first `capacity` distinct values are counted exactly; once the
 * table is full, values not already in it go to the `other` bucket. Memory stays bounded for free-text or
 * id-like columns, and for the low-cardinality features where categorical drift is meaningful (the usual
 * case) every count is exact and merges exactly. After an overflow the split between named values and
 * `other` depends on arrival order; the total always stays exact.
 */
const FIRST_TABLE = 16;
/** FNV-1a over the UTF-16 code units of text[start, end). */
const hashSpan = (text: string, start: number, end: number): number => {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // as an int32 (the empty span's hash is the offset basis, above 2^31), to compare with the table's
  return h | 0;
};

const equalsSpan = (key: string, text: string, start: number, end: number): boolean => {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
};

export class CategoryCounter {
  /**
   * Slot i holds names[i] counted tallies[i] times. An open-addressing table keyed by a hash of the
   * characters finds a value given as a span of a larger text without cutting it into a string first:
   * the reader's fast path hands cells over that way, and a count of a value already seen allocates
   * nothing. Each bucket holds the hash beside the slot number, so a probe compares characters only on
   * a full hash match, and every array is typed: no boxed number is read or written on the hot path.
   */
  private names: string[] = [];
  /** counts are doubles: a window may pass 2^31 rows, and weights of merged counts are exact to 2^53 */
  private tallies = new Float64Array(FIRST_TABLE);
  private hashes = new Int32Array(FIRST_TABLE);
  private size = 0;
  /** per bucket: slot + 1 (0 for empty), then the slot's hash; a power of two in buckets, at most half full */
  private table = new Int32Array(FIRST_TABLE * 2);
  other = 0;
  overflowed = false;

  constructor(readonly capacity: number = DEFAULT_CATEGORY_CAPACITY) {}

  add(value: string, weight = 1): void {
    this.addSpan(value, 0, value.length, weight);
  }

  /** adds text[start, end) as `add` would add that slice */
  addSpan(text: string, start: number, end: number, weight = 1): void {
    const hash = hashSpan(text, start, end);
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let bucket = hash & mask;
    for (let entry = table[bucket << 1]!; entry !== 0; entry = table[bucket << 1]!) {
      if (table[(bucket << 1) + 1] === hash && equalsSpan(this.names[entry - 1]!, text, start, end)) {
        this.tallies[entry - 1]! += weight;
        return;
      }
      bucket = (bucket + 1) & mask;
    }
    if (this.size >= this.capacity) {
      this.overflowed = true;
      this.other += weight;
      return;
    }
    // kept for the profile's life: its own string, not a view pinning a chunk of input
    this.place(bucket, ownSlice(text, start, end), hash, weight);
  }

  /** counts a value known not to be worth a table slot (e.g. a number once the table is full) */
  addOther(weight = 1): void {
    this.other += weight;
  }

  get isFull(): boolean {
    return this.size >= this.capacity;
  }

  get distinct(): number {
    return this.size;
  }

  get total(): number {
    let sum = this.other;
    for (let slot = 0; slot < this.size; slot++) sum += this.tallies[slot]!;
    return sum;
  }

  get(value: string): number {
    const slot = this.find(value);
    return slot === -1 ? 0 : this.tallies[slot]!;
  }

  /** named categories in the order they were first seen */
  private counted(): Array<[string, number]> {
    return this.names.map((value, slot) => [value, this.tallies[slot]!]);
  }

  /** named categories, most frequent first, ties by value (code-unit order) so output is deterministic */
  entries(): Array<[string, number]> {
    return reportOrder(this.names, this.tallies.subarray(0, this.size)).map((slot): [string, number] => [
      this.names[slot]!,
      this.tallies[slot]!,
    ]);
  }

  merge(other: CategoryCounter): this {
    // a copy, so that merging a counter into itself reads the counts as they were
    for (const [value, count] of other.counted()) this.add(value, count);
    this.other += other.other;
    this.overflowed ||= other.overflowed;
    return this;
  }

  toJSON(): CategoryCounterJson {
    return {
      capacity: this.capacity,
      counts: this.entries(),
      other: this.other,
      overflowed: this.overflowed,
    };
  }

  static fromJSON(json: CategoryCounterJson): CategoryCounter {
    const counter = new CategoryCounter(json.capacity);
    for (const [value, count] of json.counts) {
      // a repeated value keeps its last count, as a map read from JSON would; the file's table is taken
      // whole, even past `capacity`, as it was written
      const hash = hashSpan(value, 0, value.length);
      const bucket = counter.bucketOf(value, hash);
      const entry = counter.table[bucket << 1]!;
      if (entry !== 0) counter.tallies[entry - 1] = count;
      else counter.place(bucket, value, hash, count);
    }
    counter.other = json.other;
    counter.overflowed = json.overflowed;
    return counter;
  }

  /** the slot of `value`, or -1 */
  private find(value: string): number {
    const entry = this.table[this.bucketOf(value, hashSpan(value, 0, value.length)) << 1]!;
    return entry - 1;
  }

  /** the bucket holding `value`, or the empty bucket where it would go */
  private bucketOf(value: string, hash: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let bucket = hash & mask;
    for (let entry = table[bucket << 1]!; entry !== 0; entry = table[bucket << 1]!) {
      if (table[(bucket << 1) + 1] === hash && this.names[entry - 1] === value) return bucket;
      bucket = (bucket + 1) & mask;
    }
    return bucket;
  }

  /** puts a new value in the empty `bucket` found for it */
  private place(bucket: number, value: string, hash: number, count: number): void {
    const slot = this.size;
    if (slot === this.tallies.length) {
      const tallies = new Float64Array(slot * 2);
      tallies.set(this.tallies);
      this.tallies = tallies;
      const hashes = new Int32Array(slot * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.names.push(value);
    this.tallies[slot] = count;
    this.hashes[slot] = hash;
    this.size = slot + 1;
    this.table[bucket << 1] = slot + 1;
    this.table[(bucket << 1) + 1] = hash;
    if (this.size * 4 > this.table.length) this.growTable();
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = (table.length >> 1) - 1;
    for (let slot = 0; slot < this.size; slot++) {
      const hash = this.hashes[slot]!;
      let bucket = hash & mask;
      while (table[bucket << 1] !== 0) bucket = (bucket + 1) & mask;
      table[bucket << 1] = slot + 1;
      table[(bucket << 1) + 1] = hash;
    }
    this.table = table;
  }
}
