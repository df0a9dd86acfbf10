import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { type CsvRecord, parseCsv, parseCsvLine } from '../../../functions/engine/readers/csv.ts';
import { byteByByte, chunked, collect } from './support.ts';

const file = 'data.csv';
const parse = (text: string, delimiter?: string): Promise<CsvRecord[]> =>
  collect(parseCsv(chunked(text), { file, ...(delimiter === undefined ? {} : { delimiter }) }));
const fieldsOf = (records: CsvRecord[]): string[][] => records.map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it.each([
    [
      'plain fields',
      'a,b,c\n1,2,3\n',
      [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    ],
    [
      'no newline at the end',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF line ends',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['empty fields', ',a,,\n', [['', 'a', '', '']]],
    ['a trailing delimiter at EOF', 'a,', [['a', '']]],
    [
      'blank lines skipped',
      '\na,b\n\n\r\n1,2\n\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['a quoted field', '"a b",c\n', [['a b', 'c']]],
    ['an embedded delimiter', '"a,b",c\n', [['a,b', 'c']]],
    ['an escaped quote', '"say ""hi""",x\n', [['say "hi"', 'x']]],
    ['only an escaped quote', '"""",x\n', [['"', 'x']]],
    ['an embedded LF', '"line1\nline2",x\n', [['line1\nline2', 'x']]],
    ['an embedded CRLF, kept verbatim', '"line1\r\nline2",x\r\n', [['line1\r\nline2', 'x']]],
    ['a quoted empty field', '"",a\n', [['', 'a']]],
    ['a line holding only a quoted empty field', '""\n', [['']]],
    ['a quoted field followed by CRLF at EOF', 'a,"b"\r\n', [['a', 'b']]],
    ['spaces kept as data', ' a , b \n', [[' a ', ' b ']]],
    ['unicode', 'é,"ü,ß",😀\n', [['é', 'ü,ß', '😀']]],
  ])('reads %s', async (_name, text, expected) => {
    expect(fieldsOf(await parse(text))).toEqual(expected);
    // the same at every chunk boundary: inside quotes, between "" and after CR
    expect(fieldsOf(await collect(parseCsv(byteByByte(text), { file })))).toEqual(expected);
  });

  it('numbers each record by the line where it starts', async () => {
    const records = await parse('h1,h2\n"a\nb\nc",1\n\nx,2\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('marks quoted fields, and only when the record has one', async () => {
    const [bare, quoted] = await parse('a,\n"",b\n');
    expect(bare).toEqual({ line: 1, fields: ['a', ''] });
    expect(quoted).toEqual({ line: 2, fields: ['', 'b'], quoted: [true, false] });
  });

  it('honours another delimiter', async () => {
    expect(fieldsOf(await parse('a;"b;c";d,e\n', ';'))).toEqual([['a', 'b;c', 'd,e']]);
    expect(fieldsOf(await parse('a\tb\n', '\t'))).toEqual([['a', 'b']]);
  });

  it.each([
    ['an unterminated quote at EOF', 'a,b\n1,"open\nmore\n', 'data.csv:2: unterminated quoted field'],
    [
      'a stray quote inside an unquoted field',
      'a,b\n1,x"y\n',
      'data.csv:2: stray quote in an unquoted field',
    ],
    [
      'text after a closing quote',
      'a,b\n\n"q"x,1\n',
      'data.csv:3: unexpected character after a closing quote',
    ],
    ['a stray quote on the line after a multi-line field', '"a\nb",1\nc"d,2\n', 'data.csv:3: stray quote'],
  ])('rejects %s with an InputError naming file:line', async (_name, text, message) => {
    const error = await parse(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
  });

  it('rejects a delimiter that is not one plain character', async () => {
    await expect(parse('a', ',,')).rejects.toThrow(/delimiter must be one character/);
    await expect(parse('a', '"')).rejects.toThrow(/delimiter must be one character/);
  });

  it('reads back any table written per RFC 4180, however the bytes are chunked', async () => {
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.stringMatching(/^[a-z0-9 ,"\r\n]{0,6}$/),
    );
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((width) =>
        fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }),
      );
    const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;
    const serialize = (rows: string[][], crlf: boolean, quoteAll: boolean): string =>
      rows
        .map((row) => row.map((v) => (quoteAll || v === '' || /[",\r\n]/.test(v) ? quote(v) : v)).join(','))
        .join(crlf ? '\r\n' : '\n');
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 12 }),
        async (rows, crlf, quoteAll, cuts) => {
          const text = serialize(rows, crlf, quoteAll);
          const records = await collect(parseCsv(chunked(text, cuts), { file }));
          expect(fieldsOf(records)).toEqual(rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseCsvLine', () => {
  const at = { file: 'capture.jsonl', line: 7 };

  it.each([
    ['1.5,2,a', ['1.5', '2', 'a']],
    ['"x,y",,"q""q"', ['x,y', '', 'q"q']],
    ['', ['']],
    ['0.83', ['0.83']],
  ])('parses %j', (text, expected) => {
    expect(parseCsvLine(text, at)).toEqual(expected);
  });

  it('rejects a stray quote, naming the capture line', () => {
    expect(() => parseCsvLine('a"b', at)).toThrow('capture.jsonl:7: stray quote');
  });

  it('rejects text holding two records', () => {
    expect(() => parseCsvLine('1,2\n3,4', at)).toThrow('capture.jsonl:7: expected one CSV record, found 2');
  });
});
