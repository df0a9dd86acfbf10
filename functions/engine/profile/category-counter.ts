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
  return h;
};

const equalsSpan = (key: string, text: string, start: number, end: number): boolean => {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
};

export class CategoryCounter {
  /**
   * Slot i holds names[i] counted tallies[i] times. An open-addressing table of slot numbers, keyed by
   * a hash of the characters, finds a value given as a span of a larger text without cutting it into
   * a string first: the reader's fast path hands cells over that way, and a count of a value already
   * seen allocates nothing.
   */
  private names: string[] = [];
  private tallies: number[] = [];
  private hashes: number[] = [];
  /** slot + 1 per bucket, 0 for empty; a power of two in size, at most half full */
  private table = new Int32Array(FIRST_TABLE);
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
    const mask = table.length - 1;
    let bucket = hash & mask;
    for (let entry = table[bucket]!; entry !== 0; entry = table[bucket]!) {
      const slot = entry - 1;
      if (this.hashes[slot] === hash && equalsSpan(this.names[slot]!, text, start, end)) {
        this.tallies[slot]! += weight;
        return;
      }
      bucket = (bucket + 1) & mask;
    }
    if (this.tallies.length >= this.capacity) {
      this.overflowed = true;
      this.other += weight;
      return;
    }
    table[bucket] = this.tallies.length + 1;
    // kept for the profile's life: its own string, not a view pinning a chunk of input
    this.names.push(ownSlice(text, start, end));
    this.hashes.push(hash);
    this.tallies.push(weight);
    if (this.tallies.length * 2 > table.length) this.growTable();
  }

  /** counts a value known not to be worth a table slot (e.g. a number once the table is full) */
  addOther(weight = 1): void {
    this.other += weight;
  }

  get isFull(): boolean {
    return this.tallies.length >= this.capacity;
  }

  get distinct(): number {
    return this.tallies.length;
  }

  get total(): number {
    let sum = this.other;
    for (const count of this.tallies) sum += count;
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
    return reportOrder(this.names, this.tallies).map((slot): [string, number] => [
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
      const slot = counter.find(value);
      if (slot !== -1) counter.tallies[slot] = count;
      else counter.insert(value, count);
    }
    counter.other = json.other;
    counter.overflowed = json.overflowed;
    return counter;
  }

  /** the slot of `value`, or -1 */
  private find(value: string): number {
    const hash = hashSpan(value, 0, value.length);
    const mask = this.table.length - 1;
    for (let bucket = hash & mask; this.table[bucket] !== 0; bucket = (bucket + 1) & mask) {
      const slot = this.table[bucket]! - 1;
      if (this.hashes[slot] === hash && this.names[slot] === value) return slot;
    }
    return -1;
  }

  private insert(value: string, count: number): void {
    const hash = hashSpan(value, 0, value.length);
    const mask = this.table.length - 1;
    let bucket = hash & mask;
    while (this.table[bucket] !== 0) bucket = (bucket + 1) & mask;
    this.table[bucket] = this.tallies.length + 1;
    this.names.push(value);
    this.hashes.push(hash);
    this.tallies.push(count);
    if (this.tallies.length * 2 > this.table.length) this.growTable();
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.hashes.length; slot++) {
      let bucket = this.hashes[slot]! & mask;
      while (table[bucket] !== 0) bucket = (bucket + 1) & mask;
      table[bucket] = slot + 1;
    }
    this.table = table;
  }
}
