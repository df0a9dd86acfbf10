import type { z } from 'zod';
import { CorruptRecordError, InvalidRecordError, RecordTooLargeError } from '../errors.ts';

/** Items are parsed, never cast: a hand-edited or older item fails here with the table, key and field. */
export const parseItem = <T>(schema: z.ZodType<T>, table: string, key: string, item: unknown): T => {
  const result = schema.safeParse(item);
  if (!result.success) throw new CorruptRecordError(table, key, describeIssues(result.error));
  return result.data;
};

/** Records handed to a repository are checked before writing, so bad values never reach the table. */
export const parseInput = <T>(schema: z.ZodType<T>, what: string, input: unknown): T => {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidRecordError(what, describeIssues(result.error));
  return result.data;
};

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`)
    .join('; ');

/** JSON stored as a string attribute: exact round-trip, no DynamoDB number or nesting quirks. */
export const toJsonAttribute = (what: string, value: unknown, limitBytes: number): string => {
  const text = JSON.stringify(value);
  if (text === undefined) throw new InvalidRecordError(what, 'is not JSON-serialisable');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limitBytes) throw new RecordTooLargeError(what, bytes, limitBytes);
  return text;
};

export const fromJsonAttribute = (table: string, key: string, text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CorruptRecordError(table, key, 'stored JSON does not parse');
  }
};
