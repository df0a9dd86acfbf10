import type { DatasetSummary, FeatureSummary } from '../baseline/feature-summary.ts';
import type { FeatureDrift } from '../drift/compute-drift.ts';
import type { DriftReport } from './drift-report.ts';
import { formatNumber } from './html/format.ts';

/** How one feature moved between the baseline and the window, in words and in one comparable size. */
export interface FeatureShift {
  readonly name: string;
  readonly type: 'numerical' | 'categorical';
  readonly drifted: boolean;
  readonly status: FeatureDrift['status'];
  readonly method: string;
  /** the deciding figure: the p-value for tests, else the distance or statistic */
  readonly score: number | null;
  readonly threshold: number;
  /** numerical: where the mean went; categorical: `changed` when the mix of categories moved */
  readonly direction: 'up' | 'down' | 'changed' | 'none';
  /** "mean 12.3 -> 15.9 (+1.4 sd)", "\"DE\" 12% -> 31% of rows; new: \"XX\"" */
  readonly change: string;
  /**
   * one scale to rank features by: numerical |Δ mean| in baseline standard deviations, categorical the total
   * variation distance between the two mixes (0 to 1)
   */
  readonly size: number;
  /** share of rows without a value */
  readonly missing: { readonly baseline: number; readonly current: number };
}

export interface DataEvidence {
  readonly rowsBaseline: number;
  readonly rowsCurrent: number;
  readonly drifted: boolean;
  readonly driftedShare: number;
  readonly driftShareThreshold: number;
  /** drifted features first, then by size, largest first */
  readonly features: readonly FeatureShift[];
}

const P_VALUE_METHODS = new Set(['ks', 'chisquare']);

const percent = (share: number): string => `${formatNumber(Math.round(share * 1000) / 10)}%`;

const missingShare = (f: FeatureSummary | undefined): number => {
  const total = f ? f.present + f.missing : 0;
  return f && total > 0 ? f.missing / total : 0;
};

const numericalShift = (base: FeatureSummary | undefined, cur: FeatureSummary | undefined) => {
  const b = base?.numeric;
  const c = cur?.numeric;
  if (!b || !c) return undefined;
  const delta = c.mean - b.mean;
  const size = b.stdDev > 0 ? Math.abs(delta) / b.stdDev : delta === 0 ? 0 : Number.POSITIVE_INFINITY;
  const inSd =
    b.stdDev > 0 ? ` (${delta >= 0 ? '+' : '-'}${formatNumber(Math.abs(delta) / b.stdDev)} sd)` : '';
  return {
    direction: delta > 0 ? ('up' as const) : delta < 0 ? ('down' as const) : ('none' as const),
    change: `mean ${formatNumber(b.mean)} -> ${formatNumber(c.mean)}${inSd}`,
    size,
  };
};

const shares = (f: FeatureSummary | undefined): Map<string, number> => {
  const counts = f?.categories?.counts ?? new Map<string, number>();
  const other = f?.categories?.other ?? 0;
  let total = other;
  for (const n of counts.values()) total += n;
  const out = new Map<string, number>();
  if (total === 0) return out;
  for (const [value, n] of counts) out.set(value, n / total);
  if (other > 0) out.set('(other)', other / total);
  return out;
};

const categoricalShift = (
  base: FeatureSummary | undefined,
  cur: FeatureSummary | undefined,
  drift: FeatureDrift,
) => {
  const b = shares(base);
  const c = shares(cur);
  if (b.size === 0 || c.size === 0) return undefined;
  let distance = 0;
  let moved: { value: string; from: number; to: number } | undefined;
  for (const value of new Set([...b.keys(), ...c.keys()])) {
    const from = b.get(value) ?? 0;
    const to = c.get(value) ?? 0;
    distance += Math.abs(to - from);
    if (!moved || Math.abs(to - from) > Math.abs(moved.to - moved.from)) moved = { value, from, to };
  }
  const size = distance / 2;
  const parts: string[] = [];
  if (moved && moved.to !== moved.from) {
    parts.push(`${JSON.stringify(moved.value)} ${percent(moved.from)} -> ${percent(moved.to)} of rows`);
  }
  const fresh = drift.newCategories ?? [];
  if (fresh.length > 0) {
    parts.push(
      `new: ${fresh
        .slice(0, 3)
        .map((v) => JSON.stringify(v))
        .join(', ')}${fresh.length > 3 ? ` (+${fresh.length - 3})` : ''}`,
    );
  }
  return {
    direction: size > 0 ? ('changed' as const) : ('none' as const),
    change: parts.length > 0 ? parts.join('; ') : 'same mix of categories',
    size,
  };
};

const scoreOf = (f: FeatureDrift): number | null =>
  P_VALUE_METHODS.has(f.method) ? (f.pValue ?? null) : f.statistic;

/**
 * What changed, feature by feature, for an alert and the run page: the drift verdict of the report, plus where
 * each feature went (the mean for numbers, the category that moved most for categories) and the change in its
 * missing share, from the baseline's and the window's summaries.
 */
export const dataEvidence = (
  report: DriftReport,
  baseline: DatasetSummary,
  current: DatasetSummary,
): DataEvidence => {
  const byName = (summary: DatasetSummary) => new Map(summary.features.map((f) => [f.name, f]));
  const base = byName(baseline);
  const cur = byName(current);
  const features = report.features.map((drift): FeatureShift => {
    const b = base.get(drift.name);
    const c = cur.get(drift.name);
    const shift =
      (drift.type === 'numerical' ? numericalShift(b, c) : categoricalShift(b, c, drift)) ??
      ({
        direction: 'none',
        change: drift.status === 'no-data' ? 'no values in the window' : 'not comparable',
        size: 0,
      } as const);
    return {
      name: drift.name,
      type: drift.type,
      drifted: drift.drifted,
      status: drift.status,
      method: drift.method,
      score: scoreOf(drift),
      threshold: drift.threshold,
      ...shift,
      missing: { baseline: missingShare(b), current: c ? missingShare(c) : drift.missingShare },
    };
  });
  // sizes may be infinite (a constant baseline that moved): compared, never subtracted
  features.sort(
    (x, y) => Number(y.drifted) - Number(x.drifted) || (y.size > x.size ? 1 : y.size < x.size ? -1 : 0),
  );
  return {
    rowsBaseline: report.dataset.rowsBaseline,
    rowsCurrent: report.dataset.rowsCurrent,
    drifted: report.dataset.drifted,
    driftedShare: report.dataset.driftedShare,
    driftShareThreshold: report.dataset.driftShareThreshold,
    features,
  };
};
