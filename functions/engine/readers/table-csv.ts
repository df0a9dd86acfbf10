import { InputError } from '../errors.ts';
import { type CsvRecord, csvRecordBatches } from './csv.ts';
import { RAW_LIMIT } from './jsonl.ts';
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
 * Whether a first record reads as a header: every field non-empty, none numeric, all distinct.
 * A data row of only strings fools it; pass `header: true | false` when that can happen.
 */
export const looksLikeHeader = (fields: readonly string[]): boolean =>
  fields.every((field) => field.trim() !== '' && !isNumeric(field)) && new Set(fields).size === fields.length;

const headerNames = (record: CsvRecord, file: string): string[] => {
  const seen = new Set<string>();
  return record.fields.map((field, i) => {
    // Spark's naming for a blank header cell
    const name = field === '' ? `_c${i}` : field;
    if (seen.has(name))
      throw new InputError({ file, line: record.line }, `duplicate column name "${name}" in header`);
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
  const records = csvRecordBatches(text, { file, delimiter: opts.delimiter });
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new InputError({ file }, 'empty input: no records');
  const batch = first.value;
  const head = batch[0]!;
  const header =
    opts.header === undefined || opts.header === 'auto' ? looksLikeHeader(head.fields) : opts.header;
  const columns = header ? headerNames(head, file) : unnamedColumns(head.fields.length, opts, file);
  const { onMalformed } = opts;
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
