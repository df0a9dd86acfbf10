import { summarizeProfile } from '../baseline/feature-summary.ts';
import { assertUsableBaseline, type Baseline } from '../baseline/load-baseline.ts';
import { checkConstraints } from '../data-quality/check-constraints.ts';
import { computeDrift, type DriftOptions } from '../drift/compute-drift.ts';
import type { DatasetProfile } from '../profile/dataset-profile.ts';
import type { MalformedLog } from '../profile/malformed-log.ts';
import { buildDriftReport, type DriftReport } from '../report/drift-report.ts';

export interface DataCheckOptions extends DriftOptions {
  /** current columns to leave out of every check (e.g. capture outputs a features-only baseline lacks) */
  readonly ignoreColumns?: readonly string[];
  readonly rangeSignificance?: number;
}

/**
 * The data job's whole decision, shared by the CLI, the Lambda and the local runtime: drift and data
 * quality of a window's profile against a baseline, as one report. Throws EmptyBaselineError for a baseline
 * with no rows or no feature: a verdict against it would say nothing.
 */
export const runDataCheck = (
  baseline: Baseline,
  window: DatasetProfile,
  malformed?: MalformedLog,
  options: DataCheckOptions = {},
): DriftReport => {
  assertUsableBaseline(baseline);
  const ignored = new Set(options.ignoreColumns ?? []);
  const summary = summarizeProfile(window);
  const current = { rows: summary.rows, features: summary.features.filter((f) => !ignored.has(f.name)) };
  const drift = computeDrift(baseline.summary, current, baseline.constraints, options);
  const violations = checkConstraints({
    constraints: baseline.constraints,
    baseline: baseline.summary,
    current,
    currentColumns: window.columns.filter((c) => !ignored.has(c)),
    drift,
    rangeSignificance: options.rangeSignificance,
  });
  return buildDriftReport(
    drift,
    violations,
    malformed
      ? {
          count: malformed.count,
          // the profile's own count: exact however the window was read, merged or sampled
          values: window.malformedValues,
          samples: malformed.lines(),
          unreadable: { count: malformed.unreadableCount, files: malformed.unreadableLines() },
        }
      : { count: 0, values: window.malformedValues, samples: [] },
  );
};
