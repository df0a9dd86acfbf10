import { toModelMonitorViolation, type Violation, type ViolationDetail } from '../data-quality/violation.ts';
import type { DatasetDrift, FeatureDrift } from '../drift/compute-drift.ts';

export const REPORT_FORMAT_VERSION = 1;

/**
 * `report.json`: the stable, documented output of a data check (see README, "Report format"). Field names
 * are a contract with users' scripts; add fields, never rename them.
 */
export interface DriftReport {
  readonly formatVersion: number;
  readonly dataset: {
    readonly status: DatasetDrift['status'];
    readonly rowsBaseline: number;
    readonly rowsCurrent: number;
    readonly malformedRecords: number;
    /** values skipped inside records that were used; per feature in `features[].malformedValues` */
    readonly malformedValues: number;
    /** input files skipped whole (corrupt gzip, no records, a broken header) */
    readonly unreadableFiles: number;
    readonly driftedShare: number;
    readonly driftShareThreshold: number;
    readonly drifted: boolean;
  };
  readonly features: FeatureDrift[];
  readonly violations: Violation[];
  readonly violationDetails: ViolationDetail[];
  /** the first malformed records and values, `file:line field "x": reason`, so nothing is skipped silently */
  readonly malformedSamples: string[];
  /** the first files skipped whole, `file: reason` */
  readonly unreadableSamples: string[];
}

/** What a read skipped, as the report tells it. */
export interface SkippedInput {
  readonly count: number;
  readonly values?: number;
  readonly samples: string[];
  readonly unreadable?: { readonly count: number; readonly files: string[] };
}

export const buildDriftReport = (
  drift: DatasetDrift,
  violations: readonly ViolationDetail[],
  malformed: SkippedInput = { count: 0, samples: [] },
): DriftReport => ({
  formatVersion: REPORT_FORMAT_VERSION,
  dataset: {
    status: drift.status,
    rowsBaseline: drift.rowsBaseline,
    rowsCurrent: drift.rowsCurrent,
    malformedRecords: malformed.count,
    malformedValues: malformed.values ?? 0,
    unreadableFiles: malformed.unreadable?.count ?? 0,
    driftedShare: drift.driftedShare,
    driftShareThreshold: drift.driftShareThreshold,
    drifted: drift.drifted,
  },
  features: drift.features,
  violations: violations.map(toModelMonitorViolation),
  violationDetails: [...violations],
  malformedSamples: malformed.samples,
  unreadableSamples: malformed.unreadable?.files ?? [],
});

/** `constraint_violations.json`, Model Monitor's exact shape. */
export const toConstraintViolationsFile = (report: DriftReport): { violations: Violation[] } => ({
  violations: report.violations,
});

/**
 * JSON has no Infinity or NaN: they are written as null (a normalised Wasserstein distance is Infinity
 * when the baseline was constant), and readers treat null as "not computable".
 */
export const stringifyReport = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
