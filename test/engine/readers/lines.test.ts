import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines, type TextLine } from '../../../functions/engine/readers/lines.ts';
import { byteByByte, chunked, collect } from './support.ts';

const lines = (...texts: string[]): TextLine[] => texts.map((text, i) => ({ line: i + 1, text }));

describe('splitLines', () => {
  it.each([
    ['LF', 'a\nb\n', lines('a', 'b')],
    ['CRLF', 'a\r\nb\r\n', lines('a', 'b')],
    ['a last line without newline', 'a\nb', lines('a', 'b')],
    ['blank lines, kept and counted', 'a\n\n\nb\n', lines('a', '', '', 'b')],
    ['a byte-order mark', '\uFEFFa\nb', lines('a', 'b')],
    ['an empty input', '', []],
    ['a lone newline', '\n', lines('')],
    ['a carriage return inside a line', 'a\rb\n', lines('a\rb')],
    ['multi-byte characters', 'é€😀\nß\n', lines('é€😀', 'ß')],
  ])('splits %s', async (_name, input, expected) => {
    expect(await collect(splitLines(chunked(input)))).toEqual(expected);
    // every chunk boundary, including inside a multi-byte character or a CRLF
    expect(await collect(splitLines(byteByByte(input)))).toEqual(expected);
  });

  it('keeps a line spanning many chunks whole', async () => {
    const long = 'x'.repeat(100_000);
    const cuts = Array.from({ length: 50 }, (_, i) => i * 1999 + 1);
    expect(await collect(splitLines(chunked(`${long}\nend`, cuts)))).toEqual(lines(long, 'end'));
  });

  it('gives the same lines for any chunking', async () => {
    const lineText = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.array(fc.nat(500), { maxLength: 10 }),
        async (texts, crlf, cuts) => {
          const input = texts.join(crlf ? '\r\n' : '\n');
          const expected = lines(...texts);
          // a lone empty last line is no line at all: the text ends with the newline before it
          if (texts.length > 1 && texts.at(-1) === '') expected.pop();
          if (texts.length === 1 && texts[0] === '') expected.pop();
          expect(await collect(splitLines(chunked(input, cuts)))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
