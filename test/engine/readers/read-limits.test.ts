import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type MalformedRecord } from '../../../functions/engine/errors.ts';
import { DEFAULT_READ_LIMITS } from '../../../functions/engine/readers/limits.ts';
import { lineBatches } from '../../../functions/engine/readers/lines.ts';
import { type OpenTableOptions, openTable } from '../../../functions/engine/readers/table.ts';
import { decodeUtf8 } from '../../../functions/engine/readers/text.ts';
import { chunked, collect } from './support.ts';

const MIB = 1024 * 1024;

/** `head`, then `mebibytes` MiB of one character without a line break, then `tail`: made as it is read */
async function* hugeLine(head: string, mebibytes: number, tail: string, fill = 'y'): AsyncGenerator<Buffer> {
  yield Buffer.from(head);
  const block = Buffer.alloc(MIB, fill);
  for (let i = 0; i < mebibytes; i++) yield block;
  yield Buffer.from(tail);
}

const read = async (source: AsyncIterable<Buffer>, opts: Partial<OpenTableOptions> = {}) => {
  const malformed: MalformedRecord[] = [];
  const table = await openTable('in', source, { onMalformed: (m) => malformed.push(m), ...opts });
  const rows = await collect(table.rows);
  return {
    columns: table.columns,
    values: rows.map((r) => r.values),
    lines: rows.map((r) => r.line),
    malformed,
  };
};

describe('line cap', () => {
  const split = async (text: string, maxLength: number, cuts: number[] = []) => {
    const tooLong: Array<[number, string]> = [];
    const batches = await collect(
      lineBatches(decodeUtf8(chunked(text, cuts)), {
        maxLength,
        onTooLong: (line, head) => tooLong.push([line, head]),
      }),
    );
    return { lines: batches.flat().map((l) => [l.line, l.text]), tooLong };
  };

  it('reports a line over the cap with its number and start, skips it, and numbers on', async () => {
    expect(await split('ab\nabcdefgh\ncd\nabcdefghij', 5)).toEqual({
      lines: [
        [1, 'ab'],
        [3, 'cd'],
      ],
      tooLong: [
        [2, 'abcdefgh'],
        [4, 'abcdefghij'],
      ],
    });
  });

  it('gives the same lines and reports however the text is chunked', async () => {
    const text = fc.stringMatching(/^[ab\n]{0,60}$/);
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(60), { maxLength: 8 }),
        async (t, max, cuts) => {
          const whole = await split(t, max);
          const pieces = await split(t, max, cuts);
          expect(pieces.lines).toEqual(whole.lines);
          // a line is reported once it passes the cap, with the start of it read so far
          expect(pieces.tooLong.map(([line]) => line)).toEqual(whole.tooLong.map(([line]) => line));
          pieces.tooLong.forEach(([, head], i) => {
            expect(whole.tooLong[i]![1].startsWith(head)).toBe(true);
            expect(head.length).toBeGreaterThan(max);
          });
          for (const [, text] of whole.lines) expect((text as string).length).toBeLessThanOrEqual(max);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('has defaults above any real capture line and feature name', () => {
    // two 6 MB real-time payloads, base64-encoded, are 16 MB; config feature names are at most 128 characters
    expect(DEFAULT_READ_LIMITS.maxLineLength).toBeGreaterThanOrEqual(2 * 16_000_000);
    expect(DEFAULT_READ_LIMITS.maxNameLength).toBeGreaterThanOrEqual(2 * 128);
  });
});

describe('a 64 MiB line without a line break, streamed', () => {
  const limits = { maxLineLength: MIB };

  it('in a CSV: one malformed record, every other row read', async () => {
    const got = await read(hugeLine('x,cat\n1.5,a\n', 64, '\n2.5,b\n3.5,a\n'), { limits });
    expect(got.columns).toEqual(['x', 'cat']);
    expect(got.values).toEqual([
      ['1.5', 'a'],
      ['2.5', 'b'],
      ['3.5', 'a'],
    ]);
    expect(got.lines).toEqual([2, 4, 5]);
    expect(got.malformed).toEqual([
      expect.objectContaining({
        line: 3,
        reason: 'record longer than the 1048576-character limit (--max-line-length)',
      }),
    ]);
    expect(got.malformed[0]!.raw).toHaveLength(200);
  });

  it('in a CSV with nothing else: no header is made of it, and the input is empty', async () => {
    const error = await read(hugeLine('', 64, ''), { limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('in: empty input: no records');
  });

  it('inside a quote that never closes: the record is given up at the cap and the lines after read', async () => {
    const got = await read(hugeLine('x,cat\n1.5,"', 64, '\n2.5,b\n'), { limits });
    expect(got.values).toEqual([['2.5', 'b']]);
    expect(got.malformed.map((m) => m.line)).toEqual([2]);
  });

  it('in JSON Lines: one malformed line, the objects around it read', async () => {
    const got = await read(hugeLine('{"x":1}\n{"x":"', 64, '"}\n{"x":2}\n'), { limits });
    expect(got.values).toEqual([[1], [2]]);
    expect(got.malformed).toEqual([
      expect.objectContaining({
        line: 2,
        reason: 'line longer than the 1048576-character limit (--max-line-length)',
      }),
    ]);
  });

  it('in capture, first of the file: the format is still told and the records after it read', async () => {
    const record = (data: string) =>
      JSON.stringify({
        captureData: {
          endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data, encoding: 'CSV' },
          endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '1', encoding: 'CSV' },
        },
        eventMetadata: { eventId: data },
        eventVersion: '0',
      });
    const got = await read(
      hugeLine('{"captureData":{"endpointInput":{"data":"', 64, `"}}}\n${record('1.5,a')}\n`),
      {
        limits,
      },
    );
    expect(got.columns).toEqual(['_c0', '_c1', 'prediction']);
    expect(got.values).toEqual([['1.5', 'a', '1']]);
    expect(got.malformed.map((m) => m.line)).toEqual([1]);
  });
});

describe('name cap', () => {
  const limits = { maxNameLength: 8 };

  it('rejects a CSV header with a name over the cap, naming file, line and column', async () => {
    const error = await read(chunked('id,averyveryverylongname\n1,2\n'), { limits }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'in:1 field "2": column name of 21 characters, longer than the 8-character limit (--max-name-length) ' +
        '(header detected; pass --no-header if the file has none)',
    );
  });

  it('reads the same long cell as data when the file has no header', async () => {
    const got = await read(chunked('id,averyveryverylongname\n'), { limits, header: false });
    expect(got.values).toEqual([['id', 'averyveryverylongname']]);
  });

  it('skips a first JSON object whose key is over the cap; the next one names the columns', async () => {
    const long = 'k'.repeat(300);
    const got = await read(chunked(`{"${long}":1}\n{"x":2}\n{"x":3}\n`), {});
    expect(got.columns).toEqual(['x']);
    expect(got.values).toEqual([[2], [3]]);
    expect(got.malformed[0]).toMatchObject({
      line: 1,
      reason: 'column name of 300 characters, longer than the 256-character limit (--max-name-length)',
    });
    expect(got.malformed[0]!.field).toBe(`${'k'.repeat(80)}… (300 characters)`);
  });

  it('reports a capture record whose JSON payload has a key over the cap', async () => {
    const record = (payload: object, id: string) =>
      JSON.stringify({
        captureData: {
          endpointInput: {
            observedContentType: 'application/json',
            mode: 'INPUT',
            data: JSON.stringify(payload),
            encoding: 'JSON',
          },
        },
        eventMetadata: { eventId: id },
      });
    const text = `${record({ ['a'.repeat(20)]: 1 }, 'e1')}\n${record({ x: 2 }, 'e2')}\n`;
    const got = await read(chunked(text), { limits });
    expect(got.columns).toEqual(['x']);
    expect(got.values).toEqual([[2]]);
    expect(got.malformed[0]).toMatchObject({
      line: 1,
      field: 'captureData.endpointInput.data',
      reason:
        'column name of 20 characters, longer than the 8-character limit (--max-name-length) at top level',
    });
  });
});

describe('duplicate column names', () => {
  it.each([
    ['detected', {}],
    ['declared', { header: true as const }],
  ])('rejects a header whose names repeat, %s, naming the name and the file', async (_name, opts) => {
    const error = await read(chunked('x,x,cat,n\n1,2,a,3\n'), opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'in:1: duplicate column name "x" in header: every column needs its own name',
    );
  });

  it('reads the same line as data when told the file has no header', async () => {
    const got = await read(chunked('x,x,cat,n\n1,2,a,3\n'), { header: false });
    expect(got.columns).toEqual(['_c0', '_c1', '_c2', '_c3']);
    expect(got.values).toHaveLength(2);
  });
});
