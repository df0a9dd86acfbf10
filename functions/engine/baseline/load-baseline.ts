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
}

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
  return { statistics, constraints, summary: summarizeStatistics(statistics) };
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
