/**
 * Where in the user's input something went wrong. Every message shown to a user names
 * the file, and the line and field when they are known, so the fix is one look away.
 */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

export const formatLocation = (at: InputLocation): string => {
  let text = at.file;
  if (at.line !== undefined) text += `:${at.line}`;
  if (at.field !== undefined) text += ` field "${at.field}"`;
  return text;
};

/**
 * Bad user input: a one-line message, safe to print as it is, without a stack trace.
 * The CLI maps it to exit code 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly location: InputLocation,
    readonly reason: string,
  ) {
    super(`${formatLocation(location)}: ${reason}`);
  }
}

/**
 * A record that could not be used: counted, reported and quarantined, never dropped silently. Or, with
 * `skipped: 'value'`, one value (`field`) that could not be used in a record whose other values were.
 */
export interface MalformedRecord extends InputLocation {
  readonly reason: string;
  readonly skipped?: 'value';
  /** the raw text of the record, truncated, so it can be quarantined and inspected */
  readonly raw?: string;
}

export const describeMalformed = (record: MalformedRecord): string =>
  `${formatLocation(record)}: ${record.reason}`;

/** The path of a zod issue as a user reads it: `features[0].numerical_statistics.mean`. */
export const formatIssuePath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text.length === 0 ? String(key) : `${text}.${String(key)}`;
  }, '');
