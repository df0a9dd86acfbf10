import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MalformedRecord } from '../../../functions/engine/errors.ts';
import { type CsvRecord, csvRecordBatches } from '../../../functions/engine/readers/csv.ts';
import { decodeUtf8 } from '../../../functions/engine/readers/text.ts';
import { byteByByte, chunked, collect } from './support.ts';

const file = 'data.csv';

/** parses leniently, as the table reader does: bad records go to a list, the rest come out */
const parseLeniently = async (
  source: AsyncIterable<Buffer>,
  maxRecordLength?: number,
): Promise<{ records: CsvRecord[]; malformed: MalformedRecord[] }> => {
  const malformed: MalformedRecord[] = [];
  const batches = await collect(
    csvRecordBatches(decodeUtf8(source), {
      file,
      onMalformed: (record) => malformed.push(record),
      ...(maxRecordLength === undefined ? {} : { maxRecordLength }),
    }),
  );
  return { records: batches.flat(), malformed };
};

const summary = ({ records, malformed }: Awaited<ReturnType<typeof parseLeniently>>) => ({
  rows: records.map((r) => [r.line, ...r.fields]),
  bad: malformed.map((m) => [m.line, m.reason]),
});

describe('CSV recovery: a bad record is reported and reading resumes at the line after its first', () => {
  it.each([
    [
      'a stray quote in a bare field loses its line only',
      'x,y\n1,a\n2,b"x\n3,c\n',
      [
        [1, 'x', 'y'],
        [2, '1', 'a'],
        [4, '3', 'c'],
      ],
      [[3, 'stray quote in an unquoted field (quote the whole field and double inner quotes)']],
    ],
    [
      'text after a closing quote loses its line only',
      'x,y\n"a"b,1\n2,c\n',
      [
        [1, 'x', 'y'],
        [3, '2', 'c'],
      ],
      [[2, 'unexpected character after a closing quote']],
    ],
    [
      'a quote never closed gives back the lines it swallowed',
      'x,y\n1,"a\n2,b\n3,c\n',
      [
        [1, 'x', 'y'],
        [3, '2', 'b'],
        [4, '3', 'c'],
      ],
      [[2, 'unterminated quoted field (closing quote missing)']],
    ],
    [
      'a quote closed by a later field gives back the lines between',
      'x,y\n1,"a\n2,b\n3,"c"\n4,d\n',
      [
        [1, 'x', 'y'],
        [3, '2', 'b'],
        [4, '3', 'c'],
        [5, '4', 'd'],
      ],
      [[2, 'unexpected character after a closing quote']],
    ],
    [
      'a bad line after a good multi-line field',
      'x,y\n"a\nb",1\nc"d,2\n3,e\n',
      [
        [1, 'x', 'y'],
        [2, 'a\nb', '1'],
        [5, '3', 'e'],
      ],
      [[4, 'stray quote in an unquoted field (quote the whole field and double inner quotes)']],
    ],
    [
      'several bad lines, each on its own',
      'x\na"\n1\n"b"c\n2\n"open\n',
      [
        [1, 'x'],
        [3, '1'],
        [5, '2'],
      ],
      [
        [2, 'stray quote in an unquoted field (quote the whole field and double inner quotes)'],
        [4, 'unexpected character after a closing quote'],
        [6, 'unterminated quoted field (closing quote missing)'],
      ],
    ],
  ])('%s', async (_name, text, rows, bad) => {
    const whole = summary(await parseLeniently(chunked(text)));
    expect(whole).toEqual({ rows, bad });
    // every chunk boundary gives the same: inside quotes, inside the text read again, in a skipped line
    expect(summary(await parseLeniently(byteByByte(text)))).toEqual(whole);
  });

  it('keeps the first line of a bad record, up to 200 characters, as its raw text', async () => {
    const { malformed } = await parseLeniently(chunked(`x\n1,"${'a'.repeat(300)}\n2\n`));
    expect(malformed[0]).toMatchObject({ file, line: 2, raw: `1,"${'a'.repeat(197)}` });
  });

  it('loses only the line that was broken, wherever it is and however the bytes come', async () => {
    const cell = fc.stringMatching(/^[a-z0-9 ]{1,5}$/);
    const rows = fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 15 });
    const broken = fc.constantFrom('a"b,c', '"q"x,1', 'x,"open', '"a""b"c,d');
    await fc.assert(
      fc.asyncProperty(
        rows,
        broken,
        fc.nat(),
        fc.array(fc.nat(200), { maxLength: 6 }),
        async (table, bad, at, cuts) => {
          const where = at % (table.length + 1);
          const lines = table.map((r) => r.join(','));
          lines.splice(where, 0, bad);
          const { records, malformed } = await parseLeniently(chunked(`${lines.join('\n')}\n`, cuts));
          expect(records.map((r) => r.fields)).toEqual(table);
          expect(malformed.map((m) => m.line)).toEqual([where + 1]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses any text the same however it is chunked, with or without errors', async () => {
    const text = fc.stringMatching(/^[a",\n]{0,40}$/);
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(40), { maxLength: 8 }), async (input, cuts) => {
        const whole = summary(await parseLeniently(chunked(input)));
        expect(summary(await parseLeniently(chunked(input, cuts)))).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('reads every record of a well-formed file as the strict parser does', async () => {
    const text = 'a,b\n"x,y","q""q"\n"multi\nline",2\n,\n';
    const { records, malformed } = await parseLeniently(chunked(text, [3, 9, 20]));
    expect(malformed).toEqual([]);
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x,y', 'q"q'],
      ['multi\nline', '2'],
      ['', ''],
    ]);
  });
});

describe('CSV recovery: the record cap', () => {
  it('skips a one-line record over the cap and reads the next line', async () => {
    const text = `x,y\n1,${'z'.repeat(50)}\n2,b\n`;
    expect(summary(await parseLeniently(chunked(text, [10, 30]), 20))).toEqual({
      rows: [
        [1, 'x', 'y'],
        [3, '2', 'b'],
      ],
      bad: [[2, 'record longer than the 20-character limit (--max-line-length)']],
    });
  });

  it('gives up a quoted field that runs past the cap and reads again the lines it swallowed', async () => {
    const text = 'x,y\n1,"open\n2,b\n3,c\n4,d\n5,e\n';
    expect(summary(await parseLeniently(byteByByte(text), 12))).toEqual({
      rows: [
        [1, 'x', 'y'],
        [3, '2', 'b'],
        [4, '3', 'c'],
        [5, '4', 'd'],
        [6, '5', 'e'],
      ],
      bad: [[2, 'record longer than the 12-character limit (--max-line-length)']],
    });
  });

  it('takes a record of exactly the cap', async () => {
    const { records, malformed } = await parseLeniently(chunked('abcde\nxy\n'), 5);
    expect(malformed).toEqual([]);
    expect(records.map((r) => r.fields)).toEqual([['abcde'], ['xy']]);
  });
});
