import { InputError } from '../errors.ts';
import { captureFromLine, reportMalformed } from './capture.ts';
import { type CaptureRecord, INPUT_FIELD, OUTPUT_FIELD } from './capture-record.ts';
import { lineBatches, type TextLine } from './lines.ts';
import { findFirst, resume } from './lookahead.ts';
import { decodePayloadRows, type PayloadRows } from './payload.ts';
import { type OpenTableOptions, positionalNames, type Table } from './table-types.ts';
import type { CaptureRow, CellValue } from './types.ts';

/** The columns one side (request or response) contributes, settled by the first good record. */
interface Side {
  /** path of the payload, e.g. `captureData.endpointInput` */
  field: string;
  names: string[];
  /** set when the names came from the payload's own keys, so later payloads align by name */
  index?: Map<string, number>;
}

interface Decoded {
  input?: PayloadRows;
  output?: PayloadRows;
}

const decodeRecord = (record: CaptureRecord, file: string): Decoded => {
  const decoded: Decoded = {};
  if (record.input !== undefined) {
    decoded.input = decodePayloadRows(record.input, { file, line: record.line, field: INPUT_FIELD });
  }
  if (record.output !== undefined) {
    decoded.output = decodePayloadRows(record.output, { file, line: record.line, field: OUTPUT_FIELD });
  }
  return decoded;
};

const settleSide = (
  field: string,
  decoded: PayloadRows,
  schemaNames: string[] | undefined,
  defaults: (width: number) => string[],
  file: string,
  line: number,
): Side => {
  if (decoded.names !== undefined) {
    return { field, names: decoded.names, index: new Map(decoded.names.map((name, i) => [name, i])) };
  }
  const width = decoded.rows[0]!.length;
  if (schemaNames === undefined) return { field, names: defaults(width) };
  if (schemaNames.length !== width) {
    throw new InputError(
      { file, line, field: `${field}.data` },
      `schema gives ${schemaNames.length} names but the data has ${width} fields`,
    );
  }
  return { field, names: schemaNames };
};

const outputDefaults = (width: number): string[] =>
  width === 1 ? ['prediction'] : positionalNames(width, 'prediction_');

const sameNames = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);

/** The payload's rows laid out in the side's column order; throws naming the payload's data. */
const align = (side: Side, decoded: PayloadRows, at: { file: string; line: number }): CellValue[][] => {
  // built only on failure: this runs twice per capture line
  const fail = (reason: string) => new InputError({ ...at, field: `${side.field}.data` }, reason);
  const width = side.names.length;
  const { names } = decoded;
  if (names !== undefined && side.index !== undefined && !sameNames(names, side.names)) {
    const slots = names.map((name) => {
      const slot = side.index!.get(name);
      if (slot === undefined) throw fail(`unexpected field "${name}"`);
      return slot;
    });
    return decoded.rows.map((row) => {
      const values = new Array<CellValue>(width).fill(null);
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = row[i] ?? null;
      return values;
    });
  }
  for (const row of decoded.rows) {
    if (row.length !== width) throw fail(`expected ${width} fields, found ${row.length}`);
  }
  return decoded.rows;
};

const presence = (
  side: Side | undefined,
  rows: PayloadRows | undefined,
  field: string,
  at: { file: string; line: number },
): void => {
  // the capture configuration is per endpoint, so a side appearing or vanishing means mixed sources
  if (side !== undefined && rows === undefined) {
    throw new InputError({ ...at, field }, 'missing, though the first record has it');
  }
  if (side === undefined && rows !== undefined) {
    throw new InputError({ ...at, field }, 'unexpected, the first record has none');
  }
};

/**
 * A table over SageMaker Data Capture lines: each request row followed by its response row
 * is one row, carrying the capture's metadata. The first record that decodes settles the
 * columns: payload keys, else `schema` names, else `_c0..` for the request and `prediction`
 * (or `prediction_0..`) for the response.
 */
export const openCaptureTable = async (
  file: string,
  text: AsyncIterable<string>,
  opts: OpenTableOptions,
): Promise<Table> => {
  const { onMalformed } = opts;
  const iterator = lineBatches(text)[Symbol.asyncIterator]();
  const read = (line: TextLine): { record: CaptureRecord; decoded: Decoded } | undefined => {
    const record = captureFromLine(line, file, onMalformed);
    if (record === undefined) return undefined;
    try {
      return { record, decoded: decodeRecord(record, file) };
    } catch (error) {
      reportMalformed(error, line, file, onMalformed);
      return undefined;
    }
  };
  const first = await findFirst(iterator, read);
  if (first === undefined) throw new InputError({ file }, 'empty input: no records');
  const at = { file, line: first.line.line };
  const { input, output } = first.result.decoded;
  const inputSide =
    input &&
    settleSide(INPUT_FIELD, input, opts.schema?.inputNames, (w) => positionalNames(w), file, at.line);
  const outputSide =
    output && settleSide(OUTPUT_FIELD, output, opts.schema?.outputNames, outputDefaults, file, at.line);
  const columns = [...(inputSide?.names ?? []), ...(outputSide?.names ?? [])];

  const toRows = (record: CaptureRecord, decoded: Decoded): CaptureRow[] => {
    const where = { file, line: record.line };
    presence(inputSide, decoded.input, INPUT_FIELD, where);
    presence(outputSide, decoded.output, OUTPUT_FIELD, where);
    const inRows = inputSide && decoded.input && align(inputSide, decoded.input, where);
    const outRows = outputSide && decoded.output && align(outputSide, decoded.output, where);
    if (inRows !== undefined && outRows !== undefined && inRows.length !== outRows.length) {
      throw new InputError(
        { ...where, field: 'captureData' },
        `${inRows.length} input rows but ${outRows.length} output rows`,
      );
    }
    const count = inRows?.length ?? outRows?.length ?? 0;
    const rows = new Array<CaptureRow>(count);
    for (let k = 0; k < count; k++) {
      const left = inRows?.[k];
      const right = outRows?.[k];
      const values = left === undefined ? right! : right === undefined ? left : left.concat(right);
      rows[k] = { line: record.line, values, capture: record.metadata };
    }
    return rows;
  };
  const convert = (line: TextLine, record: CaptureRecord, decoded: Decoded): CaptureRow[] => {
    try {
      return toRows(record, decoded);
    } catch (error) {
      reportMalformed(error, line, file, onMalformed);
      return [];
    }
  };

  const rows = async function* (): AsyncGenerator<CaptureRow> {
    // plain loops: `yield*` over an array costs an iterator and extra promise turns per row
    for (const row of convert(first.line, first.result.record, first.result.decoded)) yield row;
    for await (const batch of resume([first.rest], iterator)) {
      for (const line of batch) {
        const got = read(line);
        if (got === undefined) continue;
        for (const row of convert(line, got.record, got.decoded)) yield row;
      }
    }
  };
  return { columns, format: 'capture', rows: rows() };
};
