import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import { type ByteChunks, CHUNK_BYTES, toBuffer } from './byte-source.ts';

/** Bytes [start, end) of one object: the unit a worker profiles when a window fans out. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

const LF = 10;

/** Where to start reading an object for `range`: one byte early, to see whether a line starts at `start`. */
export const readStartOf = (range: ByteRange): number => Math.max(0, range.start - 1);

/** Counts the lines a range reader passed on, so a reducer can number its parts' lines as one file. */
export interface LineCount {
  lines: number;
}

/**
 * The bytes of the lines that start inside `range` of a line-delimited object (JSON Lines, capture),
 * given the object's bytes from `readStartOf(range)` on. A line belongs to the range holding its first
 * byte, so ranges that tile an object read every line exactly once: a range drops the line it starts
 * inside of (its predecessor reads it) and reads past its end to finish its own last line. It stops
 * there, returning the source, so a reader may hand it an open-ended stream. `count.lines` ends as the
 * number of newlines passed on. Not for CSV, whose quoted fields may hold newlines, nor for gzip.
 */
export async function* linesInRange(
  source: ByteChunks,
  range: ByteRange,
  count: LineCount = { lines: 0 },
): AsyncGenerator<Buffer> {
  if (!(range.start >= 0 && range.end >= range.start)) {
    throw new RangeError(`bad byte range [${range.start}, ${range.end})`);
  }
  if (range.end === range.start) return;
  let offset = readStartOf(range); // object offset of the next chunk's first byte
  let skipping = range.start > 0; // dropping the line the range starts inside of
  const countLines = (bytes: Buffer): void => {
    for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) count.lines += 1;
  };
  for await (const chunk of source) {
    let bytes = toBuffer(chunk);
    let bytesStart = offset;
    offset += bytes.length;
    if (skipping) {
      const lf = bytes.indexOf(LF);
      if (lf === -1) continue;
      skipping = false;
      bytes = bytes.subarray(lf + 1);
      bytesStart += lf + 1;
      // the first whole line starts at or past the end: it and the rest belong to the next range
      if (bytesStart >= range.end) return;
    }
    // the range's last line ends at the first newline at or after end - 1
    const from = Math.max(0, range.end - 1 - bytesStart);
    const lf = from < bytes.length ? bytes.indexOf(LF, from) : -1;
    const out = lf === -1 ? bytes : bytes.subarray(0, lf + 1);
    countLines(out);
    if (out.length > 0) yield out;
    if (lf !== -1) return;
  }
}

/** Splits an object of `size` bytes into `parts` ranges of nearly equal size that tile it. */
export const splitRanges = (size: number, parts: number): ByteRange[] => {
  if (!Number.isInteger(parts) || parts < 1)
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
  return Array.from({ length: parts }, (_, i) => ({
    start: Math.floor((size * i) / parts),
    end: Math.floor((size * (i + 1)) / parts),
  }));
};

/** The lines of a local file that start inside `range` (see `linesInRange`); rejects gzip, which cannot be split. */
export async function* openFileRange(
  path: string,
  range: ByteRange,
  count?: LineCount,
): AsyncGenerator<Buffer> {
  const file = await open(path);
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) {
      throw new InputError(
        { file: path },
        'a gzip file cannot be read by byte range; split the window by file',
      );
    }
  } finally {
    await file.close();
  }
  const stream = createReadStream(path, { start: readStartOf(range), highWaterMark: CHUNK_BYTES });
  yield* linesInRange(stream, range, count);
}
