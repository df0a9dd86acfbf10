import { InputError } from '../errors.ts';
import { captureFromLine, reportMalformed } from './capture.ts';
import { type CaptureRecord, INPUT_FIELD, OUTPUT_FIELD } from './capture-record.ts';
import { locateCsvPayloads, scanCaptureLine } from './capture-scanner.ts';
import { namePreview, readLimits, reportingLineCap } from './limits.ts';
import { lineBatches, type TextLine } from './lines.ts';
import { findFirst, resume } from './lookahead.ts';
import { decodePayloadRows, documentRows, type PayloadRows, parsePayloadDocument } from './payload.ts';
import {
  compilePayloadMapping,
  isActiveMapping,
  isExcluded,
  type PayloadMapping,
  parseCustomAttributes,
} from './payload-mapping.ts';
import { SpanRow, writeCsvSpans } from './span-row.ts';
import {
  type OpenTableOptions,
  positionalNames,
  type Table,
  type TableSchema,
  tableOf,
} from './table-types.ts';
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

/** what `decodeRecord` returns for a record an exclude rule leaves out */
const EXCLUDED = 'excluded';

const decodeRecord = (
  record: CaptureRecord,
  file: string,
  maxNameLength: number,
  mapping?: PayloadMapping,
  schema?: TableSchema,
): Decoded | typeof EXCLUDED => {
  const decoded: Decoded = {};
  const inputAt = { file, line: record.line, field: INPUT_FIELD };
  const outputAt = { file, line: record.line, field: OUTPUT_FIELD };
  if (mapping === undefined) {
    if (record.input !== undefined)
      decoded.input = decodePayloadRows(record.input, inputAt, { maxNameLength });
    if (record.output !== undefined)
      decoded.output = decodePayloadRows(record.output, outputAt, { maxNameLength });
    return decoded;
  }
  // the request is parsed once, for the rules and for its rows
  const request =
    mapping.readsInput && record.input !== undefined
      ? parsePayloadDocument(record.input, inputAt)
      : undefined;
  if (mapping.exclude.length > 0) {
    const text = record.metadata.customAttributes;
    const attributes = text === undefined ? undefined : parseCustomAttributes(text);
    if (isExcluded(mapping, attributes, request?.document)) return EXCLUDED;
  }
  const inputOptions = {
    maxNameLength,
    oneColumn: schema?.inputNames?.length === 1,
    ...(mapping.inputs ? { path: mapping.inputs } : {}),
  };
  const outputOptions = {
    maxNameLength,
    oneColumn: schema?.outputNames?.length === 1,
    ...(mapping.outputs ? { path: mapping.outputs } : {}),
  };
  if (request !== undefined) decoded.input = documentRows(request.document, inputAt, inputOptions);
  else if (record.input !== undefined) decoded.input = decodePayloadRows(record.input, inputAt, inputOptions);
  if (record.output !== undefined) decoded.output = decodePayloadRows(record.output, outputAt, outputOptions);
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

/** Throws, as a later record's reading would, when a side the schema names is absent or of another width. */
const fitsSchema = (
  decoded: Decoded,
  schema: TableSchema | undefined,
  at: { file: string; line: number },
): void => {
  const sides = [
    [INPUT_FIELD, decoded.input, schema?.inputNames],
    [OUTPUT_FIELD, decoded.output, schema?.outputNames],
  ] as const;
  for (const [field, rows, names] of sides) {
    if (names === undefined) continue;
    if (rows === undefined) throw new InputError({ ...at, field }, 'missing, though the first record has it');
    if (rows.names !== undefined) continue;
    for (const row of rows.rows) {
      if (row.length !== names.length) {
        throw new InputError(
          { ...at, field: `${field}.data` },
          `expected ${names.length} fields, found ${row.length}`,
        );
      }
    }
  }
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
      if (slot === undefined) throw fail(`unexpected field "${namePreview(name)}"`);
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
 *
 * Lines in the shape endpoints write, with CSV payloads, take a fast path: a scanner instead of
 * JSON.parse, and rows whose cells stay spans of the line (SpanRow). Every other line, and every
 * malformed one, takes the full path. `fastPath: false` forces the full path for every line: the
 * equivalence tests compare the two.
 */
export const openCaptureTable = async (
  file: string,
  text: AsyncIterable<string>,
  opts: OpenTableOptions,
  { fastPath = true }: { fastPath?: boolean } = {},
): Promise<Table> => {
  const { onMalformed } = opts;
  const limits = readLimits(opts.limits);
  const mapping = isActiveMapping(opts.schema?.payload)
    ? compilePayloadMapping(opts.schema.payload)
    : undefined;
  let excluded = 0;
  const iterator = lineBatches(text, reportingLineCap(file, onMalformed, limits.maxLineLength))[
    Symbol.asyncIterator
  ]();
  const read = (line: TextLine): { record: CaptureRecord; decoded: Decoded } | undefined => {
    const record =
      (fastPath ? scanCaptureLine(line.text, line.line) : undefined) ??
      captureFromLine(line, file, onMalformed);
    if (record === undefined) return undefined;
    try {
      const decoded = decodeRecord(record, file, limits.maxNameLength, mapping, opts.schema);
      if (decoded === EXCLUDED) {
        excluded += 1;
        opts.onExcluded?.({ file, line: line.line });
        return undefined;
      }
      return { record, decoded };
    } catch (error) {
      reportMalformed(error, line, file, onMalformed);
      return undefined;
    }
  };
  // a byte range's first record says nothing of the window: one that does not fit the schema is
  // reported as the window's reading would report it, and the next one is tried
  const lenient = opts.firstRecord === 'report';
  const fitting = (line: TextLine): ReturnType<typeof read> => {
    const got = read(line);
    if (got === undefined || !lenient) return got;
    try {
      fitsSchema(got.decoded, opts.schema, { file, line: line.line });
      return got;
    } catch (error) {
      reportMalformed(error, line, file, onMalformed);
      return undefined;
    }
  };
  const first = await findFirst(iterator, fitting);
  if (first === undefined) {
    // every record was test traffic: an empty table in the model's columns, not an unreadable object
    const named = [...(opts.schema?.inputNames ?? []), ...(opts.schema?.outputNames ?? [])];
    if (excluded > 0 && named.length > 0) return tableOf(named, 'capture', noBatches());
    throw new InputError({ file }, 'empty input: no records');
  }
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

  // the fast path (see SpanRow) needs both sides, as the scanner only takes records holding both
  const inputWidth = inputSide?.names.length ?? 0;
  const outputWidth = outputSide?.names.length ?? 0;
  const spanWidth =
    fastPath && inputSide !== undefined && outputSide !== undefined ? inputWidth + outputWidth : 0;
  const payloads = new Int32Array(4);
  /** Writes the cells of a line as spans, when it is in the fast path's shape (see SpanRow). */
  const writeSpans = (text: string, spans: Int32Array, at: number): boolean =>
    locateCsvPayloads(text, payloads) &&
    isPlainCsv(text, payloads[0]!, payloads[1]!) &&
    isPlainCsv(text, payloads[2]!, payloads[3]!) &&
    writeCsvSpans(text, payloads[0]!, payloads[1]!, inputWidth, spans, at) &&
    writeCsvSpans(text, payloads[2]!, payloads[3]!, outputWidth, spans, at + 2 * inputWidth);

  const batches = async function* (): AsyncGenerator<CaptureRow[]> {
    const head = convert(first.line, first.result.record, first.result.decoded);
    if (head.length > 0) yield head;
    for await (const lines of resume([first.rest], iterator)) {
      const out: CaptureRow[] = [];
      // one offsets array per batch, never reused: a consumer may keep rows after the batch
      const spans = spanWidth > 0 ? new Int32Array(lines.length * spanWidth * 2) : undefined;
      let used = 0;
      for (const line of lines) {
        if (spans !== undefined && writeSpans(line.text, spans, used)) {
          out.push(new SpanRow(line.line, line.text, spans, used, spanWidth));
          used += spanWidth * 2;
          continue;
        }
        const got = read(line);
        if (got === undefined) continue;
        for (const row of convert(line, got.record, got.decoded)) out.push(row);
      }
      if (out.length > 0) yield out;
    }
  };
  return tableOf(columns, 'capture', batches());
};

async function* noBatches(): AsyncGenerator<CaptureRow[]> {}

/**
 * A CSV payload, text[start, end), that a comma split decodes just as the payload decoder does: its own
 * fast case (no quote, no line break; a located payload holds neither, nor a carriage return), and not
 * blank, which the decoder reports. A printable first character settles blankness at once.
 */
const isPlainCsv = (text: string, start: number, end: number): boolean => {
  if (start === end) return false;
  const first = text.charCodeAt(start);
  return first > 32 && first < 127;
};
