import type { z } from 'zod';
import { formatIssuePath, InputError } from '../errors.ts';
import { type DatasetSummary, summarizeStatistics } from './feature-summary.ts';
import {
  type ConstraintsFile,
  constraintsFileSchema,
  type StatisticsFile,
  statisticsFileSchema,
} from './model-monitor-schema.ts';

/** A baseline: the statistics and constraints files, whoever wrote them, plus the summary drift reads. */
export interface Baseline {
  readonly statistics: StatisticsFile;
  readonly constraints: ConstraintsFile;
  readonly summary: DatasetSummary;
  /** where the files came from, to name them in messages */
  readonly files?: { readonly statistics: string; readonly constraints: string };
}

/**
 * A baseline nothing can be judged against: no rows, or no feature. Checking a window against it would
 * report "no violations" for any data at all, so it is refused instead (a header-only training file gives
 * one, and so does a Model Monitor job run on an empty dataset).
 */
export class EmptyBaselineError extends InputError {}

/** Throws EmptyBaselineError, naming the statistics file, for a baseline with no rows or no feature. */
export const assertUsableBaseline = (baseline: Baseline): Baseline => {
  const file = baseline.files?.statistics ?? 'statistics.json';
  const rows = baseline.statistics.dataset.item_count;
  if (!(rows > 0)) {
    throw new EmptyBaselineError(
      { file, field: 'dataset.item_count' },
      `the baseline has ${rows} rows: nothing to judge a window against; rebuild it from a dataset with rows`,
    );
  }
  if (baseline.statistics.features.length === 0) {
    throw new EmptyBaselineError(
      { file, field: 'features' },
      'the baseline has no features: nothing to judge a window against',
    );
  }
  return baseline;
};

export const parseStatisticsFile = (json: unknown, file: string): StatisticsFile =>
  parseWith(statisticsFileSchema, json, file);

export const parseConstraintsFile = (json: unknown, file: string): ConstraintsFile =>
  parseWith(constraintsFileSchema, json, file);

/** Builds a baseline from parsed JSON of `statistics.json` and `constraints.json`. */
export const loadBaseline = (
  statisticsJson: unknown,
  constraintsJson: unknown,
  files = { statistics: 'statistics.json', constraints: 'constraints.json' },
): Baseline => {
  const statistics = parseStatisticsFile(statisticsJson, files.statistics);
  const constraints = parseConstraintsFile(constraintsJson, files.constraints);
  return { statistics, constraints, summary: summarizeStatistics(statistics), files };
};

/** Parses JSON text, naming the file and line of a syntax error. */
export const parseJsonText = (text: string, file: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new InputError({ file, line }, `malformed JSON: ${message}`);
  }
};

const parseWith = <T>(schema: z.ZodType<T>, json: unknown, file: string): T => {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatIssuePath(issue.path);
  throw new InputError({ file, field: field || undefined }, issue.message);
};
