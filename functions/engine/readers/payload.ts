import { InputError } from '../errors.ts';
import type { CapturedPayload } from './capture-record.ts';
import { parseCsvText } from './csv-parser.ts';
import { addJsonDocument, type PayloadRows, RowCollector } from './json-rows.ts';
import { isBlank } from './lines.ts';
import { parseJsonAllowingNonFinite } from './non-finite-json.ts';
import type { PayloadPath } from './payload-mapping.ts';
import type { CellValue } from './types.ts';

export type { PayloadRows } from './json-rows.ts';

/** Where a payload sits: `field` is its path, e.g. `captureData.endpointInput`. */
export interface PayloadLocation {
  file: string;
  line: number;
  field: string;
}

type Kind = 'csv' | 'json' | 'jsonl';

const MEDIA_KINDS: Record<string, Kind> = {
  'text/csv': 'csv',
  'application/json': 'json',
  'application/jsonlines': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

/** `Text/CSV; charset=utf-8` → `text/csv`. */
const mediaType = (contentType: string): string => {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
};

// canonical padded base64 only: Buffer.from(..., 'base64') would silently skip bad characters
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const decodeBase64Text = (data: string, at: PayloadLocation): string => {
  if (!BASE64.test(data)) throw new InputError(at, 'undecodable base64 (invalid characters or padding)');
  try {
    return utf8.decode(Buffer.from(data, 'base64'));
  } catch {
    throw new InputError(at, 'undecodable base64: the decoded bytes are not UTF-8 text');
  }
};

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const parseJson = (text: string, at: PayloadLocation): unknown => {
  try {
    return parseJsonAllowingNonFinite(text);
  } catch (error) {
    throw new InputError(at, `malformed JSON payload: ${errorMessage(error)}`);
  }
};

// an empty bare field is missing; a quoted "" is an empty string, as Spark reads it
const bareCell = (field: string): CellValue => (field === '' ? null : field);

const csvRows = (text: string, at: PayloadLocation): PayloadRows => {
  // the common payload, one record without quotes, needs no parser
  if (text.indexOf('"') === -1 && text.indexOf('\n') === -1) {
    const fields = text.split(',');
    const last = fields.length - 1;
    if (fields[last]!.endsWith('\r')) fields[last] = fields[last]!.slice(0, -1);
    return { rows: [fields.map(bareCell)] };
  }
  let records: ReturnType<typeof parseCsvText>;
  try {
    records = parseCsvText(text, at.file, at.line);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(at, `bad CSV payload: ${error.reason}`);
    throw error;
  }
  const rows = records.map(({ fields, quoted }): CellValue[] =>
    quoted === undefined
      ? fields.map(bareCell)
      : fields.map((field, i) => (quoted[i] ? field : bareCell(field))),
  );
  return { rows };
};

/** What a path selects, or InputError naming the path when it matches nothing. */
const selected = (document: unknown, path: PayloadPath | undefined, at: PayloadLocation): unknown => {
  if (path === undefined) return document;
  const value = path.select(document);
  if (value === undefined)
    throw new InputError(at, `path ${JSON.stringify(path.expression)} matches nothing`);
  return value;
};

/** Adds the rows of one document: what the path selects, where a one-column side reads a list of scalars as rows. */
const addSelected = (
  collector: RowCollector,
  document: unknown,
  options: DecodeOptions,
  at: PayloadLocation,
): void => {
  const value = selected(document, options.path, at);
  if (
    options.path !== undefined &&
    options.oneColumn === true &&
    Array.isArray(value) &&
    !value.some(isNested)
  ) {
    for (const [i, cell] of value.entries()) collector.addScalar(cell, `[${i}]`);
  } else addJsonDocument(collector, value);
};

const isNested = (value: unknown): boolean => typeof value === 'object' && value !== null;

const jsonRows = (text: string, at: PayloadLocation, lines: boolean, options: DecodeOptions): PayloadRows => {
  const collector = new RowCollector(at, options.maxNameLength);
  if (!lines) addSelected(collector, parseJson(text, at), options, at);
  else
    for (const line of text.split('\n'))
      if (!isBlank(line)) addSelected(collector, parseJson(line, at), options, at);
  return collector.result();
};

const decodeText = (
  text: string,
  kind: Kind,
  at: PayloadLocation,
  options: DecodeOptions = {},
): PayloadRows => {
  if (isBlank(text)) throw new InputError(at, 'empty data');
  const decoded = kind === 'csv' ? csvRows(text, at) : jsonRows(text, at, kind === 'jsonl', options);
  if (decoded.rows.length === 0) throw new InputError(at, 'no rows in data');
  return decoded;
};

export interface DecodeOptions {
  /** @default DEFAULT_MAX_NAME_LENGTH */
  maxNameLength?: number;
  /** where the rows sit in a JSON payload (CSV payloads have no paths and ignore it) */
  path?: PayloadPath;
  /**
   * the side has one column: a list of scalars the path selects is one row per element (a projection such as
   * `predictions[*].score`), not one row of many cells
   */
  oneColumn?: boolean;
}

/** The payload's text and how to read it; throws InputError as `decodePayloadRows` does. */
const payloadText = (p: CapturedPayload, at: PayloadLocation): { text: string; kind: Kind } => {
  const dataAt = { ...at, field: `${at.field}.data` };
  const type = mediaType(p.observedContentType);
  switch (p.encoding) {
    case 'CSV':
      return { text: p.data, kind: 'csv' };
    case 'JSON':
      return { text: p.data, kind: MEDIA_KINDS[type] === 'jsonl' ? 'jsonl' : 'json' };
    case 'BASE64': {
      const kind = MEDIA_KINDS[type];
      if (kind === undefined) {
        const reason =
          type === ''
            ? 'missing content type, needed to read BASE64 data'
            : `unsupported content type "${p.observedContentType}" (expected text/csv, application/json or application/jsonlines)`;
        throw new InputError({ ...at, field: `${at.field}.observedContentType` }, reason);
      }
      return { text: decodeBase64Text(p.data, dataAt), kind };
    }
    default:
      throw new InputError(
        { ...at, field: `${at.field}.encoding` },
        `unknown encoding ${JSON.stringify(p.encoding)} (expected CSV, JSON or BASE64)`,
      );
  }
};

/**
 * A payload that is one JSON document, parsed, for the rules that look into requests; undefined for CSV and
 * JSON Lines payloads. Throws InputError as `decodePayloadRows` does.
 */
export function parsePayloadDocument(
  p: CapturedPayload,
  at: PayloadLocation,
): { document: unknown } | undefined {
  const { text, kind } = payloadText(p, at);
  if (kind !== 'json') return undefined;
  const dataAt = { ...at, field: `${at.field}.data` };
  if (isBlank(text)) throw new InputError(dataAt, 'empty data');
  return { document: parseJson(text, dataAt) };
}

/** The rows of a payload already parsed by `parsePayloadDocument`. */
export function documentRows(
  document: unknown,
  at: PayloadLocation,
  options: DecodeOptions = {},
): PayloadRows {
  const dataAt = { ...at, field: `${at.field}.data` };
  const collector = new RowCollector(dataAt, options.maxNameLength);
  addSelected(collector, document, options, dataAt);
  const decoded = collector.result();
  if (decoded.rows.length === 0) throw new InputError(dataAt, 'no rows in data');
  return decoded;
}

/**
 * Decodes a captured payload into rows of cells. CSV: one row per line, strings kept,
 * an empty field is null. JSON: see `addJsonDocument` for the shapes understood; numbers,
 * strings, booleans and null are kept as they are, keyed payloads also give `names`.
 * BASE64: strictly decoded, then read by `observedContentType` (text/csv, application/json,
 * application/jsonlines). Keys longer than `maxNameLength` (@default DEFAULT_MAX_NAME_LENGTH) cannot name
 * columns. With `path`, a JSON payload's rows are what the path selects in each document; a path that matches
 * nothing is an InputError naming it. Throws InputError at `at.field` + `.data`, `.encoding` or `.observedContentType`, naming what is
 * wrong.
 */
export function decodePayloadRows(
  p: CapturedPayload,
  at: PayloadLocation,
  options: DecodeOptions = {},
): PayloadRows {
  const { text, kind } = payloadText(p, at);
  return decodeText(text, kind, { ...at, field: `${at.field}.data` }, options);
}
