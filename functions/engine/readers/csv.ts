import { InputError, type MalformedRecord } from '../errors.ts';
import type { ByteChunks } from './byte-source.ts';
import { CsvParser, type CsvRecord, parseCsvText } from './csv-parser.ts';
import { decodeUtf8 } from './text.ts';

export type { CsvRecord } from './csv-parser.ts';

export interface CsvOptions {
  /** names the input in errors */
  file: string;
  /** one character; default `,` */
  delimiter?: string;
  /**
   * Where bad records go. Given, a bad record is reported and parsing goes on at the line after the one it
   * starts on (see CsvParser); absent, the first one throws.
   */
  onMalformed?: (record: MalformedRecord) => void;
  /** with `onMalformed`: characters in one record, quoted line breaks included; @default no cap */
  maxRecordLength?: number;
}

/** CSV records of a text stream, one batch per chunk (see `lineBatches` for why batches). */
export async function* csvRecordBatches(
  text: AsyncIterable<string>,
  opts: CsvOptions,
): AsyncGenerator<CsvRecord[]> {
  const recovery =
    opts.onMalformed === undefined
      ? undefined
      : { onMalformed: opts.onMalformed, maxRecordLength: opts.maxRecordLength };
  const parser = new CsvParser(opts.file, opts.delimiter, 1, recovery);
  for await (const chunk of text) {
    const out: CsvRecord[] = [];
    parser.push(chunk, out);
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  parser.finish(out);
  if (out.length > 0) yield out;
}

/**
 * Streams RFC 4180 records from UTF-8 bytes: quoted fields, `""` escapes, delimiters, quotes
 * and newlines inside quotes, CRLF or LF; blank lines skipped. Each record carries the line
 * where it starts. Without `opts.onMalformed`, throws InputError naming file:line for an unterminated
 * quote or a stray quote inside an unquoted field; with it, reports the record and reads on.
 */
export async function* parseCsv(source: ByteChunks, opts: CsvOptions): AsyncGenerator<CsvRecord> {
  for await (const batch of csvRecordBatches(decodeUtf8(source), opts)) yield* batch;
}

/**
 * Parses one CSV record held in a string, such as a capture payload's line. An empty text is
 * one empty field. Throws InputError at `at` when the text holds more than one record.
 */
export function parseCsvLine(text: string, at: { file: string; line: number }): string[] {
  if (text.length === 0) return [''];
  const records = parseCsvText(text, at.file, at.line);
  if (records.length !== 1) {
    throw new InputError(at, `expected one CSV record, found ${records.length}`);
  }
  return records[0]!.fields;
}
