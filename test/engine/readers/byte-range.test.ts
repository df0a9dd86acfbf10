import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ByteRange,
  type LineCount,
  linesInRange,
  openFileRange,
  readStartOf,
  splitRanges,
} from '../../../functions/engine/readers/byte-range.ts';
import { decodeUtf8 } from '../../../functions/engine/readers/text.ts';
import { chunked, collect } from './support.ts';

const readRange = async (bytes: Buffer, range: ByteRange, cuts: number[] = []) => {
  const count: LineCount = { lines: 0 };
  const from = readStartOf(range);
  const out = Buffer.concat(await collect(linesInRange(chunked(bytes.subarray(from), cuts), range, count)));
  return { text: out.toString('latin1'), lines: count.lines };
};

/** Cut points that tile [0, size): sorted, distinct, inside. */
const tiling = (size: number, cuts: number[]): ByteRange[] => {
  const points = [...new Set(cuts.map((c) => c % (size + 1)))]
    .sort((a, b) => a - b)
    .filter((c) => c > 0 && c < size);
  const bounds = [0, ...points, size];
  return bounds.slice(1).map((end, i) => ({ start: bounds[i]!, end }));
};

describe('linesInRange', () => {
  it('reads every line exactly once over ranges that tile the object, however the bytes are chunked', async () => {
    const line = fc.stringMatching(/^[a-z{}",:0-9]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 15 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(60), { maxLength: 4 }),
        async (lines, trailingNewline, cuts, chunkCuts) => {
          const content = lines.join('\n') + (trailingNewline && lines.length > 0 ? '\n' : '');
          const bytes = Buffer.from(content, 'latin1');
          const parts: Array<{ text: string; lines: number }> = [];
          for (const range of tiling(bytes.length, cuts))
            parts.push(await readRange(bytes, range, chunkCuts));
          expect(parts.map((p) => p.text).join('')).toBe(content);
          for (const part of parts) expect(part.lines).toBe(part.text.split('\n').length - 1);
          // no line is split between two parts: a part with text after it ends with its newline
          parts.forEach((part, i) => {
            const after = parts
              .slice(i + 1)
              .map((p) => p.text)
              .join('');
            if (part.text !== '' && after !== '') expect(part.text.endsWith('\n')).toBe(true);
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it.each([
    ['starts exactly at a line', { start: 4, end: 8 }, 'def\n'],
    ['starts inside a line: that line is the previous range’s', { start: 5, end: 8 }, ''],
    ['ends inside a line: it reads the line to its end', { start: 0, end: 5 }, 'abc\ndef\n'],
    ['ends just after a newline', { start: 0, end: 4 }, 'abc\n'],
    ['is empty', { start: 3, end: 3 }, ''],
    ['runs past the end of the object', { start: 8, end: 100 }, 'gh'],
  ])('a range that %s', async (_name, range, expected) => {
    expect((await readRange(Buffer.from('abc\ndef\ngh'), range)).text).toBe(expected);
  });

  it('fails on a bad range', async () => {
    await expect(collect(linesInRange(chunked('abc'), { start: 2, end: 1 }))).rejects.toThrow(RangeError);
  });
});

describe('splitRanges', () => {
  it('tiles an object into nearly equal ranges', () => {
    expect(splitRanges(10, 3)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
    expect(() => splitRanges(10, 0)).toThrow(RangeError);
  });
});

describe('openFileRange', () => {
  const dir = mkdtempSync(join(tmpdir(), 'model-care-range-'));

  it('reads the lines of a local file that start in the range', async () => {
    const path = join(dir, 'lines.jsonl');
    writeFileSync(path, 'one\ntwo\nthree\n');
    const count: LineCount = { lines: 0 };
    const text = (await collect(decodeUtf8(openFileRange(path, { start: 2, end: 9 }, count)))).join('');
    expect(text).toBe('two\nthree\n');
    expect(count.lines).toBe(2);
  });

  it('rejects a gzip file, which cannot be split by bytes', async () => {
    const path = join(dir, 'lines.jsonl.gz');
    writeFileSync(path, gzipSync('one\ntwo\n'));
    await expect(collect(openFileRange(path, { start: 0, end: 4 }))).rejects.toThrow(/gzip/);
  });
});

describe('decodeUtf8', () => {
  it('decodes any chunking of mixed ASCII and multi-byte text as TextDecoder does', async () => {
    const piece = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('é', '€', '😀', '\uFEFF', 'a\nb'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 8 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        fc.boolean(),
        async (pieces, cuts, broken) => {
          let bytes = Buffer.from(pieces.join(''), 'utf8');
          // a truncated multi-byte sequence in the middle, which decodes to U+FFFD either way
          if (broken) bytes = Buffer.concat([bytes, Buffer.from([0xe2, 0x82]), Buffer.from('tail')]);
          const expected = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
          expect((await collect(decodeUtf8(chunked(bytes, cuts)))).join('')).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
