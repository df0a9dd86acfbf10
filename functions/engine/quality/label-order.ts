/**
 * Orders labels by Unicode code point, as numpy sorts the strings behind sklearn's `unique_labels`.
 * JavaScript's default comparison uses UTF-16 code units, which puts characters above U+FFFF before
 * U+E000..U+FFFF; comparing code points keeps the label order, and so the confusion matrix, identical.
 */
export const compareCodePoints = (a: string, b: string): number => {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const diff = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
};

/** A sorted copy of the labels, in code-point order. */
export const sortLabels = (labels: Iterable<string>): string[] => [...labels].sort(compareCodePoints);
