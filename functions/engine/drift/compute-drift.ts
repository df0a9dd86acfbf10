import type { DatasetSummary, FeatureSummary } from '../baseline/feature-summary.ts';
import type { ConstraintsFile } from '../baseline/model-monitor-schema.ts';
import { type DistributionConstraints, effectiveMonitoringConfig } from '../baseline/monitoring-config.ts';
import { benjaminiHochberg } from '../stats/index.ts';
import { type CategoricalMetrics, categoricalMetrics } from './categorical-metrics.ts';
import {
  chooseMethod,
  DEFAULT_DATASET_DRIFT_SHARE,
  DEFAULT_MIN_SAMPLES,
  DEFAULT_THRESHOLDS,
  type DriftMethod,
  type FeatureKind,
  METHODS_FOR,
  type MethodChoice,
  P_VALUE_METHODS,
} from './drift-methods.ts';
import {
  categoricalModelMonitorDistance,
  type ModelMonitorDistance,
  numericalModelMonitorDistance,
} from './model-monitor-distance.ts';
import { type NumericalMetrics, numericalMetrics } from './numerical-metrics.ts';

export interface DriftOptions {
  /** @default 'auto' */
  readonly method?: MethodChoice;
  /** per-method thresholds; @default DEFAULT_THRESHOLDS */
  readonly thresholds?: Partial<Record<DriftMethod, number>>;
  /** @default DEFAULT_MIN_SAMPLES */
  readonly minSamples?: number;
  /** @default DEFAULT_DATASET_DRIFT_SHARE */
  readonly datasetDriftShare?: number;
  /** correct p-values for testing many features at once; @default 'benjamini-hochberg' */
  readonly pValueCorrection?: 'benjamini-hochberg' | 'none';
}

/**
 * `ok`: judged; `insufficient-data`: fewer values than the minimum in one of the samples (metrics shown
 * when computable, not judged); `no-data`: the window has no value for this feature at all.
 */
export type FeatureDriftStatus = 'ok' | 'insufficient-data' | 'no-data';

export interface FeatureDrift {
  readonly name: string;
  readonly type: FeatureKind;
  readonly status: FeatureDriftStatus;
  readonly method: DriftMethod;
  readonly methodReason: string;
  /** the deciding method's figure: the test statistic (D, chi-square) or the distance */
  readonly statistic: number | null;
  /** for ks / chisquare: the p-value after multiple-testing correction; drift when below the threshold */
  readonly pValue?: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly baselineCount: number;
  readonly currentCount: number;
  readonly missingShare: number;
  /** values of the window skipped as malformed (non-finite, out of range); counted in missingShare too */
  readonly malformedValues: number;
  readonly newCategories?: string[];
  readonly vanishedCategories?: string[];
  readonly metrics: Partial<FeatureMetrics>;
  /** Model Monitor's own distance for baseline_drift_check, when comparison is enabled */
  readonly modelMonitor?: ModelMonitorDistance;
}

export interface FeatureMetrics {
  ks: { statistic: number; pValue: number };
  wasserstein: number;
  wassersteinNormed: number;
  psi: number;
  jensenShannon: number;
  kl: number;
  linf: number;
  chiSquare: { statistic: number; pValue: number; dof: number };
}

export interface DatasetDrift {
  readonly status: 'ok' | 'no-data' | 'insufficient-data';
  readonly rowsBaseline: number;
  readonly rowsCurrent: number;
  /** drifted / judged features; 0 when none was judged */
  readonly driftedShare: number;
  readonly driftShareThreshold: number;
  readonly drifted: boolean;
  readonly features: FeatureDrift[];
}

/**
 * Drift between a baseline and a current window, per feature and for the dataset.
 *
 * Each feature is compared on its kind (numerical when the baseline typed it Integral/Fractional, else
 * categorical), with every method that applies computed and one deciding (`auto` or the one asked for).
 * Where p-values decide, they are corrected across features (Benjamini–Hochberg) before comparing with
 * the threshold. The dataset drifts when the share of drifted features reaches `datasetDriftShare`.
 */
export const computeDrift = (
  baseline: DatasetSummary,
  current: DatasetSummary,
  constraints: ConstraintsFile | undefined,
  options: DriftOptions = {},
): DatasetDrift => {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const minSamples = options.minSamples ?? DEFAULT_MIN_SAMPLES;
  const shareThreshold = options.datasetDriftShare ?? DEFAULT_DATASET_DRIFT_SHARE;
  const currentByName = new Map(current.features.map((f) => [f.name, f]));
  const constraintsByName = new Map((constraints?.features ?? []).map((f) => [f.name, f]));

  const drafts = baseline.features
    .filter((f) => f.inferredType !== 'Unknown' && currentByName.has(f.name))
    .map((base) => {
      const featureConstraints = constraintsByName.get(base.name);
      const distribution = constraints
        ? effectiveMonitoringConfig(constraints, featureConstraints).distribution
        : undefined;
      return compareFeature(
        base,
        currentByName.get(base.name)!,
        options.method ?? 'auto',
        thresholds,
        minSamples,
        distribution,
      );
    });

  // multiple-testing correction over the features whose verdict rests on a p-value
  const tested = drafts.filter(
    (d) => d.status === 'ok' && P_VALUE_METHODS.has(d.method) && d.rawPValue !== null,
  );
  const adjusted =
    options.pValueCorrection === 'none'
      ? tested.map((d) => d.rawPValue!)
      : benjaminiHochberg(tested.map((d) => d.rawPValue!));
  tested.forEach((draft, i) => {
    draft.pValue = adjusted[i]!;
  });

  const features: FeatureDrift[] = drafts.map(({ rawPValue: _raw, ...draft }) => {
    const byPValue = P_VALUE_METHODS.has(draft.method);
    const decisive = byPValue ? (draft.pValue ?? null) : draft.statistic;
    const drifted =
      draft.status === 'ok' &&
      decisive !== null &&
      (byPValue ? decisive < draft.threshold : decisive > draft.threshold);
    return { ...draft, drifted };
  });

  const judged = features.filter((f) => f.status === 'ok');
  const driftedCount = judged.filter((f) => f.drifted).length;
  const driftedShare = judged.length === 0 ? 0 : driftedCount / judged.length;
  const status = current.rows === 0 ? 'no-data' : judged.length === 0 ? 'insufficient-data' : 'ok';
  return {
    status,
    rowsBaseline: baseline.rows,
    rowsCurrent: current.rows,
    driftedShare,
    driftShareThreshold: shareThreshold,
    drifted: status === 'ok' && driftedShare >= shareThreshold,
    features,
  };
};

interface FeatureDraft extends Omit<FeatureDrift, 'drifted' | 'pValue'> {
  pValue?: number | null;
  rawPValue: number | null;
}

const kindOf = (base: FeatureSummary): FeatureKind =>
  base.inferredType === 'Integral' || base.inferredType === 'Fractional' ? 'numerical' : 'categorical';

const compareFeature = (
  base: FeatureSummary,
  cur: FeatureSummary,
  choice: MethodChoice,
  thresholds: Record<DriftMethod, number>,
  minSamples: number,
  distribution: DistributionConstraints | undefined,
): FeatureDraft => {
  const kind = kindOf(base);
  const baselineCount = kind === 'numerical' ? (base.numeric?.count ?? 0) : base.present;
  const currentCount = kind === 'numerical' ? (cur.numeric?.count ?? 0) : cur.present;
  const total = cur.present + cur.missing;
  const missingShare = total === 0 ? 0 : cur.missing / total;
  const auto = chooseMethod(kind, baselineCount, currentCount);
  const method = choice === 'auto' ? auto.method : choice;
  if (!METHODS_FOR[kind].includes(method)) {
    throw new RangeError(
      `method "${method}" does not apply to ${kind} feature "${base.name}"; use one of ${METHODS_FOR[kind].join(', ')} or auto`,
    );
  }
  const methodReason = choice === 'auto' ? auto.reason : 'chosen by the caller';
  const common = {
    name: base.name,
    type: kind,
    method,
    methodReason,
    threshold: thresholds[method],
    baselineCount,
    currentCount,
    missingShare,
    malformedValues: cur.malformed ?? 0,
  };

  if (currentCount === 0 || baselineCount === 0) {
    return { ...common, status: 'no-data', statistic: null, rawPValue: null, metrics: {} };
  }
  const status = currentCount < minSamples || baselineCount < minSamples ? 'insufficient-data' : 'ok';

  if (kind === 'numerical') {
    const metrics = numericalMetrics(base.numeric!, cur.numeric!);
    return {
      ...common,
      status,
      ...decidingFigure(method, metrics),
      metrics: { ...metrics },
      modelMonitor: distribution?.performComparison
        ? numericalModelMonitorDistance(metrics.ks.statistic, baselineCount, currentCount, distribution)
        : undefined,
    };
  }
  const empty = { counts: new Map<string, number>(), other: 0 };
  const metrics = categoricalMetrics(base.categories ?? empty, cur.categories ?? empty);
  const { newCategories, vanishedCategories, ...figures } = metrics;
  return {
    ...common,
    status,
    ...decidingFigure(method, figures),
    newCategories,
    vanishedCategories,
    metrics: figures,
    modelMonitor: distribution?.performComparison
      ? categoricalModelMonitorDistance(metrics.linf, metrics.chiSquare.pValue, distribution)
      : undefined,
  };
};

const decidingFigure = (
  method: DriftMethod,
  metrics: Partial<NumericalMetrics> &
    Partial<Omit<CategoricalMetrics, 'newCategories' | 'vanishedCategories'>>,
): { statistic: number | null; pValue?: number | null; rawPValue: number | null } => {
  switch (method) {
    case 'ks':
      return { statistic: metrics.ks!.statistic, pValue: metrics.ks!.pValue, rawPValue: metrics.ks!.pValue };
    case 'chisquare':
      return {
        statistic: metrics.chiSquare!.statistic,
        pValue: metrics.chiSquare!.pValue,
        rawPValue: metrics.chiSquare!.pValue,
      };
    case 'wasserstein':
      return { statistic: metrics.wassersteinNormed!, rawPValue: null };
    case 'psi':
      return { statistic: metrics.psi!, rawPValue: null };
    case 'jensenshannon':
      return { statistic: metrics.jensenShannon!, rawPValue: null };
    case 'kl':
      return { statistic: metrics.kl!, rawPValue: null };
    case 'linf':
      return { statistic: metrics.linf!, rawPValue: null };
  }
};
