import type { ByteChunks } from './byte-source.ts';
import { DEFAULT_MAX_LINE_LENGTH, reportingLineCap } from './limits.ts';
import { isBlank, lineBatches, type TextLine } from './lines.ts';
import { parseJsonAllowingNonFinite } from './non-finite-json.ts';
import { decodeUtf8 } from './text.ts';
import type { MalformedSink } from './types.ts';

/** How much of a bad line is kept for quarantine and inspection. */
export const RAW_LIMIT = 200;

export interface JsonLinesOptions {
  /** names the input in malformed reports */
  file: string;
  onMalformed: MalformedSink;
  /** characters in one line; a longer one is reported and skipped; @default DEFAULT_MAX_LINE_LENGTH */
  maxLineLength?: number;
}

/** A parsed JSON line. */
export interface JsonLine {
  line: number;
  value: unknown;
}

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Parses one line of JSON Lines (Python's bare NaN and infinities taken as strings, see
 * `parseJsonAllowingNonFinite`). Returns undefined for a blank line, and for a bad one after
 * reporting it to `onMalformed`; the caller goes on with the next line either way.
 */
export const parseJsonLine = (
  { line, text }: TextLine,
  file: string,
  onMalformed: MalformedSink,
): JsonLine | undefined => {
  if (isBlank(text)) return undefined;
  try {
    return { line, value: parseJsonAllowingNonFinite(text) };
  } catch (error) {
    onMalformed({
      file,
      line,
      reason: `malformed JSON: ${errorMessage(error)}`,
      raw: text.slice(0, RAW_LIMIT),
    });
    return undefined;
  }
};

/**
 * Streams the values of a JSON Lines byte stream with their line numbers. Blank lines are
 * skipped; a line that is not JSON, or is over the length cap, goes to `onMalformed` and reading goes on.
 */
export async function* parseJsonLines(source: ByteChunks, opts: JsonLinesOptions): AsyncGenerator<JsonLine> {
  const cap = reportingLineCap(opts.file, opts.onMalformed, opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  for await (const batch of lineBatches(decodeUtf8(source), cap)) {
    for (const text of batch) {
      const parsed = parseJsonLine(text, opts.file, opts.onMalformed);
      if (parsed !== undefined) yield parsed;
    }
  }
}
