import type { MalformedSink, Row } from './types.ts';

export type TableFormat = 'csv' | 'jsonl' | 'capture';

/** Names for columns the data does not name itself. */
export interface TableSchema {
  /** a headerless CSV's columns, a JSON array row's cells, or a capture request's cells */
  inputNames?: string[];
  /** a capture response's cells */
  outputNames?: string[];
}

export interface OpenTableOptions {
  /** default 'auto': sniffed from the first non-blank line */
  format?: TableFormat | 'auto';
  /** CSV only; default 'auto': see `looksLikeHeader` */
  header?: boolean | 'auto';
  /** CSV only; default `,` */
  delimiter?: string;
  schema?: TableSchema;
  onMalformed: MalformedSink;
}

/** Named columns and a one-pass stream of rows aligned with them. */
export interface Table {
  columns: string[];
  format: TableFormat;
  /** iterate once, to the end or until `break` (which closes the source) */
  rows: AsyncIterable<Row>;
}

/** `_c0`..`_c{n-1}`: the names Model Monitor (Spark) gives unnamed columns. */
export const positionalNames = (count: number, prefix = '_c'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);
