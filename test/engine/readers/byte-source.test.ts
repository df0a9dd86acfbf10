import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { decodeMaybeGzip, listInputFiles, openFile } from '../../../functions/engine/readers/byte-source.ts';
import { byteByByte, chunked, collect } from './support.ts';

const text = 'a,b\n1,2\n';
const concat = async (source: AsyncIterable<Buffer>): Promise<string> =>
  Buffer.concat(await collect(source)).toString('utf8');

describe('decodeMaybeGzip', () => {
  it('passes plain bytes through unchanged', async () => {
    expect(await concat(decodeMaybeGzip(chunked(text, [1, 5])))).toBe(text);
  });

  it('gunzips content that starts with the gzip magic bytes, whatever its name', async () => {
    expect(await concat(decodeMaybeGzip(chunked(gzipSync(text), [7])))).toBe(text);
  });

  it('finds the magic bytes even when they arrive in separate chunks', async () => {
    expect(await concat(decodeMaybeGzip(byteByByte(gzipSync(text))))).toBe(text);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const twoMembers = Buffer.concat([gzipSync('a\n'), gzipSync('b\n')]);
    expect(await concat(decodeMaybeGzip(chunked(twoMembers)))).toBe('a\nb\n');
  });

  it('accepts string and Uint8Array chunks', async () => {
    async function* mixed(): AsyncGenerator<string | Uint8Array> {
      yield 'x,';
      yield new Uint8Array([0x79, 0x0a]);
    }
    expect(await concat(decodeMaybeGzip(mixed()))).toBe('x,y\n');
  });

  it('yields nothing for an empty source and a single byte for a one-byte source', async () => {
    expect(await collect(decodeMaybeGzip(chunked('')))).toEqual([]);
    expect(await concat(decodeMaybeGzip(chunked('\x1f')))).toBe('\x1f');
  });

  it('rejects corrupt gzip with an InputError naming the input', async () => {
    const truncated = gzipSync('x'.repeat(10_000)).subarray(0, 20);
    const error = await collect(decodeMaybeGzip(chunked(truncated), 's3://b/k.jsonl')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^s3:\/\/b\/k\.jsonl: cannot gunzip/);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (;;) yield Buffer.from('line\n');
      } finally {
        closed = true;
      }
    }
    for await (const _ of decodeMaybeGzip(source())) break;
    expect(closed).toBe(true);
  });

  it('round-trips any bytes through gzip at any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.nat(2000), { maxLength: 8 }),
        async (bytes, cuts) => {
          const zipped = gzipSync(bytes);
          const out = Buffer.concat(await collect(decodeMaybeGzip(chunked(zipped, cuts))));
          expect(out.equals(Buffer.from(bytes))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('openFile and listInputFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'readers-'));
    await mkdir(join(dir, 'b', 'deep'), { recursive: true });
    await mkdir(join(dir, '.hidden'));
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'a.csv'), text);
    await writeFile(join(dir, 'b', 'z.csv.gz'), gzipSync(text));
    await writeFile(join(dir, 'b', 'no-suffix'), gzipSync(text));
    await writeFile(join(dir, 'b', 'deep', 'c.jsonl'), '{}\n');
    await writeFile(join(dir, 'b', '.DS_Store'), 'junk');
    await writeFile(join(dir, '.hidden', 'x.csv'), text);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzipped files to the same text, with or without a .gz suffix', async () => {
    const plain = await concat(openFile(join(dir, 'a.csv')));
    expect(plain).toBe(text);
    expect(await concat(openFile(join(dir, 'b', 'z.csv.gz')))).toBe(plain);
    expect(await concat(openFile(join(dir, 'b', 'no-suffix')))).toBe(plain);
  });

  it('rejects a missing file with an InputError naming it', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(collect(openFile(missing))).rejects.toThrow(
      new InputError({ file: missing }, 'no such file or directory'),
    );
  });

  it('lists a file as itself', async () => {
    expect(await listInputFiles(join(dir, 'a.csv'))).toEqual([join(dir, 'a.csv')]);
  });

  it('lists a directory recursively, sorted, without dotfiles or dot-directories', async () => {
    expect(await listInputFiles(dir)).toEqual([
      join(dir, 'a.csv'),
      join(dir, 'b', 'deep', 'c.jsonl'),
      join(dir, 'b', 'no-suffix'),
      join(dir, 'b', 'z.csv.gz'),
    ]);
  });

  it('rejects a missing path', async () => {
    await expect(listInputFiles(join(dir, 'absent'))).rejects.toBeInstanceOf(InputError);
  });

  it('rejects a directory holding no files', async () => {
    await expect(listInputFiles(join(dir, 'empty'))).rejects.toThrow(/no input files/);
  });
});
