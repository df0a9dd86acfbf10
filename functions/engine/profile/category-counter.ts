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
export class CategoryCounter {
  private counts = new Map<string, number>();
  other = 0;
  overflowed = false;

  constructor(readonly capacity: number = DEFAULT_CATEGORY_CAPACITY) {}

  add(value: string, weight = 1): void {
    const current = this.counts.get(value);
    if (current !== undefined) {
      this.counts.set(value, current + weight);
    } else if (this.counts.size < this.capacity) {
      this.counts.set(value, weight);
    } else {
      this.overflowed = true;
      this.other += weight;
    }
  }

  /** counts a value known not to be worth a table slot (e.g. a number once the table is full) */
  addOther(weight = 1): void {
    this.other += weight;
  }

  get isFull(): boolean {
    return this.counts.size >= this.capacity;
  }

  get distinct(): number {
    return this.counts.size;
  }

  get total(): number {
    let sum = this.other;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  get(value: string): number {
    return this.counts.get(value) ?? 0;
  }

  /** named categories, most frequent first, ties by value so output is deterministic */
  entries(): Array<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  merge(other: CategoryCounter): this {
    for (const [value, count] of other.counts) this.add(value, count);
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
    for (const [value, count] of json.counts) counter.counts.set(value, count);
    counter.other = json.other;
    counter.overflowed = json.overflowed;
    return counter;
  }
}
