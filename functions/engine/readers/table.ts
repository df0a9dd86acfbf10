import { InputError } from '../errors.ts';
import type { ByteChunks } from './byte-source.ts';
import { decodeMaybeGzip } from './byte-source.ts';
import { readLimits } from './limits.ts';
import { resume } from './lookahead.ts';
import { sniffFormat } from './sniff.ts';
import { openCaptureTable } from './table-capture.ts';
import { openCsvTable } from './table-csv.ts';
import { openJsonlTable } from './table-jsonl.ts';
import { bufferedSource, openParquetTable, type RandomAccessSource } from './table-parquet.ts';
import type { OpenTableOptions, Table, TableFormat } from './table-types.ts';
import { decodeUtf8 } from './text.ts';

export { looksLikeHeader } from './table-csv.ts';
export type { RandomAccessSource } from './table-parquet.ts';

/** `.parquet` names a Parquet file for format 'auto': its bytes are no text to sniff */
export const isParquetName = (file: string): boolean => /\.parquet$/i.test(file);
export type { OpenTableOptions, Table, TableFormat, TableSchema } from './table-types.ts';

/**
 * Opens any supported input (CSV, JSON Lines, SageMaker capture, Parquet) as a table of named columns and a stream of rows: the one entry
 * point the profiler and the CLI use. Gzip is detected from the bytes, the format (when
 * 'auto') from the first non-blank line, which is buffered and replayed, never re-read.
 * Reads ahead to the first good record to settle the columns, so it throws InputError for an
 * empty input or a schema that does not fit; bad records later go to `opts.onMalformed`. Parquet (format
 * 'parquet', or 'auto' and a `.parquet` name) is read through `random` when given, else buffered whole.
 */
export async function openTable(
  file: string,
  source: ByteChunks,
  opts: OpenTableOptions,
  random?: () => Promise<RandomAccessSource>,
): Promise<Table> {
  // Parquet needs random access (its schema is in a footer): ranged reads when the source offers them
  if (opts.format === 'parquet' || ((opts.format ?? 'auto') === 'auto' && isParquetName(file)))
    return openParquetTable(file, random ? await random() : await bufferedSource(source), opts);
  const text = decodeUtf8(decodeMaybeGzip(source, file));
  try {
    let format: TableFormat | undefined;
    let head: string[] = [];
    if (opts.format === undefined || opts.format === 'auto')
      ({ head, format } = await sniffFormat(text, readLimits(opts.limits).maxLineLength));
    else format = opts.format;
    if (format === undefined) throw new InputError({ file }, 'empty input: no records');
    const replay = resume(head, text);
    if (format === 'csv') return await openCsvTable(file, replay, opts);
    if (format === 'jsonl') return await openJsonlTable(file, replay, opts);
    return await openCaptureTable(file, replay, opts);
  } catch (error) {
    // the caller gets no rows to drain, so release the source here
    await text.return(undefined);
    throw error;
  }
}
