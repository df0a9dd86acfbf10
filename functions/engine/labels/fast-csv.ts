import type { MalformedRecord } from '../errors.ts';
import { type ByteChunks, decodeMaybeGzip } from '../readers/byte-source.ts';
import { RAW_LIMIT } from '../readers/jsonl.ts';
import { looksLikeHeader } from '../readers/table-csv.ts';

/**
 * The fast path met something only the full CSV reader handles (a quote, no header, JSON, a missing or
 * repeated column): the caller starts over with the shared readers, which give the usual results and errors.
 */
export class SlowPathNeededError extends Error {
  override readonly name = 'SlowPathNeededError';
}

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;

/** one data row: field i is bytes[starts[i] .. ends[i]) */
export type CsvRowVisitor = (bytes: Buffer, starts: Int32Array, ends: Int32Array, line: number) => void;

/** 10^0 .. 10^22: exactly representable, so m / 10^k is one correctly rounded division */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number a cell's bytes hold, with `Number(text)`'s result exactly: plain decimals of up to 15 significant
 * digits (what models and label tools print) are read here, the digits as an integer below 2^53 divided by an
 * exact power of ten, which IEEE-754 rounds correctly, as Number() does (Clinger's fast path); anything else
 * (exponents, long digits, spaces, "Infinity", hex) goes through Number() on the decoded text.
 */
export const cellNumber = (bytes: Buffer, start: number, end: number): number => {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) {
    negative = bytes[i] === MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= ZERO && c <= NINE) {
      digits++;
      if (significant > 0 || c !== ZERO) significant++;
      mantissa = mantissa * 10 + (c - ZERO);
      if (fraction >= 0) fraction++;
    } else if (c === DOT && fraction < 0) fraction = 0;
    else break;
  }
  if (i === end && digits > 0 && significant <= 15 && fraction <= 22) {
    const value = fraction > 0 ? mantissa / POWERS[fraction]! : mantissa;
    return negative ? -value : value;
  }
  return Number(bytes.toString('utf8', start, end));
};

/** the header's fields, as the shared CSV reader names them */
const headerFields = (bytes: Buffer, start: number, end: number): string[] =>
  bytes.toString('utf8', start, end).split(',');

/**
 * Reads a plain or gzip CSV file with a header and no quotes, calling `visit` per data row with the row's field
 * positions in the read buffer, no string made. Blank lines are skipped, CRLF and a UTF-8 byte-order mark are
 * read as the shared reader reads them, and a row with the wrong number of fields goes to `malformed`, as
 * there. Returns the header's column names. Throws SlowPathNeededError when the input needs the full reader.
 */
export const scanCsv = async (
  file: string,
  source: ByteChunks,
  options: {
    readonly onHeader: (columns: string[]) => void;
    readonly visit: CsvRowVisitor;
    readonly malformed: (record: MalformedRecord) => void;
  },
): Promise<void> => {
  let carry: Buffer | undefined;
  let line = 0;
  let width = -1;
  let starts = new Int32Array(0);
  let ends = new Int32Array(0);
  let first = true;

  const row = (bytes: Buffer, start: number, stop: number): void => {
    line++;
    let end = stop;
    if (end > start && bytes[end - 1] === CR) end--;
    if (end === start) return; // a blank line is no record
    if (width === -1) {
      const columns = headerFields(bytes, start, end);
      if (bytes.indexOf(QUOTE, start) !== -1 && bytes.indexOf(QUOTE, start) < end)
        throw new SlowPathNeededError();
      if (!looksLikeHeader(columns)) throw new SlowPathNeededError();
      width = columns.length;
      starts = new Int32Array(width);
      ends = new Int32Array(width);
      options.onHeader(columns);
      return;
    }
    let field = 0;
    let fieldStart = start;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c === COMMA) {
        if (field < width) {
          starts[field] = fieldStart;
          ends[field] = i;
        }
        field++;
        fieldStart = i + 1;
      } else if (c === QUOTE) throw new SlowPathNeededError();
    }
    if (field < width) {
      starts[field] = fieldStart;
      ends[field] = end;
    }
    field++;
    if (field !== width) {
      options.malformed({
        file,
        line,
        reason: `expected ${width} fields, found ${field}`,
        raw: bytes.toString('utf8', start, end).slice(0, RAW_LIMIT),
      });
      return;
    }
    options.visit(bytes, starts, ends, line);
  };

  for await (const chunk of decodeMaybeGzip(source, file)) {
    let bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
    carry = undefined;
    let at = 0;
    if (first) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3;
      let i = at;
      while (i < bytes.length && (bytes[i] === 32 || (bytes[i]! >= 9 && bytes[i]! <= 13))) i++;
      // JSON Lines, capture or ground truth: the shared readers' business
      if (bytes[i] === 123 || bytes[i] === 91) throw new SlowPathNeededError();
    }
    for (;;) {
      const newline = bytes.indexOf(LF, at);
      if (newline === -1) break;
      row(bytes, at, newline);
      at = newline + 1;
    }
    if (at < bytes.length) carry = Buffer.from(bytes.subarray(at));
    bytes = Buffer.alloc(0);
  }
  if (carry !== undefined) row(carry, 0, carry.length);
  if (width === -1) throw new SlowPathNeededError();
};
