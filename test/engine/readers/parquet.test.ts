import { readFileSync } from 'node:fs';
import { asyncBufferFromFile } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';
import { openTable } from '../../../functions/engine/readers/table.ts';
import { bufferedSource, openParquetTable } from '../../../functions/engine/readers/table-parquet.ts';
import type { Row } from '../../../functions/engine/readers/types.ts';
import { chunked, collect, malformedLog } from './support.ts';

// written by test/fixtures/batch-transform/make_fixtures.py (pyarrow): 300 rows in row groups of 100
const FIXTURES = new URL('../../fixtures/batch-transform/', import.meta.url).pathname;

/** the table as the script writes it, computed here independently of any reader */
const expected = (): unknown[][] =>
  Array.from({ length: 300 }, (_, i) => [
    20 + ((i * 7) % 45),
    i % 50 === 49 ? null : 1000 + ((i * 37) % 900),
    ['a', 'b', 'c'][i % 3],
  ]);

describe('Parquet reader', () => {
  it('reads every row group of a pyarrow file, nulls kept, row numbers as lines', async () => {
    // Prepare
    const log = malformedLog();
    const file = `${FIXTURES}input.parquet`;
    // Act
    const table = await openParquetTable(file, await asyncBufferFromFile(file), { onMalformed: log.sink });
    const batches = await collect(table.batches);
    // Assess
    expect(table.columns).toEqual(['age', 'income', 'segment']);
    expect(table.format).toBe('parquet');
    expect(batches.map((b) => b.length)).toEqual([100, 100, 100]);
    const rows = batches.flat() as Row[];
    expect(rows.map((r) => r.values)).toEqual(expected());
    expect(rows.at(-1)!.line).toBe(300);
    expect(log.records).toEqual([]);
  });

  it('reads the same rows as the CSV and JSON Lines copies of the table', async () => {
    const values = async (name: string): Promise<unknown[][]> => {
      const log = malformedLog();
      const table = await openTable(name, openFile(`${FIXTURES}${name}`), { onMalformed: log.sink });
      return (await collect(table.rows)).map((r) =>
        r.values.map((v) => (v === null ? null : Number.isNaN(Number(v)) ? v : Number(v))),
      );
    };
    const parquet = await values('input.parquet');
    expect(await values('input.csv')).toEqual(parquet);
    expect(await values('input.jsonl')).toEqual(parquet);
  });

  it('reads a streamed source by buffering it', async () => {
    const bytes = readFileSync(`${FIXTURES}input.parquet`);
    const log = malformedLog();
    const table = await openParquetTable('in.parquet', await bufferedSource(chunked(bytes, [3, 1000])), {
      onMalformed: log.sink,
    });
    expect((await collect(table.rows)).length).toBe(300);
  });

  it.each([
    ['a CSV file named .parquet', readFileSync(`${FIXTURES}not-parquet.parquet`)],
    ['an empty file', Buffer.alloc(0)],
    ['a file with the magic at its start only', Buffer.from('PAR1 and then nothing of the sort')],
  ])('rejects %s in one line naming it', async (_, bytes) => {
    const log = malformedLog();
    const attempt = openTable('x.parquet', chunked(bytes), { onMalformed: log.sink });
    await expect(attempt).rejects.toThrow(InputError);
    await expect(attempt).rejects.toThrow(/^x\.parquet: not a Parquet file/);
  });

  it('rejects a file whose footer is damaged, naming it', async () => {
    const bytes = Buffer.from(readFileSync(`${FIXTURES}input.parquet`));
    // the footer length sits just before the closing magic: point it past the start of the file
    bytes.writeUInt32LE(bytes.length * 2, bytes.length - 8);
    const log = malformedLog();
    await expect(openTable('bad.parquet', chunked(bytes), { onMalformed: log.sink })).rejects.toThrow(
      /^bad\.parquet: unreadable Parquet footer/,
    );
  });
});
