/**
 * The order a category table is reported in: most frequent first, ties by value in code-unit order.
 *
 * A comparator over pairs made this the slowest part of checking a wide window: a numeric column's
 * table holds a thousand number texts sharing long prefixes, and every comparison called back into JS
 * to compare two strings. Here both keys become doubles and go through the typed array's built-in sort;
 * only values sharing their first five code units are compared as strings.
 */

const INDEX_SPACE = 4096; // 2^12 slots for an index beside the key: 257^5 * 2^12 < 2^53, exact in a double
const PREFIX = 5;
const WHOLE = 2 ** 53;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The first five code units of `text` as one number, each shifted up by one so that an ended string
 * (0) sorts before any character; -1 when a unit is above 255, for which callers compare strings.
 */
const prefixKey = (text: string): number => {
  let key = 0;
  for (let i = 0; i < PREFIX; i++) {
    const unit = i < text.length ? text.charCodeAt(i) + 1 : 0;
    if (unit > 256) return -1;
    key = key * 257 + unit;
  }
  return key;
};

/** Indices of `names` in code-unit order of the names. */
const orderByValue = (names: readonly string[]): number[] => {
  const n = names.length;
  const keys = new Float64Array(n);
  let packed = n <= INDEX_SPACE;
  for (let i = 0; packed && i < n; i++) {
    const key = prefixKey(names[i]!);
    if (key < 0) packed = false;
    else keys[i] = key * INDEX_SPACE + i;
  }
  if (!packed)
    return Array.from({ length: n }, (_, i) => i).sort((a, b) => byCodeUnits(names[a]!, names[b]!));
  keys.sort();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % INDEX_SPACE;
  // names sharing the first five code units sit together; only they need comparing as strings
  for (let start = 0; start < n; ) {
    const prefix = Math.floor(keys[start]! / INDEX_SPACE);
    let end = start + 1;
    while (end < n && Math.floor(keys[end]! / INDEX_SPACE) === prefix) end += 1;
    if (end - start > 1) {
      const run = order.slice(start, end).sort((a, b) => byCodeUnits(names[a]!, names[b]!));
      for (let k = 0; k < run.length; k++) order[start + k] = run[k]!;
    }
    start = end;
  }
  return order;
};

/** `order` stably re-sorted by count, highest first. */
const orderByCount = (order: number[], counts: ArrayLike<number>): number[] => {
  const n = order.length;
  let max = 0;
  let uniform = true;
  for (let k = 0; k < n; k++) {
    const count = counts[order[k]!]!;
    if (count > max) max = count;
    if (count !== counts[order[0]!]) uniform = false;
  }
  if (uniform) return order;
  const integral = order.every((i) => Number.isInteger(counts[i]) && counts[i]! >= 0);
  if (!integral || (max + 1) * n >= WHOLE) return [...order].sort((a, b) => counts[b]! - counts[a]!);
  // (max - count) first, then the position in `order`: the built-in sort, and stable by construction
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (max - counts[order[k]!]!) * n + k;
  keys.sort();
  const sorted = new Array<number>(n);
  for (let k = 0; k < n; k++) sorted[k] = order[keys[k]! % n]!;
  return sorted;
};

/** Indices of the named categories, most frequent first, ties by value in code-unit order. */
export const reportOrder = (names: readonly string[], counts: ArrayLike<number>): number[] =>
  orderByCount(orderByValue(names), counts);
