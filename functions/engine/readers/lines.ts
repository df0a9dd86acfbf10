import type { ByteChunks } from './byte-source.ts';
import { decodeUtf8 } from './text.ts';

/** One line of text with its 1-based line number, without its `\n` or `\r\n`. */
export interface TextLine {
  line: number;
  text: string;
}

/** A cap on line length, and who hears of the lines over it. */
export interface LineCap {
  /** characters in a line, without its line break */
  readonly maxLength: number;
  /** called once per line over the cap, with its number and its first characters; the line is not yielded */
  readonly onTooLong: (line: number, head: string) => void;
}

const LF = '\n';
const CR = 13;
/** how much of a line over the cap is kept to report it */
const HEAD_LENGTH = 200;

const stripCr = (text: string): string =>
  text.length > 0 && text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;

/**
 * Splits text chunks into lines, one batch per chunk. Batches let the readers above do their
 * per-line work synchronously and pay the cost of an async step once per chunk, not per line.
 * A line spanning chunks is kept as pieces and joined once, never grown a character at a time.
 *
 * With a `cap`, a line longer than `cap.maxLength` is reported to `cap.onTooLong` as soon as it passes the
 * cap, and its characters are dropped up to its line break: memory stays within the cap plus one chunk,
 * whatever the input, and numbering goes on.
 */
export async function* lineBatches(text: AsyncIterable<string>, cap?: LineCap): AsyncGenerator<TextLine[]> {
  const max = cap?.maxLength ?? Number.POSITIVE_INFINITY;
  const pieces: string[] = [];
  let pending = 0; // characters held in pieces
  let skipping = false; // inside a line over the cap, already reported
  let line = 0;
  /** reports the line in progress, whose held pieces are followed by `rest`, and skips what is left of it */
  const tooLong = (rest: string): void => {
    let head = '';
    for (const piece of [...pieces, rest]) {
      head += piece.slice(0, HEAD_LENGTH - head.length);
      if (head.length === HEAD_LENGTH) break;
    }
    cap!.onTooLong(line + 1, head);
    pieces.length = 0;
    pending = 0;
    skipping = true;
  };
  /** holds the start of a line that goes on in the next chunk, unless that passes the cap */
  const hold = (piece: string): void => {
    if (skipping) return;
    pending += piece.length;
    if (pending > max) tooLong(piece);
    else pieces.push(piece);
  };
  for await (const chunk of text) {
    let end = chunk.indexOf(LF);
    if (end === -1) {
      hold(chunk);
      continue;
    }
    const batch: TextLine[] = [];
    let start = 0;
    while (end !== -1) {
      if (skipping) skipping = false;
      else if (pending + end - start > max) {
        tooLong(chunk.slice(start, Math.min(end, start + HEAD_LENGTH)));
        skipping = false;
      } else {
        let body = chunk.slice(start, end);
        if (pieces.length > 0) {
          pieces.push(body);
          body = pieces.join('');
          pieces.length = 0;
          pending = 0;
        }
        batch.push({ line: line + 1, text: stripCr(body) });
      }
      line += 1;
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) hold(chunk.slice(start));
    if (batch.length > 0) yield batch;
  }
  // the last line needs no newline to count
  if (pieces.length > 0) yield [{ line: line + 1, text: stripCr(pieces.join('')) }];
}

/**
 * Lines of a byte stream (UTF-8, BOM dropped), numbered from 1, with `\n` or `\r\n` removed.
 * Blank lines are kept: skipping them is the reader's choice, and numbering must count them.
 */
export async function* splitLines(source: ByteChunks, cap?: LineCap): AsyncGenerator<TextLine> {
  for await (const batch of lineBatches(decodeUtf8(source), cap)) yield* batch;
}

/** True for a line holding nothing but whitespace. */
export const isBlank = (text: string): boolean => {
  if (text.length === 0) return true;
  // a printable ASCII first character answers almost every line without a trimmed copy
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim().length === 0;
};
