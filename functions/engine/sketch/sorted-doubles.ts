/**
 * Sorting and merging of the KLL sketch's level buffers. The sketch never holds NaN, and stores -0 as 0,
 * so `<` is a total order here and any correct sort gives the same sequence as a Float64Array's own.
 */

const SMALL = 32;

const insertionSort = (items: Float64Array, lo: number, hi: number): void => {
  for (let i = lo + 1; i < hi; i++) {
    const x = items[i]!;
    let j = i - 1;
    while (j >= lo && items[j]! > x) {
      items[j + 1] = items[j]!;
      j -= 1;
    }
    items[j + 1] = x;
  }
};

/**
 * Sorts items[lo, hi) in place, ascending: quicksort with a median-of-three pivot, recursing into the
 * smaller side. On the short levels a sketch compacts, this JIT-compiled loop is about twice as fast as
 * the typed array's built-in sort.
 */
export const sortDoubles = (items: Float64Array, lo: number, hi: number): void => {
  while (hi - lo > SMALL) {
    const x = items[lo]!;
    const y = items[(lo + hi) >>> 1]!;
    const z = items[hi - 1]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      while (items[i]! < pivot) i += 1;
      while (items[j]! > pivot) j -= 1;
      if (i <= j) {
        const t = items[i]!;
        items[i] = items[j]!;
        items[j] = t;
        i += 1;
        j -= 1;
      }
    }
    if (j - lo < hi - 1 - i) {
      sortDoubles(items, lo, j + 1);
      lo = i;
    } else {
      sortDoubles(items, i, hi);
      hi = j + 1;
    }
  }
  insertionSort(items, lo, hi);
};

/** True when items[0, size) is ascending. */
export const isSortedDoubles = (items: Float64Array, size: number): boolean => {
  for (let i = 1; i < size; i++) if (items[i - 1]! > items[i]!) return false;
  return true;
};

/**
 * Merges the sorted picks `source[first], source[first + 2], ... < sourceSize` into the sorted
 * target[0, targetSize), in place from the back; the target must have room. Returns the new size.
 */
export const mergeEveryOther = (
  target: Float64Array,
  targetSize: number,
  source: Float64Array,
  sourceSize: number,
  first: number,
): number => {
  const picks = first < sourceSize ? (sourceSize - first + 1) >> 1 : 0;
  let i = targetSize - 1;
  let j = first + 2 * (picks - 1);
  let k = targetSize + picks - 1;
  // the two heads held in locals, each side's end tested only when that side moves: this loop runs a few
  // times per value a sketch takes, and the extra loads and bounds tests cost a third of its time
  if (i >= 0 && j >= first) {
    let a = target[i]!;
    let b = source[j]!;
    for (;;) {
      if (a > b) {
        target[k--] = a;
        i -= 1;
        if (i < 0) break;
        a = target[i]!;
      } else {
        target[k--] = b;
        j -= 2;
        if (j < first) break;
        b = source[j]!;
      }
    }
  }
  // what is left of the target is already in place
  for (; j >= first; j -= 2) target[k--] = source[j]!;
  return targetSize + picks;
};

/** Appends the picks `source[first], source[first + 2], ... < sourceSize` to target[0, targetSize). */
export const appendEveryOther = (
  target: Float64Array,
  targetSize: number,
  source: Float64Array,
  sourceSize: number,
  first: number,
): number => {
  let k = targetSize;
  for (let i = first; i < sourceSize; i += 2) target[k++] = source[i]!;
  return k;
};
