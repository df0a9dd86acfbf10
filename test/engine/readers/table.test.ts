import { createReadStream, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';
import {
  looksLikeHeader,
  type OpenTableOptions,
  openTable,
  type Table,
} from '../../../functions/engine/readers/table.ts';
import { type CaptureRow, isCaptureRow, type Row } from '../../../functions/engine/readers/types.ts';
import { byteByByte, chunked, collect, malformedLog, READER_FIXTURES, SEATTLE_WEATHER } from './support.ts';

const open = async (
  text: string | Buffer,
  opts: Partial<OpenTableOptions> = {},
): Promise<{ table: Table; rows: Row[]; malformed: ReturnType<typeof malformedLog>['records'] }> => {
  const log = malformedLog();
  const table = await openTable('in', chunked(text, [5, 17, 40]), { onMalformed: log.sink, ...opts });
  return { table, rows: await collect(table.rows), malformed: log.records };
};
const valuesOf = (rows: Row[]): unknown[][] => rows.map((r) => r.values);

const capture = (input: string, output: string, eventId = 'e'): string =>
  JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: input, encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: output, encoding: 'CSV' },
    },
    eventMetadata: { eventId, inferenceTime: '2026-01-01T00:00:00Z' },
    eventVersion: '0',
  });

describe('openTable: format sniffing', () => {
  it.each([
    ['csv', '\n\na,b\n1,2\n'],
    ['jsonl', '\n{"a":1}\n'],
    ['jsonl', '[1,2]\n[3,4]\n'],
    ['capture', `\n${capture('1', '2')}\n`],
    // a broken first line still names captureData, so the file stays capture
    ['capture', `{"captureData": {"endpointInput": \n${capture('1', '2')}\n`],
  ])('tells %s from %j', async (format, text) => {
    const log = malformedLog();
    const table = await openTable('in', chunked(text), { onMalformed: log.sink });
    expect(table.format).toBe(format);
  });

  it('replays the sniffed line instead of losing it, even when it spans chunks', async () => {
    const line = capture('1,2', '0.5');
    const log = malformedLog();
    const table = await openTable('in', byteByByte(`${line}\n${line}`), { onMalformed: log.sink });
    expect(valuesOf(await collect(table.rows))).toEqual([
      ['1', '2', '0.5'],
      ['1', '2', '0.5'],
    ]);
  });

  it('obeys an explicit format over the sniffed one', async () => {
    const { table, rows } = await open('[1,2]\n', { format: 'csv', header: false });
    expect(table.format).toBe('csv');
    expect(valuesOf(rows)).toEqual([['[1', '2]']]);
  });

  it.each([
    ['auto', ''],
    ['auto', ' \n\r\n\t\n'],
    ['csv', '\n\n'],
    ['jsonl', '\n'],
    ['capture', ''],
  ] as const)('rejects empty input (format %s)', async (format, text) => {
    const log = malformedLog();
    await expect(openTable('in.csv', chunked(text), { format, onMalformed: log.sink })).rejects.toThrow(
      new InputError({ file: 'in.csv' }, 'empty input: no records'),
    );
  });

  it('gives identical rows for plain and gzipped input, with or without a .gz name', async () => {
    const plain = readFileSync(`${READER_FIXTURES}monitor--capture.jsonl`);
    const a = await open(plain);
    const b = await open(gzipSync(plain));
    expect(b.table.columns).toEqual(a.table.columns);
    expect(b.rows).toEqual(a.rows);
    expect(a.rows).toHaveLength(44);
  });
});

describe('openTable: CSV', () => {
  it('detects the header of seattle-weather.csv and reads all its rows', async () => {
    const log = malformedLog();
    const table = await openTable(SEATTLE_WEATHER, openFile(SEATTLE_WEATHER), { onMalformed: log.sink });
    const rows = await collect(table.rows);
    expect(table.columns).toEqual(['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather']);
    expect(rows).toHaveLength(1461);
    expect(rows[0]).toEqual({ line: 2, values: ['2012-01-01', '0.0', '12.8', '5.0', '4.7', 'drizzle'] });
    expect(rows.some(isCaptureRow)).toBe(false);
    expect(rows.at(-1)?.line).toBe(1462);
    expect(log.records).toEqual([]);
  });

  it("names a headerless CSV's columns _c0.. as Model Monitor does", async () => {
    const { table, rows } = await open('3.0,0.0,a\n1.0,,b\n');
    expect(table.columns).toEqual(['_c0', '_c1', '_c2']);
    expect(valuesOf(rows)).toEqual([
      ['3.0', '0.0', 'a'],
      ['1.0', null, 'b'],
    ]);
  });

  it('reads a quoted empty field as an empty string and a bare one as missing', async () => {
    const { rows } = await open('a,b\n"",\n');
    expect(valuesOf(rows)).toEqual([['', null]]);
  });

  it('uses schema names for a headerless CSV', async () => {
    const { table } = await open('1,2\n', { schema: { inputNames: ['x', 'y'] } });
    expect(table.columns).toEqual(['x', 'y']);
  });

  it('rejects schema names that do not fit the data', async () => {
    await expect(open('1,2\n', { schema: { inputNames: ['x'] } })).rejects.toThrow(
      /schema gives 1 column names but the data has 2 fields/,
    );
  });

  it.each([
    [true, 'a,b\n1,2\n', ['a', 'b'], [['1', '2']]],
    [
      false,
      'a,b\n1,2\n',
      ['_c0', '_c1'],
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [true, ',b\n1,2\n', ['_c0', 'b'], [['1', '2']]],
  ])('honours header: %s', async (header, text, columns, values) => {
    const { table, rows } = await open(text, { header });
    expect(table.columns).toEqual(columns);
    expect(valuesOf(rows)).toEqual(values);
  });

  it('rejects a forced header with duplicate names', async () => {
    await expect(open('a,a\n1,2\n', { header: true })).rejects.toThrow(
      'in:1: duplicate column name "a" in header',
    );
  });

  it('reports a record with the wrong field count and skips it', async () => {
    const { rows, malformed } = await open('a,b\n1,2\n1,2,3\n4\n5,6\n');
    expect(valuesOf(rows)).toEqual([
      ['1', '2'],
      ['5', '6'],
    ]);
    expect(malformed).toEqual([
      { file: 'in', line: 3, reason: 'expected 2 fields, found 3', raw: '1,2,3' },
      { file: 'in', line: 4, reason: 'expected 2 fields, found 1', raw: '4' },
    ]);
  });

  it('reports a CSV syntax error with file:line and reads the lines after it', async () => {
    const { rows, malformed } = await open('a,b\n1,2\n3,"4\n5,6\n');
    expect(valuesOf(rows)).toEqual([
      ['1', '2'],
      ['5', '6'],
    ]);
    expect(malformed).toEqual([
      expect.objectContaining({
        file: 'in',
        line: 3,
        reason: 'unterminated quoted field (closing quote missing)',
      }),
    ]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield Buffer.from('a,b\n');
        for (let i = 0; ; i++) yield Buffer.from(`${i},${i}\n`);
      } finally {
        closed = true;
      }
    }
    const table = await openTable('in', source(), { onMalformed: () => {} });
    let seen = 0;
    for await (const _ of table.rows) if (++seen === 3) break;
    expect(closed).toBe(true);
  });
});

describe('looksLikeHeader', () => {
  it.each([
    [['date', 'precipitation', 'weather'], true],
    // a header whose names repeat is still a header: reading it fails, naming the name
    [['a', 'b', 'a'], true],
    [['a', '', 'c'], false],
    [['a', '1.5', 'c'], false],
    [['a', '-3e5', 'c'], false],
    [['a', 'NaN'], false],
    [['2012-01-01', 'rain'], true],
  ])('%j → %s', (fields, expected) => {
    expect(looksLikeHeader(fields)).toBe(expected);
  });
});

describe('openTable: JSON Lines', () => {
  it('takes columns from the first object; missing keys are null, nested or unknown ones malformed', async () => {
    const text = [
      '{"a":1,"b":"x"}',
      '{"b":"y"}',
      '{"a":2,"c":3}',
      '{"a":{"n":1}}',
      '[1,2]',
      '{"a":true,"b":null}',
    ].join('\n');
    const { table, rows, malformed } = await open(text);
    expect(table).toMatchObject({ format: 'jsonl', columns: ['a', 'b'] });
    expect(rows).toEqual([
      { line: 1, values: [1, 'x'] },
      { line: 2, values: [null, 'y'] },
      { line: 6, values: [true, null] },
    ]);
    expect(malformed.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([
      { line: 3, field: 'c', reason: 'unexpected field "c"' },
      { line: 4, field: 'a', reason: 'nested object in field "a"' },
      { line: 5, field: undefined, reason: 'expected a JSON object, found array' },
    ]);
  });

  it('names array rows _c0.. or by schema, and checks their width', async () => {
    const plain = await open('[1,"a"]\n[2,"b",3]\n[null,false]\n');
    expect(plain.table.columns).toEqual(['_c0', '_c1']);
    expect(valuesOf(plain.rows)).toEqual([
      [1, 'a'],
      [null, false],
    ]);
    expect(plain.malformed[0]).toMatchObject({ line: 2, reason: 'expected 2 fields, found 3' });
    const named = await open('[1,"a"]\n', { schema: { inputNames: ['n', 's'] } });
    expect(named.table.columns).toEqual(['n', 's']);
  });

  it('reports bad lines before the first good one and still settles the columns', async () => {
    const { table, rows, malformed } = await open('{"a":\n42\n{"a":1}\n');
    expect(table.columns).toEqual(['a']);
    expect(valuesOf(rows)).toEqual([[1]]);
    expect(malformed.map((m) => m.line)).toEqual([1, 2]);
    expect(malformed[1]?.reason).toBe('expected a JSON object or array, found number');
  });
});

describe('openTable: capture', () => {
  it('reads the SDK fixture: 44 rows of 7 inputs and 1 output, with metadata', async () => {
    const file = `${READER_FIXTURES}monitor--capture.jsonl`;
    const log = malformedLog();
    const table = await openTable(file, createReadStream(file), { onMalformed: log.sink });
    const rows = (await collect(table.rows)) as CaptureRow[];
    expect(table.format).toBe('capture');
    expect(table.columns).toEqual(['_c0', '_c1', '_c2', '_c3', '_c4', '_c5', '_c6', 'prediction']);
    expect(rows).toHaveLength(44);
    expect(rows[0]).toEqual({
      line: 1,
      values: ['9', '45', '45', '42', '7', '5', '0', '0.302709460258'],
      capture: { eventId: '74b0dd56-e7c8-368e-94b1-14a138a96000', inferenceTime: '{%s}' },
    });
    expect(log.records).toEqual([]);
    expect(rows.every(isCaptureRow)).toBe(true);
  });

  it('reads the SDK fixture with JSON instances and predictions, one row per instance', async () => {
    const file = `${READER_FIXTURES}monitor--captured-data.jsonl`;
    const log = malformedLog();
    const table = await openTable(file, openFile(file), { onMalformed: log.sink });
    const rows = (await collect(table.rows)) as CaptureRow[];
    expect(table.columns).toEqual(['_c0', 'prediction']);
    expect(valuesOf(rows)).toEqual([
      [1, 3.5],
      [2, 4],
      [5, 5.5],
      [1, 3.5],
      [2, 4],
      [5, 5.5],
    ]);
    expect(rows.map((r) => r.capture.eventId)).toEqual([
      ...Array(3).fill('12b73486-e916-45de-9d82-7fa23d4a39a6'),
      ...Array(3).fill('f9305ead-ba10-401d-953c-8bfb981da274'),
    ]);
    expect(log.records).toEqual([]);
  });

  it('names columns by schema, and several outputs prediction_0..', async () => {
    const { table } = await open(capture('1,2', '0.1,0.9'), { schema: { inputNames: ['x', 'y'] } });
    expect(table.columns).toEqual(['x', 'y', 'prediction_0', 'prediction_1']);
    const named = await open(capture('1,2', '0.1,0.9'), { schema: { outputNames: ['p0', 'p1'] } });
    expect(named.table.columns).toEqual(['_c0', '_c1', 'p0', 'p1']);
  });

  it('rejects schema names that do not fit the first record', async () => {
    await expect(open(capture('1,2', '0.5'), { schema: { inputNames: ['x'] } })).rejects.toThrow(
      'in:1 field "captureData.endpointInput.data": schema gives 1 names but the data has 2 fields',
    );
  });

  it('uses the keys of keyed JSON payloads as names, aligning later records by name', async () => {
    const keyed = (data: string, id: string): string =>
      JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'application/json', mode: 'INPUT', data, encoding: 'JSON' },
          endpointOutput: {
            observedContentType: 'application/json',
            mode: 'OUTPUT',
            data: '{"predictions":[{"score":0.5}]}',
            encoding: 'JSON',
          },
        },
        eventMetadata: { eventId: id },
      });
    const text = [
      keyed('{"age":30,"city":"Oslo"}', 'a'),
      keyed('{"city":"Rome","age":41}', 'b'),
      keyed('{"zip":1}', 'c'),
    ].join('\n');
    const { table, rows, malformed } = await open(text);
    expect(table.columns).toEqual(['age', 'city', 'score']);
    expect(valuesOf(rows)).toEqual([
      [30, 'Oslo', 0.5],
      [41, 'Rome', 0.5],
    ]);
    expect(malformed).toMatchObject([
      { line: 3, field: 'captureData.endpointInput.data', reason: 'unexpected field "zip"' },
    ]);
  });

  it('reads input-only capture', async () => {
    const line = JSON.stringify({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '1,2', encoding: 'CSV' },
      },
      eventMetadata: { eventId: 'e' },
    });
    const { table, rows } = await open(`${line}\n${line}`);
    expect(table.columns).toEqual(['_c0', '_c1']);
    expect(valuesOf(rows)).toEqual([
      ['1', '2'],
      ['1', '2'],
    ]);
  });
});
