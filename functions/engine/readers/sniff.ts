import { isPlainObject } from './json-rows.ts';
import { DEFAULT_MAX_LINE_LENGTH } from './limits.ts';
import type { TableFormat } from './table-types.ts';

/** The text chunks read while sniffing, to be replayed, and the format they point to. */
export interface Sniffed {
  head: string[];
  /** undefined when the input holds nothing but whitespace */
  format: TableFormat | undefined;
}

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0;

const formatOfLine = (line: string): TableFormat => {
  try {
    const value: unknown = JSON.parse(line);
    return isPlainObject(value) && 'captureData' in value ? 'capture' : 'jsonl';
  } catch {
    // a broken first capture line must not turn the whole file into plain JSON Lines
    return line.includes('"captureData"') ? 'capture' : 'jsonl';
  }
};

/**
 * Reads just enough text to tell the format from the first non-blank line: an object with
 * `captureData` is capture, another `{` or a `[` is JSON Lines, anything else CSV. Only a
 * line starting with `{` has to be read whole; the others are told by their first character. A first line
 * longer than `maxLineLength` is told by whether it mentions `captureData`, without reading it whole: the
 * reader will skip it as too long, and memory stays within the cap.
 */
export const sniffFormat = async (
  text: AsyncIterator<string>,
  maxLineLength: number = DEFAULT_MAX_LINE_LENGTH,
): Promise<Sniffed> => {
  const head: string[] = [];
  let offset = 0; // text length of the chunks before the current one
  let contentStart = -1; // where the first non-blank line's content starts, once seen
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    const chunk = next.value;
    head.push(chunk);
    let i = 0;
    if (contentStart === -1) {
      while (i < chunk.length && isSpace(chunk.charCodeAt(i))) i++;
      if (i === chunk.length) {
        offset += chunk.length;
        continue;
      }
      const first = chunk[i];
      if (first !== '{') return { head, format: first === '[' ? 'jsonl' : 'csv' };
      contentStart = offset + i;
    }
    const end = chunk.indexOf('\n', i);
    if (end !== -1) {
      return { head, format: formatOfLine(head.join('').slice(contentStart, offset + end)) };
    }
    offset += chunk.length;
    if (offset - contentStart > maxLineLength) {
      return { head, format: head.some((c) => c.includes('"captureData"')) ? 'capture' : 'jsonl' };
    }
  }
  if (contentStart === -1) return { head, format: undefined };
  return { head, format: formatOfLine(head.join('').slice(contentStart)) };
};
