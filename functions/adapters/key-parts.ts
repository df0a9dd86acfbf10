import { InvalidKeyPartError } from './errors.ts';

/**
 * Building blocks shared by object keys (s3-layout.ts) and item keys (dynamodb/keys.ts). Keys are contracts:
 * re-runs must land on the same key, and `#` / `/` separate parts, so every part is validated or escaped here.
 */

/** Endpoint, variant and model names: what SageMaker allows for endpoints, plus `.` and `_`. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const assertName = (part: string, value: string): string => {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidKeyPartError(
      part,
      value,
      'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  }
  return value;
};

/** an explicit offset is required: a bare local time would shift windows with the machine's time zone */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const toDate = (part: string, value: string | Date): Date => {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidKeyPartError(part, value, 'not a valid date');
    return value;
  }
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    throw new InvalidKeyPartError(part, value, 'expected an ISO-8601 instant with Z or an offset');
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidKeyPartError(part, value, 'not a valid date');
  return date;
};

/**
 * The one spelling of an instant inside keys: `YYYY-MM-DDTHH:MM:SSZ`. Whole seconds only, because a key with
 * milliseconds would sort before the same second without them (`.` < `Z`) and break range queries.
 */
export const canonicalInstant = (part: string, value: string | Date): string => {
  const date = toDate(part, value);
  if (date.getUTCMilliseconds() !== 0) {
    throw new InvalidKeyPartError(part, value, 'window bounds must be whole seconds');
  }
  return `${date.toISOString().slice(0, 19)}Z`;
};

/** For range bounds: any instant, rounded up to the next whole second (keys hold whole seconds only). */
export const boundInstant = (part: string, value: string | Date): string => {
  const date = toDate(part, value);
  const ms = Math.ceil(date.getTime() / 1000) * 1000;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `yyyy/mm/dd/hh` in UTC, SageMaker Data Capture's partitioning. */
export const utcHourPath = (date: Date): string =>
  `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1, 2)}/${pad(date.getUTCDate(), 2)}/${pad(date.getUTCHours(), 2)}`;

/** `yyyy/mm/dd` in UTC. */
export const utcDayPath = (date: Date): string =>
  `${pad(date.getUTCFullYear(), 4)}/${pad(date.getUTCMonth() + 1, 2)}/${pad(date.getUTCDate(), 2)}`;

/** `MM-SS-mmm`: minute, second and millisecond, the start of SageMaker's capture file names. */
export const utcMinuteSecondMillis = (date: Date): string =>
  `${pad(date.getUTCMinutes(), 2)}-${pad(date.getUTCSeconds(), 2)}-${pad(date.getUTCMilliseconds(), 3)}`;

/**
 * Free text (feature and metric names come from users' CSV headers) made safe inside a `#`-separated item key:
 * `%` and `#` are percent-encoded, everything else stays readable. Injective, so two names never share a key.
 */
export const escapeKeyText = (part: string, value: string): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidKeyPartError(part, value, 'must be a non-empty string');
  }
  return value.replaceAll('%', '%25').replaceAll('#', '%23');
};
