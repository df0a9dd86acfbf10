import { type Baseline, loadBaseline } from '../baseline/load-baseline.ts';
import type { ConstraintsFile, StatisticsFile } from '../baseline/model-monitor-schema.ts';
import { suggestConstraints } from '../baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../baseline/write-statistics.ts';
import type { MethodChoice } from '../drift/drift-methods.ts';
import { InputError } from '../errors.ts';
import { evaluateQualityAtScale } from '../labels/quality-at-scale.ts';
import type { DatasetProfile } from '../profile/dataset-profile.ts';
import { MalformedLog } from '../profile/malformed-log.ts';
import { profileSources } from '../profile/profile-sources.ts';
import type { QualityEvaluation, QualityProblem } from '../quality/evaluate-quality.ts';
import { listInputFiles, openFile } from '../readers/byte-source.ts';
import type { TableFormat } from '../readers/table.ts';
import type { DriftReport } from '../report/drift-report.ts';
import { runDataCheck } from './run-data-check.ts';

/** How files are read; the CLI's input flags, as options. */
export interface ReadFilesOptions {
  /** @default 'auto': from the first line (capture, JSON Lines, else CSV) */
  readonly format?: TableFormat | 'auto';
  /** CSV only; @default 'auto' */
  readonly header?: boolean | 'auto';
  /** names for unnamed columns (headerless CSV, JSON arrays, capture request cells) */
  readonly names?: readonly string[];
  /** columns to leave out (ids, timestamps) */
  readonly exclude?: readonly string[];
}

/** What could not be used, as the CLI reports it: counted, the first ones listed. */
export interface SkippedRecords {
  readonly malformedRecords: number;
  readonly unreadableFiles: number;
  /** `file:line field "x": reason`, the first hundred */
  readonly samples: readonly string[];
}

export interface BaselineFiles {
  readonly statistics: StatisticsFile;
  readonly constraints: ConstraintsFile;
  readonly skipped: SkippedRecords;
}

export interface CheckFilesOptions extends ReadFilesOptions {
  /** the drift method deciding each feature; @default 'auto' */
  readonly method?: MethodChoice;
  /** fewer values than this in a sample: reported, not judged; @default 30 */
  readonly minSamples?: number;
}

const profileFiles = async (
  path: string,
  options: ReadFilesOptions,
  names: readonly string[] | undefined,
): Promise<{ profile: DatasetProfile; malformed: MalformedLog }> => {
  const malformed = new MalformedLog();
  const files = await listInputFiles(path);
  const { profile } = await profileSources(
    files.map((file) => ({ name: file, open: () => openFile(file) })),
    {
      format: options.format,
      header: options.header,
      schema: names ? { inputNames: [...names] } : undefined,
      unreadable: 'skip',
      inputName: path,
      malformed,
    },
  );
  if (profile.rows === 0 && (malformed.count > 0 || malformed.unreadableCount > 0)) {
    throw new InputError({ file: path }, `nothing usable: ${malformed.summary() ?? 'no row could be read'}`);
  }
  return { profile, malformed };
};

const skippedOf = (malformed: MalformedLog): SkippedRecords => ({
  malformedRecords: malformed.count,
  unreadableFiles: malformed.unreadableCount,
  samples: [...malformed.lines(), ...malformed.unreadableLines()],
});

/**
 * `model-care baseline` as a function: profiles a file or a directory of files (CSV, JSON Lines, SageMaker
 * capture; plain or gzip) in one streaming pass and returns Model Monitor's `statistics.json` and
 * `constraints.json`. InputError (one line naming file, line and field) when nothing usable is left.
 */
export const baselineFromFiles = async (
  path: string,
  options: ReadFilesOptions = {},
): Promise<BaselineFiles> => {
  const { profile, malformed } = await profileFiles(path, options, options.names);
  const kept = profile.without([...(options.exclude ?? [])]);
  return {
    statistics: toStatisticsFile(kept, path),
    constraints: suggestConstraints(kept),
    skipped: skippedOf(malformed),
  };
};

/**
 * `model-care check` as a function: drift and data quality of the window at `path` against a baseline (ours or
 * Model Monitor's files, parsed JSON), as the report `check --json` prints. Unnamed columns take the
 * baseline's names unless `names` says otherwise.
 */
export const checkFiles = async (
  baseline: { readonly statistics: unknown; readonly constraints: unknown },
  path: string,
  options: CheckFilesOptions = {},
): Promise<DriftReport> => {
  const loaded: Baseline = loadBaseline(baseline.statistics, baseline.constraints);
  const names = options.names ?? loaded.statistics.features.map((f) => f.name);
  const { profile, malformed } = await profileFiles(path, options, names);
  return runDataCheck(loaded, profile, malformed, {
    method: options.method,
    minSamples: options.minSamples,
    ignoreColumns: options.exclude,
  });
};

export interface QualityFilesOptions {
  /** binary: scores at or above it predict label 1; @default 0.5 */
  readonly threshold?: number;
  /** also compute every metric per value of this column (and, for binary problems, fairness gaps) */
  readonly segment?: string;
  /** names for unnamed columns (headerless CSV, capture request cells) */
  readonly names?: readonly string[];
  /** prediction ids (and scores) held in memory before the join spills to temporary files; @default 1,000,000 */
  readonly maxRowsInMemory?: number;
  /** where temporary files go; @default the system's temporary directory */
  readonly spillDir?: string;
}

/**
 * `model-care quality` as a function: joins a predictions file with a labels file by id, in bounded memory, and
 * computes scikit-learn's metrics for the problem type.
 */
export const qualityFromFiles = async (
  predictions: string,
  labels: string,
  problem: QualityProblem,
  options: QualityFilesOptions = {},
): Promise<{ readonly evaluation: QualityEvaluation; readonly skipped: SkippedRecords }> => {
  const malformed = new MalformedLog();
  const { evaluation } = await evaluateQualityAtScale(
    { file: predictions, open: () => openFile(predictions) },
    { file: labels, open: () => openFile(labels) },
    problem,
    {
      threshold: options.threshold,
      names: options.names ? [...options.names] : undefined,
      columns: options.segment ? { segment: options.segment } : undefined,
      onMalformed: malformed.sink,
      maxRowsInMemory: options.maxRowsInMemory,
      dir: options.spillDir,
    },
  );
  return { evaluation, skipped: skippedOf(malformed) };
};
