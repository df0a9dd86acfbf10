import type { ByteChunks } from './byte-source.ts';
import { decodeUtf8 } from './text.ts';

/** One line of text with its 1-based line number, without its `\n` or `\r\n`. */
export interface TextLine {
  line: number;
  text: string;
}

/** A cap on line length, and who hears of the lines over it. */
export interface LineCap {
  /** characters in a line, without its line break */
  readonly maxLength: number;
  /** called once per line over the cap, with its number and its first characters; the line is not yielded */
  readonly onTooLong: (line: number, head: string) => void;
}

const LF = '\n';
const CR = 13;
/** how much of a line over the cap is kept to report it */
const HEAD_LENGTH = 200;

/**
 * Lines of one chunk of text, as spans of a string rather than strings: line i is
 * `text.slice(starts[i], ends[i])`, without its `\n` or `\r\n`, numbered `numbers[i]` (1-based).
 * A reader on the hot path reads the characters where they lie; cutting a string and an object per line
 * is most of what the garbage collector would otherwise do.
 */
export interface LineBlock {
  readonly text: string;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** doubles: a stream may pass 2^31 lines */
  readonly numbers: Float64Array;
}

/** Grows with a chunk's lines; handed out once whole, and never written after (consumers may keep it). */
class BlockBuilder {
  count = 0;
  starts: Int32Array;
  ends: Int32Array;
  numbers: Float64Array;

  constructor(capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.numbers = new Float64Array(capacity);
  }

  push(text: string, start: number, end: number, number: number): void {
    const i = this.count;
    if (i === this.starts.length) this.grow();
    this.starts[i] = start;
    this.ends[i] = end > start && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    this.numbers[i] = number;
    this.count = i + 1;
  }

  build(text: string): LineBlock {
    const { count, starts, ends, numbers } = this;
    return { text, count, starts, ends, numbers };
  }

  private grow(): void {
    const capacity = Math.max(16, this.starts.length * 2);
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    this.ends = ends;
    const numbers = new Float64Array(capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }
}

/**
 * Splits text chunks into lines, a block or two per chunk (see LineBlock): a line that spans chunks is
 * kept as pieces and joined once, never grown a character at a time, and comes in a block of its own;
 * the lines wholly inside a chunk come as spans of the chunk. Blocks let the readers above do their
 * per-line work synchronously and pay the cost of an async step once per chunk, not per line.
 *
 * With a `cap`, a line longer than `cap.maxLength` is reported to `cap.onTooLong` as soon as it passes the
 * cap, and its characters are dropped up to its line break: memory stays within the cap plus one chunk,
 * whatever the input, and numbering goes on. A chunk's reports are made before its blocks are yielded.
 */
export async function* lineBlocks(text: AsyncIterable<string>, cap?: LineCap): AsyncGenerator<LineBlock> {
  const max = cap?.maxLength ?? Number.POSITIVE_INFINITY;
  const pieces: string[] = [];
  let pending = 0; // characters held in pieces
  let skipping = false; // inside a line over the cap, already reported
  let line = 0;
  // a chunk's count of lines is much like the last one's: start there, and rarely grow
  let expected = 64;
  /** reports the line in progress, whose held pieces are followed by `rest`, and skips what is left of it */
  const tooLong = (rest: string): void => {
    let head = '';
    for (const piece of [...pieces, rest]) {
      head += piece.slice(0, HEAD_LENGTH - head.length);
      if (head.length === HEAD_LENGTH) break;
    }
    cap!.onTooLong(line + 1, head);
    pieces.length = 0;
    pending = 0;
    skipping = true;
  };
  /** holds the start of a line that goes on in the next chunk, unless that passes the cap */
  const hold = (piece: string): void => {
    if (skipping) return;
    pending += piece.length;
    if (pending > max) tooLong(piece);
    else pieces.push(piece);
  };
  for await (const chunk of text) {
    let end = chunk.indexOf(LF);
    if (end === -1) {
      hold(chunk);
      continue;
    }
    let joined: LineBlock | undefined;
    const block = new BlockBuilder(expected);
    let start = 0;
    while (end !== -1) {
      if (skipping) skipping = false;
      else if (pending + end - start > max) {
        tooLong(chunk.slice(start, Math.min(end, start + HEAD_LENGTH)));
        skipping = false;
      } else if (pieces.length > 0) {
        pieces.push(chunk.slice(start, end));
        const whole = pieces.join('');
        pieces.length = 0;
        pending = 0;
        const one = new BlockBuilder(1);
        one.push(whole, 0, whole.length, line + 1);
        joined = one.build(whole);
      } else block.push(chunk, start, end, line + 1);
      line += 1;
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) hold(chunk.slice(start));
    expected = block.count + 16;
    if (joined !== undefined) yield joined;
    if (block.count > 0) yield block.build(chunk);
  }
  // the last line needs no newline to count
  if (pieces.length > 0) {
    const whole = pieces.join('');
    const one = new BlockBuilder(1);
    one.push(whole, 0, whole.length, line + 1);
    yield one.build(whole);
  }
}

/** The lines of a block as strings of their own (slices of its text), with their numbers. */
export const blockLines = (block: LineBlock): TextLine[] => {
  const lines = new Array<TextLine>(block.count);
  for (let i = 0; i < block.count; i++) {
    lines[i] = { line: block.numbers[i]!, text: block.text.slice(block.starts[i], block.ends[i]) };
  }
  return lines;
};

/**
 * Splits text chunks into lines (see lineBlocks), a batch of TextLine per block, for the readers whose
 * per-line work needs each line as a string.
 */
export async function* lineBatches(text: AsyncIterable<string>, cap?: LineCap): AsyncGenerator<TextLine[]> {
  for await (const block of lineBlocks(text, cap)) yield blockLines(block);
}

/**
 * Lines of a byte stream (UTF-8, BOM dropped), numbered from 1, with `\n` or `\r\n` removed.
 * Blank lines are kept: skipping them is the reader's choice, and numbering must count them.
 */
export async function* splitLines(source: ByteChunks, cap?: LineCap): AsyncGenerator<TextLine> {
  for await (const batch of lineBatches(decodeUtf8(source), cap)) yield* batch;
}

/** True for a line holding nothing but whitespace. */
export const isBlank = (text: string): boolean => {
  if (text.length === 0) return true;
  // a printable ASCII first character answers almost every line without a trimmed copy
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim().length === 0;
};
