/** V8 cuts a slice of this many characters or more as a view into its parent string. */
const VIEW_LENGTH = 13;

/**
 * `text` as a string of its own. A long slice is a view that keeps its whole parent alive: a value cut
 * from a 1 MB chunk of input and kept (a category, an id held for a join, a malformed sample) would pin
 * the chunk, and a window's worth of kept values would pin the window. Joining forces a fresh string,
 * which the slice then views instead. Short slices are copies already.
 */
export const ownString = (text: string): string => (text.length < VIEW_LENGTH ? text : ` ${text}`.slice(1));

/** `text.slice(start, end)` as a string of its own (see `ownString`). */
export const ownSlice = (text: string, start: number, end: number): string =>
  ownString(text.slice(start, end));
