import { type AsyncBuffer, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { InputError } from '../errors.ts';
import type { ByteChunks } from './byte-source.ts';
import { type Table, tableOf } from './table-types.ts';
import type { CellValue, MalformedSink, Row } from './types.ts';

/** Random access to a file's bytes: Parquet keeps its schema in a footer, so it cannot be read front to back. */
export type RandomAccessSource = AsyncBuffer;

const MAGIC = 'PAR1';

const magicAt = async (source: RandomAccessSource, start: number): Promise<boolean> =>
  Buffer.from(await source.slice(start, start + MAGIC.length)).toString('latin1') === MAGIC;

/** The cell a Parquet value becomes; undefined for a nested value (list, map, struct), which no column holds. */
const cellOf = (value: unknown): CellValue | undefined => {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      // INT64 columns: exact when safe, else kept as text, as a CSV reader would see it
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      return undefined;
  }
};

/**
 * A table over a Parquet file, read one row group at a time: memory holds one row group, never the file. The
 * columns are the schema's top-level fields. A row holding a nested value (list, map, struct) goes to
 * `onMalformed` naming the column, and the rest are used. A file without Parquet's `PAR1` magic at both ends,
 * or whose footer does not parse, is an InputError naming it.
 */
export const openParquetTable = async (
  file: string,
  source: RandomAccessSource,
  opts: { onMalformed: MalformedSink },
): Promise<Table> => {
  const size = source.byteLength;
  if (
    size < 2 * MAGIC.length + 4 ||
    !(await magicAt(source, 0)) ||
    !(await magicAt(source, size - MAGIC.length))
  )
    throw new InputError({ file }, 'not a Parquet file (no PAR1 magic at its start and end)');
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(source);
  } catch (error) {
    throw new InputError(
      { file },
      `unreadable Parquet footer: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  if (columns.length === 0) throw new InputError({ file }, 'empty input: the Parquet schema has no columns');

  async function* batches(): AsyncGenerator<Row[]> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let read: unknown[][] = [];
      try {
        await parquetRead({
          file: source,
          metadata,
          rowStart,
          rowEnd,
          rowFormat: 'array',
          onComplete: (rows: unknown[][]) => {
            read = rows;
          },
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new InputError({ file, line: rowStart + 1 }, `unreadable Parquet row group: ${reason}`);
      }
      const out: Row[] = [];
      for (const [k, values] of read.entries()) {
        // a Parquet row has no line: its 1-based row number stands in, so reports still point at it
        const line = rowStart + k + 1;
        const cells = new Array<CellValue>(columns.length);
        let nested = -1;
        for (let c = 0; c < columns.length; c++) {
          const cell = cellOf(values[c]);
          if (cell === undefined) {
            nested = c;
            break;
          }
          cells[c] = cell;
        }
        if (nested !== -1) {
          opts.onMalformed({
            file,
            line,
            field: columns[nested]!,
            reason: 'nested value (a row holds only numbers, strings, booleans and nulls)',
          });
          continue;
        }
        out.push({ line, values: cells });
      }
      rowStart = rowEnd;
      if (out.length > 0) yield out;
    }
  }
  return tableOf(columns, 'parquet', batches());
};

/**
 * Random access over bytes already in memory: for sources that can only stream (the caller then holds the
 * whole file, so prefer a ranged source for large files).
 */
export const bufferedSource = async (chunks: ByteChunks): Promise<RandomAccessSource> => {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks)
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  const bytes = Buffer.concat(parts);
  return {
    byteLength: bytes.length,
    slice: async (start, end) => {
      const view = bytes.subarray(start, end ?? bytes.length);
      return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
    },
  };
};
