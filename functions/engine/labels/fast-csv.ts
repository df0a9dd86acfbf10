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

/** the header's fields, split at commas (a quoted header goes to the shared reader) */
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
  let starts = new Int32Array(1);
  let ends = new Int32Array(1);
  let first = true;

  /** the header, or a blank line before it; false when the first record is not a header the scanner can use */
  const header = (bytes: Buffer, start: number, stop: number): void => {
    line++;
    const end = stop > start && bytes[stop - 1] === CR ? stop - 1 : stop;
    if (end === start) return;
    const quote = bytes.indexOf(QUOTE, start);
    if (quote !== -1 && quote < end) throw new SlowPathNeededError();
    const columns = headerFields(bytes, start, end);
    if (!looksLikeHeader(columns)) throw new SlowPathNeededError();
    width = columns.length;
    starts = new Int32Array(width + 1);
    ends = new Int32Array(width + 1);
    options.onHeader(columns);
  };

  const wrongWidth = (bytes: Buffer, start: number, end: number, found: number): void =>
    options.malformed({
      file,
      line,
      reason: `expected ${width} fields, found ${found}`,
      raw: bytes.toString('utf8', start, end).slice(0, RAW_LIMIT),
    });

  /** the data rows of bytes[from..); returns where the unfinished last line starts */
  const rows = (bytes: Buffer, from: number): number => {
    const n = bytes.length;
    const visit = options.visit;
    let lineStart = from;
    let field = 0;
    let fieldStart = from;
    // one pass over the bytes, no call per line or field: fields are noted as the commas go by
    for (let i = from; i < n; i++) {
      const c = bytes[i]!;
      if (c === COMMA) {
        if (field < width) {
          starts[field] = fieldStart;
          ends[field] = i;
        }
        field++;
        fieldStart = i + 1;
      } else if (c === LF) {
        line++;
        const end = i > lineStart && bytes[i - 1] === CR ? i - 1 : i;
        if (end > lineStart) {
          if (field < width) {
            starts[field] = fieldStart;
            ends[field] = end;
          }
          if (field + 1 === width) visit(bytes, starts, ends, line);
          else wrongWidth(bytes, lineStart, end, field + 1);
        }
        lineStart = i + 1;
        fieldStart = i + 1;
        field = 0;
      } else if (c === QUOTE) throw new SlowPathNeededError();
    }
    return lineStart;
  };

  for await (const chunk of decodeMaybeGzip(source, file)) {
    const bytes = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
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
    while (width === -1) {
      const newline = bytes.indexOf(LF, at);
      if (newline === -1) break;
      header(bytes, at, newline);
      at = newline + 1;
    }
    if (width !== -1) at = rows(bytes, at);
    if (at < bytes.length) carry = Buffer.from(bytes.subarray(at));
  }
  if (carry !== undefined) {
    // the last line has no newline: give it one
    const bytes = Buffer.concat([carry, Buffer.from([LF])]);
    if (width === -1) header(bytes, 0, bytes.length - 1);
    else rows(bytes, 0);
  }
  if (width === -1) throw new SlowPathNeededError();
};
