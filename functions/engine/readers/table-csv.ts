import { InputError } from '../errors.ts';
import { type CsvRecord, csvRecordBatches } from './csv.ts';
import { RAW_LIMIT } from './jsonl.ts';
import { nameTooLong, readLimits } from './limits.ts';
import { resume } from './lookahead.ts';
import { ownString } from './own-string.ts';
import { type OpenTableOptions, positionalNames, type Table, tableOf } from './table-types.ts';
import type { CellValue, Row } from './types.ts';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

const isNumeric = (text: string): boolean => {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) || NON_FINITE.test(trimmed);
};

/**
 * Whether a first record reads as a header: every field non-empty and none numeric. A data row of only
 * strings fools it; pass `header: true | false` when that can happen. Names that repeat do not make a
 * header a data row: `x,x,cat` is a header, and a broken one (see `headerNames`), not data with invented
 * column names.
 */
export const looksLikeHeader = (fields: readonly string[]): boolean =>
  fields.every((field) => field.trim() !== '' && !isNumeric(field));

/** The names of a header record; throws naming the file for a name that repeats or is too long. */
const headerNames = (record: CsvRecord, file: string, maxNameLength: number, detected: boolean): string[] => {
  const seen = new Set<string>();
  // the header was guessed: a file without one is the likelier mistake, and the flag says so
  const hint = detected ? ' (header detected; pass --no-header if the file has none)' : '';
  return record.fields.map((field, i) => {
    // Spark's naming for a blank header cell
    const name = field === '' ? `_c${i}` : field;
    const tooLong = nameTooLong(name, maxNameLength);
    if (tooLong !== undefined)
      throw new InputError({ file, line: record.line, field: `${i + 1}` }, `${tooLong}${hint}`);
    if (seen.has(name))
      throw new InputError(
        { file, line: record.line },
        `duplicate column name "${name}" in header: every column needs its own name`,
      );
    seen.add(name);
    return name;
  });
};

const unnamedColumns = (width: number, opts: OpenTableOptions, file: string): string[] => {
  const names = opts.schema?.inputNames;
  if (names === undefined) return positionalNames(width);
  if (names.length !== width) {
    throw new InputError(
      { file },
      `schema gives ${names.length} column names but the data has ${width} fields`,
    );
  }
  return names;
};

// an empty bare field is missing; a quoted "" is an empty string, as Spark reads it
const toValues = ({ fields, quoted }: CsvRecord): CellValue[] => {
  const values = new Array<CellValue>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    // a field is cut from a chunk of input: a kept value must not keep the chunk alive (see ownString)
    values[i] = field === '' && quoted?.[i] !== true ? null : ownString(field);
  }
  return values;
};

/** A CSV table over text chunks; reads the first record to settle the columns. */
export const openCsvTable = async (
  file: string,
  text: AsyncIterable<string>,
  opts: OpenTableOptions,
): Promise<Table> => {
  const { onMalformed } = opts;
  const limits = readLimits(opts.limits);
  const records = csvRecordBatches(text, {
    file,
    delimiter: opts.delimiter,
    onMalformed,
    maxRecordLength: limits.maxLineLength,
  });
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new InputError({ file }, 'empty input: no records');
  const batch = first.value;
  const head = batch[0]!;
  const detect = opts.header === undefined || opts.header === 'auto';
  const header = detect ? looksLikeHeader(head.fields) : opts.header === true;
  const columns = header
    ? headerNames(head, file, limits.maxNameLength, detect)
    : unnamedColumns(head.fields.length, opts, file);
  const width = columns.length;
  async function* batches(): AsyncGenerator<Row[]> {
    for await (const chunk of resume([header ? batch.slice(1) : batch], iterator)) {
      const rows: Row[] = [];
      for (const record of chunk) {
        if (record.fields.length === width) {
          rows.push({ line: record.line, values: toValues(record) });
        } else {
          onMalformed({
            file,
            line: record.line,
            reason: `expected ${width} fields, found ${record.fields.length}`,
            raw: record.fields.join(opts.delimiter ?? ',').slice(0, RAW_LIMIT),
          });
        }
      }
      if (rows.length > 0) yield rows;
    }
  }
  return tableOf(columns, 'csv', batches());
};
