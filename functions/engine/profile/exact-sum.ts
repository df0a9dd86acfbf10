/**
 * An exact floating-point sum (Shewchuk's algorithm, as Python's math.fsum): the running total is kept
 * as a short list of non-overlapping partials whose sum is exactly the sum of every value added.
 *
 * Profiles must merge to exactly what one pass over the union would give; an ordinary `+=` total depends on
 * the order of additions, so merged means would differ in the last bits. Here any order, and any grouping
 * into merged parts, rounds to the same correctly rounded result.
 */
export class ExactSum {
  private partials: number[] = [];
  /** partials in use: the array is reused in place, never shortened, so an add allocates nothing */
  private size = 0;
  /** infinities and NaN cannot live in partials; they are summed apart, as fsum does */
  private special = 0;

  add(value: number): void {
    if (!Number.isFinite(value)) {
      this.special += value;
      return;
    }
    let x = value;
    const partials = this.partials;
    const size = this.size;
    let kept = 0;
    for (let i = 0; i < size; i++) {
      let y = partials[i]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const high = x + y;
      const low = y - (high - x);
      if (low !== 0) partials[kept++] = low;
      x = high;
    }
    if (kept < partials.length) partials[kept] = x;
    else partials.push(x);
    this.size = kept + 1;
  }

  addAll(other: ExactSum): void {
    // a copy, so that adding a sum to itself reads the partials as they were
    for (const partial of other.partials.slice(0, other.size)) this.add(partial);
    this.special += other.special;
  }

  /** the correctly rounded value of the exact sum */
  value(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    const partials = this.partials;
    let n = this.size;
    if (n === 0) return 0;
    let high = partials[--n]!;
    let low = 0;
    while (n > 0) {
      const x = high;
      const y = partials[--n]!;
      high = x + y;
      const yr = high - x;
      low = y - yr;
      if (low !== 0) break;
    }
    // round-half-even correction, as in CPython's fsum
    if (n > 0 && ((low < 0 && partials[n - 1]! < 0) || (low > 0 && partials[n - 1]! > 0))) {
      const y = low * 2;
      const x = high + y;
      const yr = x - high;
      if (y === yr) high = x;
    }
    return high;
  }

  toJSON(): number[] {
    return [...this.partials.slice(0, this.size), this.special];
  }

  static fromJSON(parts: readonly number[]): ExactSum {
    const sum = new ExactSum();
    if (parts.length === 0) return sum;
    for (let i = 0; i < parts.length - 1; i++) sum.add(parts[i]!);
    sum.special = parts[parts.length - 1]!;
    return sum;
  }

  /** a sum built from a plain total, for statistics files that carry only the rounded value */
  static of(total: number): ExactSum {
    const sum = new ExactSum();
    sum.add(total);
    return sum;
  }
}
