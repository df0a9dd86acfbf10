import type { TextLine } from './lines.ts';

/**
 * Yields `head`, then whatever `iterator` still holds. This is how a reader that had to look
 * ahead (to sniff a format or to read a header) hands the stream on without re-opening it.
 * Closes the iterator when the consumer stops early.
 */
export async function* resume<T>(head: Iterable<T>, iterator: AsyncIterator<T>): AsyncGenerator<T> {
  let exhausted = false;
  try {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}

/** The first line `accept` takes, its result, and the lines after it in the same batch. */
export interface FirstAccepted<R> {
  line: TextLine;
  result: R;
  rest: TextLine[];
}

/**
 * Pulls line batches until `accept` returns something for a line. Lines it declines are
 * consumed (it reports or skips them itself). Undefined when the input ends first.
 */
export const findFirst = async <R>(
  iterator: AsyncIterator<TextLine[]>,
  accept: (line: TextLine) => R | undefined,
): Promise<FirstAccepted<R> | undefined> => {
  for (;;) {
    const next = await iterator.next();
    if (next.done) return undefined;
    const batch = next.value;
    for (let i = 0; i < batch.length; i++) {
      const line = batch[i]!;
      const result = accept(line);
      if (result !== undefined) return { line, result, rest: batch.slice(i + 1) };
    }
  }
};
