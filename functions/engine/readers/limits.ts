import type { LineCap } from './lines.ts';
import type { MalformedSink } from './types.ts';

/**
 * Caps on what one record of input may hold, so that a broken or hostile producer (a 50 MB line without a
 * newline, a header of megabyte-long names) costs one malformed record, never the reader's memory.
 *
 * The defaults are above anything a real capture holds. A real-time SageMaker endpoint takes and returns at
 * most 6 MB per invocation; captured as BASE64 each side is 8 MB, so a capture line carries at most about
 * 16 MB: the line cap is twice that. Feature names in a model's config are at most 128 characters (and
 * CloudWatch dimension values at most 1024): the name cap is twice the former.
 */
export interface ReadLimits {
  /** characters in one line (JSON Lines, capture) or one CSV record, quoted line breaks included */
  readonly maxLineLength: number;
  /** characters in one column name (a CSV header cell, a JSON key) */
  readonly maxNameLength: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 32 * 1024 * 1024;
export const DEFAULT_MAX_NAME_LENGTH = 256;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxLineLength: DEFAULT_MAX_LINE_LENGTH,
  maxNameLength: DEFAULT_MAX_NAME_LENGTH,
};

/** the limits a caller gave, the defaults for the rest */
export const readLimits = (given: Partial<ReadLimits> | undefined): ReadLimits => ({
  maxLineLength: given?.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
  maxNameLength: given?.maxNameLength ?? DEFAULT_MAX_NAME_LENGTH,
});

/** The reason given for a line or record over the cap. */
export const tooLongReason = (what: 'line' | 'record', max: number): string =>
  `${what} longer than the ${max}-character limit (--max-line-length)`;

/** The reason given for a column name over the cap, or undefined when `name` is within it. */
export const nameTooLong = (name: string, max: number): string | undefined =>
  name.length > max
    ? `column name of ${name.length} characters, longer than the ${max}-character limit (--max-name-length)`
    : undefined;

/** A line cap that reports each line over `maxLength` as a malformed record of `file`. */
export const reportingLineCap = (file: string, onMalformed: MalformedSink, maxLength: number): LineCap => ({
  maxLength,
  onTooLong: (line, head) => onMalformed({ file, line, reason: tooLongReason('line', maxLength), raw: head }),
});

const PREVIEW_LENGTH = 80;

/** A name as messages quote it: its start only when it is long, so a report never carries a huge key. */
export const namePreview = (name: string): string =>
  name.length <= PREVIEW_LENGTH ? name : `${name.slice(0, PREVIEW_LENGTH)}… (${name.length} characters)`;
