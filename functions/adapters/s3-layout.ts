import { InvalidKeyPartError } from './errors.ts';
import {
  assertName,
  canonicalInstant,
  toDate,
  utcDayPath,
  utcHourPath,
  utcMinuteSecondMillis,
} from './key-parts.ts';

/**
 * Where everything lives in the data bucket. Capture and ground truth follow SageMaker's own layout, so a
 * bucket written by SageMaker Data Capture is read as it is, and what model-care writes SageMaker can read.
 *
 * ```
 * capture/<endpoint>/<variant>/yyyy/mm/dd/hh/<MM-SS-mmm>-<uuid>.jsonl
 * ground-truth/<model>/yyyy/mm/dd/hh/*.jsonl
 * baselines/<model>/<version>/{statistics,constraints}.json
 * reports/<model>/<job>/<windowStart>/{constraint_violations,report}.json
 * profiles/<model>/yyyy/mm/dd/<windowStart>.json
 * quarantine/<original key>   (+ <original key>.reason.json)
 * ```
 * Prefixes end with `/` so that `capture/a/` never matches `capture/ab/`.
 */

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const CAPTURE_ROOT = 'capture/';
export const GROUND_TRUTH_ROOT = 'ground-truth/';
export const QUARANTINE_ROOT = 'quarantine/';

/** `capture/<endpoint>/<variant>/`, the prefix that `listHourWindow` extends with hour paths. */
export const captureVariantPrefix = (endpoint: string, variant: string): string =>
  `${CAPTURE_ROOT}${assertName('endpoint', endpoint)}/${assertName('variant', variant)}/`;

export const captureHourPrefix = (endpoint: string, variant: string, date: Date): string =>
  `${captureVariantPrefix(endpoint, variant)}${utcHourPath(toDate('date', date))}/`;

/** The key SageMaker would give a capture file written at `date`: `.../hh/<MM-SS-mmm>-<uuid>.jsonl`. */
export const captureObjectKey = (endpoint: string, variant: string, date: Date, uuid: string): string => {
  if (!UUID.test(uuid)) throw new InvalidKeyPartError('uuid', uuid, 'expected a UUID');
  const at = toDate('date', date);
  return `${captureHourPrefix(endpoint, variant, at)}${utcMinuteSecondMillis(at)}-${uuid.toLowerCase()}.jsonl`;
};

export const groundTruthPrefix = (model: string): string =>
  `${GROUND_TRUTH_ROOT}${assertName('model', model)}/`;

export const groundTruthHourPrefix = (model: string, date: Date): string =>
  `${groundTruthPrefix(model)}${utcHourPath(toDate('date', date))}/`;

/**
 * `reports/<model>/<job>/<windowStart>/` (store-layout.ts STORE_PREFIXES); the job (`data`, `quality`) keeps the
 * data and quality reports of one window apart, the window start is in its canonical `YYYY-MM-DDTHH:MM:SSZ` form.
 */
export const reportPrefix = (model: string, job: string, windowStart: string | Date): string =>
  `reports/${assertName('model', model)}/${assertName('job', job)}/${canonicalInstant('windowStart', windowStart)}/`;

/** the files of a run's reports: Model Monitor's constraint_violations.json and model-care's report.json */
export const runReportKeys = (model: string, job: string, windowStart: string | Date) => {
  const prefix = reportPrefix(model, job, windowStart);
  return { prefix, violations: `${prefix}constraint_violations.json`, report: `${prefix}report.json` };
};

/** Baseline versions are registry versions (positive integers) or user labels such as `v1` or `2026-01`. */
export const baselinePrefix = (model: string, version: string | number): string =>
  `baselines/${assertName('model', model)}/${assertName('version', String(version))}/`;

/** A day's hourly profiles share this prefix, so a daily check lists and merges them. */
export const profileDayPrefix = (model: string, date: Date): string =>
  `profiles/${assertName('model', model)}/${utcDayPath(toDate('date', date))}/`;

export const profileKey = (model: string, windowStart: string | Date): string => {
  const start = canonicalInstant('windowStart', windowStart);
  return `${profileDayPrefix(model, new Date(start))}${start}.json`;
};

/** Where the workers of a fanned-out window put their partial profiles, `<n>.json` each, for the reducer. */
export const profilePartsPrefix = (model: string, windowStart: string | Date): string =>
  `profiles/${assertName('model', model)}/parts/${canonicalInstant('windowStart', windowStart)}/`;

/** Quarantine keeps the original key below `quarantine/`, so where a bad object came from stays visible. */
export const quarantineKey = (key: string): string => {
  if (key.length === 0) throw new InvalidKeyPartError('key', key, 'must not be empty');
  return `${QUARANTINE_ROOT}${key}`;
};

export const reasonSidecarKey = (key: string): string => `${key}.reason.json`;

const HOUR_MS = 3_600_000;

/**
 * The starts of the UTC hours that overlap [start, end), oldest first: the hour partitions to list for a
 * window. A window that starts mid-hour still includes that hour, since its objects may hold records from it.
 */
export const hourStarts = (start: Date, end: Date): Date[] => {
  const from = toDate('start', start).getTime();
  const to = toDate('end', end).getTime();
  if (!(from < to))
    throw new InvalidKeyPartError(
      'window',
      `${start.toISOString()}..${end.toISOString()}`,
      'start must be before end',
    );
  const hours: Date[] = [];
  for (let t = Math.floor(from / HOUR_MS) * HOUR_MS; t < to; t += HOUR_MS) hours.push(new Date(t));
  return hours;
};
