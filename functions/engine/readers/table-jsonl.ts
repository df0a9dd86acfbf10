import { InputError } from '../errors.ts';
import { isPlainObject, jsonCell, jsonKind } from './json-rows.ts';
import { parseJsonLine, RAW_LIMIT } from './jsonl.ts';
import { namePreview, nameTooLong, readLimits, reportingLineCap } from './limits.ts';
import { lineBatches, type TextLine } from './lines.ts';
import { findFirst, resume } from './lookahead.ts';
import { type OpenTableOptions, positionalNames, type Table, tableOf } from './table-types.ts';
import type { CellValue, Row } from './types.ts';

/** Why a value cannot be a row, with the field at fault when there is one. */
class RowProblem {
  constructor(
    readonly reason: string,
    readonly field?: string,
  ) {}
}

type ToRow = (value: unknown) => CellValue[] | RowProblem;

const objectRows = (columns: string[]): ToRow => {
  const index = new Map(columns.map((name, i) => [name, i]));
  return (value) => {
    if (!isPlainObject(value)) return new RowProblem(`expected a JSON object, found ${jsonKind(value)}`);
    // a key the first object lacked cannot become a column any more: the columns are fixed
    const values = new Array<CellValue>(columns.length).fill(null);
    for (const key in value) {
      const slot = index.get(key);
      if (slot === undefined)
        return new RowProblem(`unexpected field "${namePreview(key)}"`, namePreview(key));
      const cell = jsonCell(value[key]);
      if (cell === undefined) return new RowProblem(`nested ${jsonKind(value[key])} in field "${key}"`, key);
      values[slot] = cell;
    }
    return values;
  };
};

const arrayRows =
  (width: number): ToRow =>
  (value) => {
    if (!Array.isArray(value)) return new RowProblem(`expected a JSON array, found ${jsonKind(value)}`);
    if (value.length !== width) return new RowProblem(`expected ${width} fields, found ${value.length}`);
    const values = new Array<CellValue>(width);
    for (let i = 0; i < width; i++) {
      const cell = jsonCell(value[i]);
      if (cell === undefined) return new RowProblem(`nested ${jsonKind(value[i])} at index ${i}`);
      values[i] = cell;
    }
    return values;
  };

/** A JSON Lines table; the first object (its keys) or array (its length) settles the columns. */
export const openJsonlTable = async (
  file: string,
  text: AsyncIterable<string>,
  opts: OpenTableOptions,
): Promise<Table> => {
  const { onMalformed } = opts;
  const limits = readLimits(opts.limits);
  const iterator = lineBatches(text, reportingLineCap(file, onMalformed, limits.maxLineLength))[
    Symbol.asyncIterator
  ]();
  const report = (line: TextLine, problem: RowProblem): void =>
    onMalformed({
      file,
      line: line.line,
      ...(problem.field === undefined ? {} : { field: problem.field }),
      reason: problem.reason,
      raw: line.text.slice(0, RAW_LIMIT),
    });
  const first = await findFirst(iterator, (line) => {
    const parsed = parseJsonLine(line, file, onMalformed);
    if (parsed === undefined) return undefined;
    if (isPlainObject(parsed.value)) {
      // the first object's keys become the columns: one too long to be a name makes it a bad record
      const long = Object.keys(parsed.value).find((key) => key.length > limits.maxNameLength);
      if (long === undefined) return parsed.value;
      report(line, new RowProblem(nameTooLong(long, limits.maxNameLength)!, namePreview(long)));
      return undefined;
    }
    if (Array.isArray(parsed.value)) return parsed.value;
    report(line, new RowProblem(`expected a JSON object or array, found ${jsonKind(parsed.value)}`));
    return undefined;
  });
  if (first === undefined) throw new InputError({ file }, 'empty input: no records');
  let columns: string[];
  let toRow: ToRow;
  if (Array.isArray(first.result)) {
    const names = opts.schema?.inputNames;
    if (names !== undefined && names.length !== first.result.length) {
      throw new InputError(
        { file, line: first.line.line },
        `schema gives ${names.length} column names but the data has ${first.result.length} fields`,
      );
    }
    columns = names ?? positionalNames(first.result.length);
    toRow = arrayRows(columns.length);
  } else {
    columns = Object.keys(first.result);
    toRow = objectRows(columns);
  }
  const convert = (line: TextLine, value: unknown): Row | undefined => {
    const values = toRow(value);
    if (!(values instanceof RowProblem)) return { line: line.line, values };
    report(line, values);
    return undefined;
  };
  const batches = async function* (): AsyncGenerator<Row[]> {
    const head = convert(first.line, first.result);
    if (head !== undefined) yield [head];
    for await (const batch of resume([first.rest], iterator)) {
      const rows: Row[] = [];
      for (const line of batch) {
        const parsed = parseJsonLine(line, file, onMalformed);
        if (parsed === undefined) continue;
        const row = convert(line, parsed.value);
        if (row !== undefined) rows.push(row);
      }
      if (rows.length > 0) yield rows;
    }
  };
  return tableOf(columns, 'jsonl', batches());
};
