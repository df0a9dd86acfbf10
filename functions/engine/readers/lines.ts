import type { ByteChunks } from './byte-source.ts';
import { decodeUtf8 } from './text.ts';

/** One line of text with its 1-based line number, without its `\n` or `\r\n`. */
export interface TextLine {
  line: number;
  text: string;
}

const LF = '\n';
const CR = 13;

const stripCr = (text: string): string =>
  text.length > 0 && text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;

/**
 * Splits text chunks into lines, one batch per chunk. Batches let the readers above do their
 * per-line work synchronously and pay the cost of an async step once per chunk, not per line.
 * A line spanning chunks is kept as pieces and joined once, never grown a character at a time.
 */
export async function* lineBatches(text: AsyncIterable<string>): AsyncGenerator<TextLine[]> {
  const pieces: string[] = [];
  let line = 0;
  for await (const chunk of text) {
    let end = chunk.indexOf(LF);
    if (end === -1) {
      pieces.push(chunk);
      continue;
    }
    const batch: TextLine[] = [];
    let start = 0;
    while (end !== -1) {
      let body = chunk.slice(start, end);
      if (pieces.length > 0) {
        pieces.push(body);
        body = pieces.join('');
        pieces.length = 0;
      }
      line += 1;
      batch.push({ line, text: stripCr(body) });
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) pieces.push(chunk.slice(start));
    yield batch;
  }
  // the last line needs no newline to count
  if (pieces.length > 0) yield [{ line: line + 1, text: stripCr(pieces.join('')) }];
}

/**
 * Lines of a byte stream (UTF-8, BOM dropped), numbered from 1, with `\n` or `\r\n` removed.
 * Blank lines are kept: skipping them is the reader's choice, and numbering must count them.
 */
export async function* splitLines(source: ByteChunks): AsyncGenerator<TextLine> {
  for await (const batch of lineBatches(decodeUtf8(source))) yield* batch;
}

/** True for a line holding nothing but whitespace. */
export const isBlank = (text: string): boolean => {
  if (text.length === 0) return true;
  // a printable ASCII first character answers almost every line without a trimmed copy
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim().length === 0;
};
