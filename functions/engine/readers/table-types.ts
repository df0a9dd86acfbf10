import type { ReadLimits } from './limits.ts';
import type { PayloadMappingSpec } from './payload-mapping.ts';
import type { MalformedSink, Row } from './types.ts';

export type TableFormat = 'csv' | 'jsonl' | 'capture' | 'parquet';

/** Names for columns the data does not name itself. */
export interface TableSchema {
  /** a headerless CSV's columns, a JSON array row's cells, or a capture request's cells */
  inputNames?: string[];
  /** a capture response's cells */
  outputNames?: string[];
  /** capture only: where features and outputs sit in JSON payloads, and which records are not real traffic */
  payload?: PayloadMappingSpec;
}

export interface OpenTableOptions {
  /** default 'auto': sniffed from the first non-blank line */
  format?: TableFormat | 'auto';
  /** CSV only; default 'auto': see `looksLikeHeader` */
  header?: boolean | 'auto';
  /** CSV only; default `,` */
  delimiter?: string;
  schema?: TableSchema;
  /**
   * Capture only. 'settle' (default): the first good record settles the columns, and one that does not
   * fit `schema` stops the read (a file whose first record does not fit is the wrong file). 'report': a
   * record that does not fit the schema is reported as malformed even when it comes first, as it would
   * be further on; for a byte range of a window (see `linesInRange`), whose first record says nothing
   * of the window.
   */
  firstRecord?: 'settle' | 'report';
  /** caps on line and name length; @default DEFAULT_READ_LIMITS */
  limits?: Partial<ReadLimits>;
  onMalformed: MalformedSink;
  /** capture only: called for each record `schema.payload.exclude` leaves out (not malformed, just not counted) */
  onExcluded?: (at: { file: string; line: number }) => void;
}

/** Named columns and a one-pass stream of rows aligned with them. */
export interface Table {
  columns: string[];
  format: TableFormat;
  /** iterate once, to the end or until `break` (which closes the source); or iterate `batches` instead */
  rows: AsyncIterable<Row>;
  /**
   * The same rows, a batch per chunk read: the consumer pays one async step per batch, not per row.
   * Iterate either this or `rows`, once.
   */
  batches: AsyncIterable<readonly Row[]>;
}

async function* flatten<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  // plain loops: `yield*` over an array costs an iterator and extra promise turns per row
  for await (const batch of batches) for (const row of batch) yield row;
}

/** A table over a stream of row batches, which `rows` flattens on demand. */
export const tableOf = (
  columns: string[],
  format: TableFormat,
  batches: AsyncIterable<readonly Row[]>,
): Table => ({ columns, format, batches, rows: flatten(batches) });

/** `_c0`..`_c{n-1}`: the names Model Monitor (Spark) gives unnamed columns. */
export const positionalNames = (count: number, prefix = '_c'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);
